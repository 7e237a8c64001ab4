"""A workshop in miniature: many browsers typing into one app server at once.

Starts ``streamlit run app.py`` on a fresh data folder, opens one Chromium with
``--sessions`` browser contexts (default 10), and lets each context make
``--edits`` edits (default 20) to a checklist answer of its own council and
service area. Each edit is timed from typing until the field shows that the
store has confirmed the save ("Lagret 12:03" for that version). Afterwards the
store is read directly and the edits found in each answer's history are counted:
the count must equal the edits made.

Two baselines are measured in the same run: one browser session editing alone,
and the same edits against a one-field Streamlit app (Streamlit's own cost per
save on this machine).

Prints ``name: value unit`` lines. Run: ``python benchmarks/bench_workshop.py``.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kommunestrategi.store import Store  # noqa: E402
from tests.conftest import CHROMIUM, AppServer, free_port  # noqa: E402

COUNCILS = ("5001", "5028", "5029", "5031", "5059")
AREAS = ("ikt", "barnevern", "innkjop", "administrasjon", "helse")
LABEL = "Problemet som skal løses"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


async def open_checklist(browser, url: str, council: str, area: str):
    """One participant opens the checklist of their council and service area."""
    context = await browser.new_context(viewport={"width": 1300, "height": 900}, locale="nb-NO")
    page = await context.new_page()
    await page.goto(f"{url}/sjekkliste?kommune={council}&omrade={area}", timeout=120_000)
    box = page.get_by_label(LABEL, exact=False).first
    await box.wait_for(timeout=120_000)
    return context, page, box


async def edit(page, box, council: str, area: str, edits: int, tag: str) -> list[float]:
    """Save ``edits`` versions of one answer, timing each from typing to "Lagret"."""
    times = []
    for number in range(1, edits + 1):
        start = time.perf_counter()
        await box.fill(f"{tag} edit {number} for {council}/{area}: æøå")
        await box.press("Tab")
        await page.locator(f"[class*='st-key-saved-'][class*='-{council}-{area}-why-problem-v{number}']").wait_for(
            timeout=120_000)
        times.append((time.perf_counter() - start) * 1000)
    return times


def slot(i: int) -> tuple[str, str]:
    """The council and service area of participant ``i`` (each participant has their own)."""
    return COUNCILS[i % len(COUNCILS)], AREAS[i // len(COUNCILS) % len(AREAS)]


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) used so far by the app server process."""
    times = psutil.Process(pid).cpu_times()
    return times.user + times.system


async def run(url: str, pid: int, sessions: int, edits: int) -> tuple[list[float], list[float], float, float, float]:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                           args=["--no-sandbox", "--disable-gpu", "--no-first-run"])
        # baseline: one participant alone (its own council/area, not counted below)
        context, page, box = await open_checklist(browser, url, COUNCILS[0], "kultur")
        cpu_start = cpu_seconds(pid)
        baseline = await edit(page, box, COUNCILS[0], "kultur", min(edits, 10), "baseline")
        baseline_cpu = (cpu_seconds(pid) - cpu_start) / len(baseline)
        await context.close()
        # everybody opens the page first, then all edit at the same time
        opened = await asyncio.gather(*(open_checklist(browser, url, *slot(i)) for i in range(sessions)))
        started = time.perf_counter()
        cpu_before = cpu_seconds(pid)
        results = await asyncio.gather(*(
            edit(page, box, *slot(i), edits, f"s{i}") for i, (_context, page, box) in enumerate(opened)))
        wall = time.perf_counter() - started
        server_cpu = cpu_seconds(pid) - cpu_before
        for context, _page, _box in opened:
            await context.close()
        await browser.close()
    return baseline, [t for times in results for t in times], wall, server_cpu, baseline_cpu


MINIMAL_APP = """
import streamlit as st


def saved():
    st.session_state["n"] = st.session_state.get("n", 0) + 1


st.text_area("Problemet som skal løses", key="t", on_change=saved)
with st.container(key=f"saved-1-5001-kultur-why-problem-v{st.session_state.get('n', 0)}"):
    st.caption("Lagret")
"""


async def minimal_app_baseline(folder: Path, edits: int) -> tuple[list[float], float]:
    """The same edits against a one-field Streamlit app: (times, server CPU per edit)."""
    from playwright.async_api import async_playwright

    script = folder / "minimal_app.py"
    script.write_text(MINIMAL_APP, encoding="utf-8")
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--server.fileWatcherType", "none",
         "--browser.gatherUsageStats", "false"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}"
        for _attempt in range(200):
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                    break
            except OSError:
                await asyncio.sleep(0.3)
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                               args=["--no-sandbox", "--disable-gpu", "--no-first-run"])
            page = await browser.new_page()
            await page.goto(url, timeout=120_000)
            box = page.get_by_label(LABEL, exact=False).first
            await box.wait_for(timeout=120_000)
            before = cpu_seconds(process.pid)
            times = await edit(page, box, COUNCILS[0], "kultur", edits, "minimal")
            cpu = (cpu_seconds(process.pid) - before) / edits
            await browser.close()
    finally:
        process.kill()
        process.wait(10)
    return times, cpu


def count_edits(data_dir: Path, sessions: int) -> tuple[int, int]:
    """Edits found in the store's history and how many distinct saved texts they hold."""
    store = Store.open(f"sqlite:///{data_dir / 'kommunestrategi.sqlite'}")
    ws = store.get_workspace("Demo")
    found = 0
    texts = set()
    for i in range(sessions):
        council, area = slot(i)
        history = store.answer_history(ws.id, council, area, "why", "problem")
        found += len(history)
        texts.update(entry.new_value for entry in history)
    store.close()
    return found, len(texts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--edits", type=int, default=20)
    args = parser.parse_args()
    if args.sessions > len(COUNCILS) * len(AREAS):
        parser.error(f"at most {len(COUNCILS) * len(AREAS)} sessions")
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        server = AppServer(data_dir).start(timeout=120)
        try:
            baseline, times, wall, server_cpu, baseline_cpu = asyncio.run(
                run(server.url, server.process.pid, args.sessions, args.edits))
        finally:
            server.stop()
        found, distinct = count_edits(data_dir, args.sessions)
        minimal, minimal_cpu = asyncio.run(minimal_app_baseline(data_dir, min(args.edits, 10)))
    made = args.sessions * args.edits
    print(f"workshop_sessions: {args.sessions} sessions")
    print(f"workshop_edits_made: {made} edits")
    print(f"workshop_edits_found: {found} edits")
    print(f"workshop_distinct_texts_found: {distinct} texts")
    print(f"workshop_edit_to_saved_p50: {statistics.median(times):.0f} ms")
    print(f"workshop_edit_to_saved_p95: {percentile(times, 0.95):.0f} ms")
    print(f"workshop_edit_to_saved_max: {max(times):.0f} ms")
    print(f"workshop_throughput: {made / wall:.1f} edits/s")
    print(f"workshop_server_cpu_per_edit: {server_cpu / made * 1000:.0f} ms")
    print(f"machine_load_average_1min: {psutil.getloadavg()[0]:.1f} runnable")
    print(f"baseline_single_session_p50: {statistics.median(baseline):.0f} ms")
    print(f"baseline_single_session_p95: {percentile(baseline, 0.95):.0f} ms")
    print(f"baseline_server_cpu_per_edit: {baseline_cpu * 1000:.0f} ms")
    print(f"baseline_minimal_app_p50: {statistics.median(minimal):.0f} ms")
    print(f"baseline_minimal_app_server_cpu_per_edit: {minimal_cpu * 1000:.0f} ms")
    print(f"ratio_p50_workshop_vs_single: {statistics.median(times) / statistics.median(baseline):.1f} x")
    if found != made or distinct != made:
        print(f"error: {made} edits made but {found} found in the store ({distinct} distinct)", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
