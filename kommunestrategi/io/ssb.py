"""Statistics Norway (SSB): JSON-stat2 parsing and a PxWebApi v2 client.

``parse_jsonstat2`` turns a JSON-stat2 dataset - as the PxWebApi returns it or as
a user downloads it from Statistikkbanken - into a long table with one row per
value: ``region_code`` (the raw id, e.g. ``K-3001``), ``region_label``, ``year``,
one column per other dimension (``ContentsCode``, ``Alder`` ...) and ``value``
(NaN where SSB gives a status symbol such as ``..`` instead of a number).
Region ids stay raw: ``classify_region`` tells municipalities from aggregates
(counties, the whole country, KOSTRA groups, Oslo districts, ``K-Rest``) so the
importer can skip aggregates with a warning rather than mistake them for
municipalities.

``SsbClient.fetch_table`` posts a query to ``/tables/<id>/data`` and parses the
answer, with the disk cache, timeouts and retries of ``io.online``.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache
from math import prod
from pathlib import Path

import numpy as np
import pandas as pd
import requests
import yaml

from kommunestrategi import config, formatting
from kommunestrategi.io.cache import DiskCache
from kommunestrategi.io.online import (
    DEFAULT_BACKOFF,
    DEFAULT_RETRIES,
    DEFAULT_TIMEOUT,
    FetchResult,
    InvalidResponse,
    OnlineSource,
    RequestRejected,
)
from kommunestrategi.io.report import ImportReport

BASE_URL = "https://data.ssb.no/api/pxwebapi/v2"
#: Environment variable naming another PxWebApi v2 root (a mirror or proxy).
BASE_URL_ENV = "KOMMUNESTRATEGI_SSB_URL"
SOURCE_NAME = "SSB"
#: Largest dataset accepted (cells); SSB itself caps a query at 800,000 cells.
MAX_CELLS = 2_000_000
CATALOGUE_PATH = Path(__file__).resolve().parent.parent / "catalogues" / "ssb_tables.yaml"

_GEO_NAMES = ("Region", "KOKkommuneregion0000", "Kommune", "region")
_TIME_NAMES = ("Tid", "Time", "year", "Year")
_YEAR = re.compile(r"^(\d{4})")


# ---------------------------------------------------------------------------
# Region ids
# ---------------------------------------------------------------------------

def classify_region(code: str) -> str:
    """What an SSB region id denotes.

    ``municipality`` (``K-3001``, ``3001``, ``0301``), ``county`` (``F-30``, ``30``),
    ``country`` (``0``, ``EAK`` = the whole country), ``group`` (KOSTRA groups
    ``EKG01`` and other ``E...`` aggregates), ``district`` (Oslo districts
    ``030101``), or ``other`` (Svalbard, Jan Mayen, the continental shelf,
    ``K-Rest``, anything unknown).
    """
    text = str(code).strip()
    upper = text.upper()
    if upper in ("0", "EAK", "EAKUO", "EAKUOF", "NORGE", "HELE LANDET"):
        return "country"
    match = re.fullmatch(r"(?:K-)?(\d{4})", upper)
    if match:
        # 21xx-23xx: Svalbard, Jan Mayen, the continental shelf (not municipalities)
        return "other" if match.group(1)[:2] in ("21", "22", "23") else "municipality"
    if re.fullmatch(r"(?:F-)?\d{2}", upper):
        return "other" if upper[-2:] in ("21", "22", "23") else "county"
    if re.fullmatch(r"\d{6}", upper):
        return "district"
    if upper.startswith("E") and upper[1:].isalnum():
        return "group"
    return "other"


def region_number(code: str) -> str | None:
    """The 4-digit municipality number of a municipality id, None for aggregates."""
    if classify_region(code) != "municipality":
        return None
    return str(code).strip().upper().removeprefix("K-")


# ---------------------------------------------------------------------------
# JSON-stat2
# ---------------------------------------------------------------------------

def _category_ids(dimension: dict, size: int) -> list[str] | None:
    category = dimension.get("category") if isinstance(dimension, dict) else None
    if not isinstance(category, dict):
        return None
    index = category.get("index")
    if isinstance(index, list):
        ids = [str(i) for i in index]
    elif isinstance(index, dict):
        ordered = sorted(index.items(), key=lambda item: item[1])
        ids = [str(key) for key, _ in ordered]
        if [pos for _, pos in ordered] != list(range(len(ordered))):
            return None
    elif isinstance(category.get("label"), dict) and len(category["label"]) == 1:
        ids = [str(next(iter(category["label"])))]
    else:
        return None
    return ids if len(ids) == size else None


def _values(raw: object, n: int) -> tuple[np.ndarray, list[object]] | None:
    """Values as float array (NaN for missing) and the non-numeric values found."""
    out = np.full(n, np.nan)
    bad: list[object] = []
    if isinstance(raw, list):
        if len(raw) != n:
            return None
        items = enumerate(raw)
    elif isinstance(raw, dict):
        try:
            items = ((int(k), v) for k, v in raw.items())
            items = list(items)
        except (TypeError, ValueError):
            return None
        if any(not 0 <= i < n for i, _ in items):
            return None
    else:
        return None
    for i, value in items:
        if value is None:
            continue
        if isinstance(value, bool):
            bad.append(value)
        elif isinstance(value, (int, float)):
            out[i] = float(value)
        else:
            try:
                out[i] = float(str(value).replace(" ", "").replace(",", "."))
            except ValueError:
                bad.append(value)
    return out, bad


def _status(raw: object, n: int) -> list[str | None]:
    if isinstance(raw, str):
        return [raw] * n
    status: list[str | None] = [None] * n
    if isinstance(raw, list):
        for i, symbol in enumerate(raw[:n]):
            status[i] = None if symbol is None else str(symbol)
    elif isinstance(raw, dict):
        for key, symbol in raw.items():
            try:
                i = int(key)
            except (TypeError, ValueError):
                continue
            if 0 <= i < n and symbol is not None:
                status[i] = str(symbol)
    return status


def _pick(ids: list[str], role: dict, role_name: str, names: tuple[str, ...]) -> str | None:
    listed = role.get(role_name) if isinstance(role, dict) else None
    if isinstance(listed, list):
        for name in listed:
            if name in ids:
                return str(name)
    for name in names:
        if name in ids:
            return name
    return None


def parse_jsonstat2(data: bytes | dict, file_name: str = "") -> tuple[pd.DataFrame | None, ImportReport]:
    """A JSON-stat2 dataset as a long DataFrame, with a report of what was wrong.

    Columns: ``region_code``, ``region_label``, ``year`` (int), one column per
    other dimension (category ids as text; the time dimension is kept too when
    its periods are not plain years, e.g. ``2022K1``), and ``value`` (float, NaN
    for missing). ``frame.attrs`` holds ``label``, ``source``, ``updated``,
    ``table_id``, ``dimension_labels`` ({dimension: {id: label}}) and ``units``.
    Returns ``(None, report)`` when an error blocks reading.
    """
    report = ImportReport(file_name)
    if isinstance(data, (bytes, bytearray, memoryview)):
        raw = bytes(data)
        limit = config.max_upload_bytes()
        if len(raw) > limit:
            report.error("ssb_too_large", size_mb=formatting.number(len(raw) / 1024 / 1024, decimals=1),
                         limit_mb=formatting.number(limit / 1024 / 1024))
            return None, report
        try:
            doc = json.loads(raw.decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            report.error("ssb_not_json")
            return None, report
    else:
        doc = data
    # A JSON-stat2 "collection" or bundle with a single dataset is unwrapped.
    if isinstance(doc, dict) and doc.get("class") == "collection":
        items = (doc.get("link") or {}).get("item") or []
        datasets = [item for item in items if isinstance(item, dict) and item.get("class") == "dataset"]
        if len(datasets) == 1:
            doc = datasets[0]
    if not isinstance(doc, dict) or not all(k in doc for k in ("id", "size", "dimension", "value")):
        report.error("ssb_not_dataset")
        return None, report
    ids, sizes, dims = doc["id"], doc["size"], doc["dimension"]
    if (not isinstance(ids, list) or not isinstance(sizes, list) or len(ids) != len(sizes)
            or not isinstance(dims, dict) or not all(isinstance(s, int) and s >= 0 for s in sizes)
            or not all(isinstance(i, str) and i in dims for i in ids)):
        report.error("ssb_not_dataset")
        return None, report
    n = prod(sizes)
    if n > MAX_CELLS:
        report.error("ssb_too_many_cells", cells=formatting.number(n), limit=formatting.number(MAX_CELLS))
        return None, report

    categories: dict[str, list[str]] = {}
    for dim_id, size in zip(ids, sizes, strict=True):
        found = _category_ids(dims[dim_id], size)
        if found is None:
            report.error("ssb_bad_dimension", column=dim_id)
            return None, report
        categories[dim_id] = found

    role = doc.get("role") or {}
    geo = _pick(ids, role, "geo", _GEO_NAMES)
    time_dim = _pick(ids, role, "time", _TIME_NAMES)
    if geo is None:
        report.error("ssb_no_region", dimensions=", ".join(ids))
        return None, report
    if time_dim is None:
        report.error("ssb_no_time", dimensions=", ".join(ids))
        return None, report

    parsed = _values(doc["value"], n)
    if parsed is None:
        found = len(doc["value"]) if isinstance(doc["value"], (list, dict)) else 0
        report.error("ssb_size_mismatch", expected=formatting.number(n), found=formatting.number(found))
        return None, report
    values, bad = parsed
    if bad:
        report.error("ssb_bad_value", count=len(bad), example=str(bad[0])[:40])
        return None, report

    # Cartesian product in row-major order: the last dimension varies fastest.
    columns: dict[str, np.ndarray] = {}
    repeat_after = n
    for dim_id, size in zip(ids, sizes, strict=True):
        repeat_after //= max(size, 1)
        codes = np.asarray(categories[dim_id], dtype=object)
        block = np.repeat(codes, repeat_after) if size else codes
        columns[dim_id] = np.tile(block, n // max(len(block), 1)) if size else block

    labels = {
        dim_id: {str(k): str(v) for k, v in ((dims[dim_id].get("category") or {}).get("label") or {}).items()}
        for dim_id in ids
    }
    periods = categories[time_dim]
    years: dict[str, int] = {}
    for period in periods:
        match = _YEAR.match(period)
        if match is None:
            report.error("ssb_bad_year", column=time_dim, period=period)
            return None, report
        years[period] = int(match.group(1))
    annual = all(p == str(years[p]) for p in periods)
    if not annual:
        report.warning("ssb_not_annual", column=time_dim, example=next(p for p in periods if not p.isdigit()))

    frame = pd.DataFrame({
        "region_code": pd.Series(columns[geo], dtype="string"),
        "region_label": pd.Series(columns[geo], dtype="string").map(
            lambda c: labels[geo].get(c, c)).astype("string"),
        "year": pd.Series([years[p] for p in columns[time_dim]], dtype="int64"),
    })
    for dim_id in ids:
        if dim_id == geo or (dim_id == time_dim and annual):
            continue
        frame[dim_id] = pd.Series(columns[dim_id], dtype="string")
    frame["value"] = values

    status = _status(doc.get("status"), n)
    missing = np.isnan(values)
    if missing.any():
        symbols = sorted({s for s, m in zip(status, missing, strict=True) if m and s})
        report.warning("ssb_missing_values", count=formatting.number(int(missing.sum())),
                       symbols=", ".join(symbols) or "–")

    units = {}
    metric = _pick(ids, role, "metric", ("ContentsCode",))
    if metric is not None:
        unit_map = (dims[metric].get("category") or {}).get("unit") or {}
        units = {str(k): (v.get("base", "") if isinstance(v, dict) else str(v)) for k, v in unit_map.items()}
    px = (doc.get("extension") or {}).get("px") or {}
    frame.attrs.update({
        "label": str(doc.get("label", "")),
        "source": str(doc.get("source", "")),
        "updated": str(doc.get("updated", "")),
        "table_id": str(px.get("tableid", "")),
        "dimension_labels": labels,
        "units": units,
        "geo_dimension": geo,
        "time_dimension": time_dim,
    })
    return frame, report


# ---------------------------------------------------------------------------
# Named tables
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class SsbTable:
    """A table the app knows by name, with its default query."""

    table_id: str
    name: dict[str, str]
    indicator: str
    query: dict[str, dict]


class CatalogueError(ValueError):
    """The SSB table catalogue is malformed."""


@lru_cache(maxsize=1)
def known_tables() -> dict[str, SsbTable]:
    """The named SSB tables (``catalogues/ssb_tables.yaml``), validated."""
    doc = yaml.safe_load(CATALOGUE_PATH.read_text(encoding="utf-8")) or {}
    tables: dict[str, SsbTable] = {}
    for table_id, entry in (doc.get("tables") or {}).items():
        table_id = str(table_id)
        if not re.fullmatch(r"\d{5}", table_id):
            raise CatalogueError(f"table id {table_id!r} is not five digits")
        name = entry.get("name") or {}
        if set(name) != {"nb", "en", "sv"}:
            raise CatalogueError(f"{table_id}: name needs nb, en and sv")
        query = entry.get("query") or {}
        for variable, selection in query.items():
            if not isinstance(selection, dict) or not isinstance(selection.get("valueCodes"), list):
                raise CatalogueError(f"{table_id}: {variable} needs a valueCodes list")
        tables[table_id] = SsbTable(table_id, {k: str(v) for k, v in name.items()},
                                    str(entry.get("indicator", "")), query)
    return tables


def selection_body(query: dict) -> dict:
    """A PxWebApi v2 POST body from ``{variable: codes | {valueCodes, codeList, outputValues}}``.

    Codes may be a list or a comma-separated text (``"top(3)"``, ``"K-3001,K-3002"``).
    ``codeList`` (also accepted as ``codelist``) applies a value set or grouping,
    e.g. ``agg_KommSummer``; ``outputValues`` (``aggregated`` or ``single``) says
    how a grouping's values are returned.
    """
    selection = []
    for variable, spec in query.items():
        if isinstance(spec, dict):
            codes = spec.get("valueCodes", [])
            codelist = spec.get("codeList") or spec.get("codelist")
            output = spec.get("outputValues")
        else:
            codes, codelist, output = spec, None, None
        if isinstance(codes, str):
            codes = [c.strip() for c in split_codes(codes)]
        item = {"variableCode": str(variable), "valueCodes": [str(c) for c in codes]}
        if codelist:
            item["codeList"] = str(codelist)
        if output:
            item["outputValues"] = str(output)
        selection.append(item)
    return {"selection": selection}


def split_codes(text: str) -> list[str]:
    """Split on commas outside parentheses, so ``range(2020,2022)`` stays whole."""
    parts, depth, current = [], 0, ""
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        if ch == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += ch
    if current.strip():
        parts.append(current)
    return [p for p in parts if p.strip()]


# ---------------------------------------------------------------------------
# Client
# ---------------------------------------------------------------------------

class SsbClient:
    """PxWebApi v2 client: ``fetch_table("07459")`` gives a parsed ``FetchResult``.

    Answers are cached on disk (``cache``; ``None`` disables caching) and served
    from there while younger than the cache's max age; when the network fails an
    older cached answer is used and marked ``stale``.
    """

    def __init__(self, cache: DiskCache | None = None, timeout: float = DEFAULT_TIMEOUT,
                 retries: int = DEFAULT_RETRIES, session: requests.Session | None = None,
                 base_url: str | None = None, lang: str = "no", backoff: float = DEFAULT_BACKOFF,
                 sleep=None) -> None:
        kwargs = {"sleep": sleep} if sleep is not None else {}
        self.source = OnlineSource(SOURCE_NAME, cache=cache, timeout=timeout, retries=retries,
                                   session=session, backoff=backoff, **kwargs)
        self.base_url = (base_url or os.environ.get(BASE_URL_ENV) or BASE_URL).rstrip("/")
        self.lang = lang

    def data_url(self, table_id: str) -> str:
        return f"{self.base_url}/tables/{table_id}/data"

    def fetch_table(self, table_id: str, query: dict | None = None, *,
                    max_age: timedelta | None | str = "default", cache_only: bool = False) -> FetchResult:
        """Fetch and parse one table; ``query`` defaults to the catalogue's query.

        Raises ``online.FetchError`` subclasses: ``OfflineError`` (no network and
        nothing cached), ``NotCachedError`` (``cache_only`` and nothing cached),
        ``RequestRejected`` (unknown table or bad query), ``ServerError``,
        ``InvalidResponse`` (not a JSON-stat2 dataset; see its ``report``).
        """
        table_id = str(table_id).strip()
        if not re.fullmatch(r"[A-Za-z0-9_]{1,20}", table_id):
            raise RequestRejected(SOURCE_NAME, status="-", detail=table_id[:40])
        if query is None:
            known = known_tables().get(table_id)
            query = known.query if known else {}
        body = selection_body(query)
        params = {"lang": self.lang, "outputFormat": "json-stat2"}
        url = self.data_url(table_id)

        parsed: dict[bytes, tuple] = {}

        def validate(data: bytes) -> None:
            parsed[data] = parse_jsonstat2(data, file_name=f"{table_id}.json")
            if parsed[data][0] is None:
                raise InvalidResponse(SOURCE_NAME, parsed[data][1], table=table_id)

        payload = self.source.get("POST", url, params=params, body=body, max_age=max_age,
                                  cache_only=cache_only, validate=validate)
        frame, report = parsed.get(payload.data) or parse_jsonstat2(payload.data, file_name=f"{table_id}.json")
        if frame is None:
            raise InvalidResponse(SOURCE_NAME, report, table=table_id)
        frame.attrs["table_id"] = frame.attrs.get("table_id") or table_id
        return FetchResult(frame=frame, fetched_at=payload.fetched_at, from_cache=payload.from_cache,
                           url=payload.url, stale=payload.stale, report=report, data=payload.data)
