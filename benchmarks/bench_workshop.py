"""A workshop hall: thirty participants on one app server.

Thirty Chromiums do not fit on a small machine, so the participants are light
clients speaking Streamlit's own WebSocket protocol (``benchmarks/stclient.py``):
they keep widget states and the message cache as a browser does, ask the server for
the same reruns, and count the bytes it sends. One real Chromium measures the cold
load of the map page (every byte of every file and message).

Phases, all against ``streamlit run app.py`` on a fresh data folder:

1. **Solo** - one participant does each kind of interaction in turn while nothing
   else runs; the server's CPU time per interaction (user + system of its process)
   and the bytes sent, median and p95; then a real browser's cold load of the map
   page. Run twice: as shipped (``app.py``'s server, which sends static files
   compressed, and ``.streamlit/config.toml``) and as a baseline, the same pages as
   a plain script on Streamlit's own server with Streamlit's defaults for the two
   settings the config changes (``runner.postScriptGC = true``,
   ``server.fileWatcherType = auto``).
2. **Hall** - ``--participants`` (30) clients for ``--seconds`` (120) with a mix of
   map clicks, searches, colouring changes, page switches, checklist edits and
   scenario weights, each after a pause of 2-8 s; per kind the latency and bytes
   (median, p95), the total bytes, the server's peak RSS, and the edits kept in the
   store (must equal the edits made).
3. **Soak** - ``--soak`` (1,000) interactions; the server's RSS before and after.
4. **Baseline** - the same edit against a one-field Streamlit app.

Prints ``name: value unit`` lines. Run: ``python benchmarks/bench_workshop.py``.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import defaultdict
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from stclient import StreamlitClient  # noqa: E402

from kommunestrategi import geo  # noqa: E402
from kommunestrategi.store import Store  # noqa: E402
from tests.conftest import CHROMIUM, free_port  # noqa: E402

COUNCILS = ("5001", "5028", "5029", "5031", "5059")
AREAS = ("ikt", "barnevern", "innkjop", "administrasjon", "helse", "kultur")
LABEL = "Problemet som skal løses"
TRONDELAG = ("5001", "5028", "5029", "5031", "5059", "5035", "5037", "5038", "5006", "5007", "5021", "5025")
MIX = {"map_click": 30, "search_add": 8, "measure": 8, "page_switch": 24, "checklist_edit": 20, "weight": 10}
PAGES = ("kart", "region", "indikatorer", "sjekkliste", "scenarier")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


def cpu_seconds(pid: int) -> float:
    times = psutil.Process(pid).cpu_times()
    return times.user + times.system


class Server:
    """``streamlit run`` of a script on a free port (extra options override the config file)."""

    def __init__(self, script: Path, data_dir: Path, options: tuple[str, ...] = ()) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "KOMMUNESTRATEGI_DATA_DIR": str(data_dir)}
        self.log = (data_dir / f"server-{self.port}.log").open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(self.port),
             "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
             *options], cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        for _attempt in range(600):
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2):
                    return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("server did not start")

    @property
    def pid(self) -> int:
        return self.process.pid

    def rss_mb(self) -> float:
        return psutil.Process(self.pid).memory_info().rss / 2**20

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


# ------------------------------------------------------------------ interactions
class Participant:
    """One light client and what it does in a workshop."""

    def __init__(self, url: str, number: int, rng: random.Random, phase: str = "hall") -> None:
        self.phase = phase  # in every edit's text: an edit equal to the stored text would change nothing
        self.client = StreamlitClient(url)
        self.council = COUNCILS[number % len(COUNCILS)]
        self.area = AREAS[number // len(COUNCILS) % len(AREAS)]
        self.number = number
        self.rng = rng
        self.page = "kart"
        self.edits = 0
        self.clicks = 0
        self.selection: list[str] = []

    async def open(self):
        return await self.client.open("kart")

    async def go(self, page: str):
        self.client.forget_page_widgets()
        self.page = page
        query = f"kommune={self.council}&omrade={self.area}" if page == "sjekkliste" else ""
        return await self.client.rerun(page=page, query=query)

    async def ensure(self, page: str):
        if self.page != page:
            await self.go(page)

    async def act(self, kind: str):
        """Do one interaction of ``kind`` (switching to its page first, not counted)."""
        c = self.client
        if kind == "map_click":
            await self.ensure("kart")
            code = TRONDELAG[(self.number + self.clicks) % len(TRONDELAG)]
            self.clicks += 1
            c.click_map(c.widget("map_chart"), code, self.clicks)
            return await c.rerun(changed=c.widget("map_chart"))
        if kind == "search_add":
            await self.ensure("kart")
            search = c.widget("map_search")
            chosen = [o for o in search.options if o[:4] in set(self.selection)]
            extra = self.rng.choice(search.options)
            self.selection = list(dict.fromkeys([*self.selection, extra[:4]]))[-6:]
            c.set_strings(search, [*chosen, extra][-6:])
            return await c.rerun(changed=search)
        if kind == "measure":
            await self.ensure("kart")
            measure = c.widget("map_measure")
            c.set_string(measure, self.rng.choice(measure.options[:6]))
            return await c.rerun(changed=measure)
        if kind == "page_switch":
            return await self.go(self.rng.choice([p for p in PAGES if p != self.page]))
        if kind == "checklist_edit":
            await self.ensure("sjekkliste")
            self.edits += 1
            box = c.find("text_area", LABEL)
            c.set_string(box, f"{self.phase} p{self.number} edit {self.edits} {self.council}/{self.area}: æøå")
            return await c.rerun(changed=box)
        if kind == "weight":
            await self.ensure("scenarier")
            sliders = [w for key, w in c.widgets.items() if key.startswith("weight_") and w.kind == "slider"]
            if not sliders:
                return await self.go("scenarier")
            slider = self.rng.choice(sliders)
            c.set_numbers(slider, [float(self.rng.randint(0, 10))])
            return await c.rerun(changed=slider)
        raise ValueError(kind)


async def solo(url: str, pid: int, repeats: int) -> dict[str, list[tuple[float, int]]]:
    """Each kind ``repeats`` times by one participant: (server CPU seconds, bytes) per interaction."""
    out: dict[str, list[tuple[float, int]]] = defaultdict(list)
    person = Participant(url, 0, random.Random(1), phase="solo")
    before = cpu_seconds(pid)
    run = await person.open()
    out["first_load"].append((cpu_seconds(pid) - before, run.bytes))
    for kind in ("map_click", "search_add", "measure", "page_switch", "checklist_edit", "weight"):
        for _i in range(repeats):
            if kind == "page_switch":
                # a warm switch: to a page this session has seen
                target = "region" if person.page == "kart" else "kart"
                before = cpu_seconds(pid)
                run = await person.go(target)
            else:
                page = {"checklist_edit": "sjekkliste", "weight": "scenarier"}.get(kind, "kart")
                await person.ensure(page)
                before = cpu_seconds(pid)
                run = await person.act(kind)
            out[kind].append((cpu_seconds(pid) - before, run.bytes))
    await person.client.close()
    return out


async def hall(url: str, server: Server, participants: int, seconds: float, seed: int):
    """Everybody at once for ``seconds``; per kind (latency s, bytes); edits made per slot; peak RSS."""
    rng = random.Random(seed)
    people = [Participant(url, i, random.Random(rng.random())) for i in range(participants)]
    await asyncio.gather(*(p.open() for p in people))
    results: dict[str, list[tuple[float, int]]] = defaultdict(list)
    errors: list[str] = []
    peak = [server.rss_mb()]
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            peak[0] = max(peak[0], server.rss_mb())
            time.sleep(0.25)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    kinds, weights = list(MIX), list(MIX.values())
    end = time.monotonic() + seconds
    bytes_start = sum(p.client.total_bytes for p in people)
    cpu_start = cpu_seconds(server.pid)

    async def life(person: Participant):
        await asyncio.sleep(person.rng.uniform(0, 4))
        while time.monotonic() < end:
            kind = person.rng.choices(kinds, weights)[0]
            try:
                run = await person.act(kind)
                results[kind].append((run.seconds, run.bytes))
            except Exception as exc:  # noqa: BLE001 - counted and reported, the hall goes on
                errors.append(f"{kind}: {type(exc).__name__}: {exc}")
            await asyncio.sleep(person.rng.uniform(2, 8))

    await asyncio.gather(*(life(p) for p in people))
    server_cpu = cpu_seconds(server.pid) - cpu_start
    stop.set()
    sampler.join()
    total = sum(p.client.total_bytes for p in people) - bytes_start
    for person in people:
        await person.client.close()
    made = {(p.council, p.area): p.edits for p in people}
    return results, made, total, peak[0], server_cpu, errors


async def soak(url: str, server: Server, count: int) -> tuple[float, float]:
    """``count`` interactions (map clicks, searches, switches, edits) by four participants; RSS before/after."""
    people = [Participant(url, 100 + i, random.Random(i), phase="soak") for i in range(4)]
    for person in people:
        await person.open()
        person.area = "soak"  # never counted as a hall edit
    before = server.rss_mb()
    kinds = ["map_click", "map_click", "search_add", "measure", "page_switch", "checklist_edit"]

    async def run(person: Participant, n: int):
        for i in range(n):
            try:
                await person.act(kinds[i % len(kinds)])
            except Exception:  # noqa: BLE001 - a failed interaction is retried from a fresh page
                await person.go("kart")

    await asyncio.gather(*(run(p, count // len(people)) for p in people))
    for person in people:
        await person.client.close()
    await asyncio.sleep(1)
    return before, server.rss_mb()


def count_kept(data_dir: Path, made: dict[tuple[str, str], int]) -> int:
    """Edits found in the store's history for every participant's own answer."""
    store = Store.open(f"sqlite:///{data_dir / 'kommunestrategi.sqlite'}")
    ws = store.get_workspace("Demo")
    found = sum(len(store.answer_history(ws.id, council, area, "why", "problem")) for council, area in made)
    store.close()
    return found


async def cold_load(url: str) -> tuple[int, int, int]:
    """One real browser opens /kart cold: (bytes over HTTP, bytes over the WebSocket, HTTP bytes if gzipped)."""
    from playwright.async_api import async_playwright

    http_bytes = ws_bytes = gz_bytes = 0
    bodies: list = []
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                           args=["--no-sandbox", "--disable-gpu", "--no-first-run"])
        page = await browser.new_page(viewport={"width": 1440, "height": 900})

        def on_ws(ws):
            def count(payload):
                nonlocal ws_bytes
                ws_bytes += len(payload)
            ws.on("framereceived", count)

        page.on("websocket", on_ws)
        page.on("response", lambda response: bodies.append(response))
        await page.goto(f"{url}/kart", timeout=180_000)
        await page.wait_for_selector(".js-plotly-plot path.choroplethlocation", timeout=180_000)
        await page.wait_for_timeout(2000)
        for response in bodies:
            try:
                sizes = await response.request.sizes()
                body = await response.body()
            except Exception:  # noqa: BLE001 - redirects and aborted requests have no body
                continue
            http_bytes += sizes["responseBodySize"] + sizes["responseHeadersSize"]
            compressible = "text" in (response.headers.get("content-type") or "") or \
                response.url.endswith((".js", ".css", ".json", ".svg", ".html"))
            gz_bytes += sizes["responseHeadersSize"] + (len(gzip.compress(body, 6)) if compressible
                                                        else sizes["responseBodySize"])
        await browser.close()
    return http_bytes, ws_bytes, gz_bytes


#: The same app as a plain script (no st.App, so no compression): the baseline server.
PLAIN_SCRIPT = ".bench_plain_app.py"
PLAIN_APP = "from ui import frame\n\nframe.run()\n"

MINIMAL_APP = """
import streamlit as st


def saved():
    st.session_state["n"] = st.session_state.get("n", 0) + 1


st.text_area("Problemet som skal løses", key="t", on_change=saved)
st.caption(f"Lagret {st.session_state.get('n', 0)}")
"""


async def minimal_baseline(folder: Path, edits: int) -> list[tuple[float, int]]:
    script = folder / "minimal_app.py"
    script.write_text(MINIMAL_APP, encoding="utf-8")
    server = Server(script, folder, ("--server.fileWatcherType", "none"))
    try:
        client = StreamlitClient(server.url)
        await client.open("")
        out = []
        for i in range(edits):
            client.set_string(client.find("text_area", LABEL), f"minimal {i}")
            before = cpu_seconds(server.pid)
            run = await client.rerun()
            out.append((cpu_seconds(server.pid) - before, run.bytes))
        await client.close()
        return out
    finally:
        server.stop()


def report(prefix: str, values: list[float], unit: str, scale: float = 1.0, digits: int = 0) -> None:
    if values:
        print(f"{prefix}_median: {statistics.median(values) * scale:.{digits}f} {unit}")
        print(f"{prefix}_p95: {percentile(values, 0.95) * scale:.{digits}f} {unit}")


def print_hall(args, results, made, total, peak, server_cpu, errors, kept) -> None:
    interactions = sum(len(v) for v in results.values())
    print(f"hall_participants: {args.participants} participants")
    print(f"hall_seconds: {args.seconds:.0f} s")
    print(f"hall_interactions: {interactions} interactions")
    for kind in MIX:
        values = results.get(kind, [])
        print(f"hall_{kind}_count: {len(values)} interactions")
        report(f"hall_{kind}_latency", [s for s, _b in values], "ms", 1000)
        report(f"hall_{kind}_bytes", [b for _s, b in values], "KB", 1 / 1000, 1)
    print(f"hall_total_bytes: {total / 1e6:.1f} MB")
    print(f"hall_mean_bandwidth: {total * 8 / args.seconds / 1e6:.2f} Mbit/s")
    print(f"hall_server_cpu: {server_cpu:.1f} s over {args.seconds:.0f} s")
    print(f"hall_server_peak_rss: {peak:.0f} MB")
    print(f"hall_errors: {len(errors)} errors")
    for line in errors[:5]:
        print(f"  {line}", file=sys.stderr)
    edits_made = sum(made.values())
    print(f"hall_edits_made: {edits_made} edits")
    print(f"hall_edits_kept: {kept} edits")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--repeats", type=int, default=12, help="solo interactions of each kind")
    parser.add_argument("--soak", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=16)
    args = parser.parse_args()
    if args.participants > len(COUNCILS) * len(AREAS):
        parser.error(f"at most {len(COUNCILS) * len(AREAS)} participants")
    geo.bundled()
    print(f"machine_load_average_1min_start: {psutil.getloadavg()[0]:.1f} runnable")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        # 1. solo: the app as Streamlit serves a plain script with its default settings,
        # then as shipped (app.py's server with compressed static files, .streamlit/config.toml)
        plain = ROOT / PLAIN_SCRIPT
        plain.write_text(PLAIN_APP, encoding="utf-8")
        cold: dict[str, tuple[int, int, int]] = {}
        try:
            for label, script, options in (
                    ("defaults", plain, ("--runner.postScriptGC", "true", "--server.fileWatcherType", "auto")),
                    ("shipped", ROOT / "app.py", ())):
                data_dir = folder / label
                data_dir.mkdir()
                server = Server(script, data_dir, options)
                try:
                    asyncio.run(solo(server.url, server.pid, 2))  # warm-up: caches, first imports
                    measured = asyncio.run(solo(server.url, server.pid, args.repeats))
                    cold[label] = asyncio.run(cold_load(server.url))
                finally:
                    server.stop()
                for kind, values in measured.items():
                    report(f"solo_{label}_{kind}_server_cpu", [cpu for cpu, _b in values], "ms", 1000)
                    if label == "shipped":
                        report(f"solo_{kind}_bytes", [b for _c, b in values], "KB", 1 / 1000, 1)
        finally:
            plain.unlink(missing_ok=True)
        http, ws, _gz = cold["shipped"]
        print(f"cold_load_map_page_http: {http / 1e6:.2f} MB")
        print(f"cold_load_map_page_websocket: {ws / 1e6:.2f} MB")
        print(f"cold_load_map_page_total: {(http + ws) / 1e6:.2f} MB")
        http, ws, gz = cold["defaults"]
        print(f"baseline_cold_load_plain_streamlit_total: {(http + ws) / 1e6:.2f} MB")
        print(f"baseline_cold_load_plain_streamlit_if_gzipped_by_a_proxy: {(gz + ws) / 1e6:.2f} MB")
        if not args.participants or not args.seconds:
            return

        # 2. the hall, 3. the soak (shipped config)
        data_dir = folder / "hall"
        data_dir.mkdir()
        server = Server(ROOT / "app.py", data_dir)
        try:
            asyncio.run(solo(server.url, server.pid, 1))
            slots = {(COUNCILS[i % len(COUNCILS)], AREAS[i // len(COUNCILS) % len(AREAS)]): 0
                     for i in range(args.participants)}
            earlier = count_kept(data_dir, slots)  # the warm-up's own edits are not the hall's
            print(f"machine_load_average_1min_hall: {psutil.getloadavg()[0]:.1f} runnable")
            results, made, total, peak, server_cpu, errors = asyncio.run(
                hall(server.url, server, args.participants, args.seconds, args.seed))
            kept = count_kept(data_dir, made) - earlier  # before the soak, which edits answers of its own
            print_hall(args, results, made, total, peak, server_cpu, errors, kept)
            rss_before, rss_after = asyncio.run(soak(server.url, server, args.soak)) if args.soak else (0, 0)
        finally:
            server.stop()
        # 4. baseline
        minimal = asyncio.run(minimal_baseline(folder, args.repeats))

    if args.soak:
        print(f"soak_interactions: {args.soak} interactions")
        print(f"soak_rss_before: {rss_before:.0f} MB")
        print(f"soak_rss_after: {rss_after:.0f} MB")
    report("baseline_minimal_app_edit_server_cpu", [c for c, _b in minimal], "ms", 1000)
    report("baseline_minimal_app_edit_bytes", [b for _c, b in minimal], "KB", 1 / 1000, 1)
    print(f"machine_load_average_1min_end: {psutil.getloadavg()[0]:.1f} runnable")
    edits_made = sum(made.values())
    if kept != edits_made:
        print(f"error: {edits_made} edits made but {kept} kept in the store", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
