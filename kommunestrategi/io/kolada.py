"""Kolada (Swedish municipal key figures): API v3 client and parser.

Kolada publishes key performance indicators (KPIs, ids like ``N01951``) for
Swedish municipalities and regions. A data answer lists, per KPI, municipality
and period, the values split by gender (``T`` total, ``K`` women, ``M`` men)::

    {"count": 1, "values": [{"kpi": "N01951", "municipality": "0180", "period": 2023,
      "values": [{"gender": "T", "value": 984748.0, "count": 1, "status": ""}]}],
     "next_page": null}

``parse_kolada`` turns that into a long table ``municipality_id, kpi, year,
gender, value``; ``KoladaClient.fetch_kpi`` fetches (following the pages) with
the cache, timeouts and retries of ``io.online``; ``KoladaClient.fetch_kpi_metadata``
reads Kolada's description of one KPI (``/kpi/<id>``: ``id``, ``title``,
``description``, ``operating_area`` ...), so a fetch can check that an id names the
KPI the catalogue means before its figures are used. Municipality ids are Swedish
kommunkoder (4 digits); ids starting ``00`` are regions (``0001``-``0025``) or
the whole country (``0000``), told apart by ``classify_id``.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from datetime import timedelta
from urllib.parse import urlsplit

import numpy as np
import pandas as pd
import requests

from kommunestrategi import formatting
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

BASE_URL = "https://api.kolada.se/v3"
#: Environment variable naming another Kolada API root (a mirror or proxy).
BASE_URL_ENV = "KOMMUNESTRATEGI_KOLADA_URL"
SOURCE_NAME = "Kolada"
PER_PAGE = 5000
#: A safety stop for pagination (5000 values per page).
MAX_PAGES = 100
COLUMNS = ["municipality_id", "kpi", "year", "gender", "value"]
_KPI = re.compile(r"^[A-Z]\d{5}$")


def classify_id(code: str) -> str:
    """``municipality`` for a kommunkod, ``region`` for 0001-0025, ``country`` for 0000."""
    text = str(code).strip()
    if text == "0000":
        return "country"
    if re.fullmatch(r"00\d{2}", text):
        return "region"
    if re.fullmatch(r"\d{4}", text):
        return "municipality"
    return "other"


def parse_kolada(data: bytes | dict | list, file_name: str = "") -> tuple[pd.DataFrame | None, ImportReport]:
    """A Kolada data answer (or a list of pages) as a long DataFrame with a report.

    Columns ``municipality_id`` (text, 4 digits), ``kpi``, ``year`` (int),
    ``gender`` (T/K/M), ``value`` (float, NaN when Kolada has no value).
    """
    report = ImportReport(file_name)
    pages: list[object] = []
    for page in data if isinstance(data, list) else [data]:
        if isinstance(page, (bytes, bytearray)):
            try:
                page = json.loads(bytes(page).decode("utf-8-sig"))
            except (UnicodeDecodeError, ValueError, RecursionError):
                report.error("kolada_not_json")
                return None, report
        # several pages saved together as one JSON list
        pages.extend(page if isinstance(page, list) else [page])
    rows: list[tuple[str, str, int, str, float]] = []
    for page in pages:
        if not isinstance(page, dict) or not isinstance(page.get("values"), list):
            report.error("kolada_not_data")
            return None, report
        for index, item in enumerate(page["values"], start=1):
            try:
                kpi = str(item["kpi"])
                municipality = str(item.get("municipality") or item.get("ou"))
                year = int(item["period"])
                values = item.get("values") or []
            except (KeyError, TypeError, ValueError):
                report.error("kolada_bad_row", index=index)
                return None, report
            for value in values:
                if not isinstance(value, dict):
                    continue
                number = value.get("value")
                try:
                    number = float(number) if number is not None else np.nan
                except (TypeError, ValueError):
                    number = np.nan
                rows.append((municipality.zfill(4), kpi, year, str(value.get("gender", "T")), number))
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame = frame.astype({"municipality_id": "string", "kpi": "string", "year": "int64",
                          "gender": "string", "value": "float64"})
    missing = int(frame["value"].isna().sum())
    if missing:
        report.warning("kolada_missing_values", count=formatting.number(missing))
    return frame, report


def parse_kpi_metadata(data: bytes | dict, kpi: str) -> dict | None:
    """Kolada's metadata for ``kpi`` from a ``/kpi/<id>`` answer, or None when Kolada lists no such KPI.

    The answer is a list page ``{"count": 1, "values": [{"id": "N01951", "title": ...}]}``
    (a bare ``{"id": ..., "title": ...}`` object is read too). Raises ``ValueError``
    when the answer is not KPI metadata at all.
    """
    doc = json.loads(bytes(data).decode("utf-8-sig")) if isinstance(data, (bytes, bytearray)) else data
    if isinstance(doc, dict) and isinstance(doc.get("values"), list):
        entries = doc["values"]
    elif isinstance(doc, dict) and "id" in doc:
        entries = [doc]
    else:
        raise ValueError("not KPI metadata")
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            raise ValueError("not KPI metadata")
        if entry["id"].upper() == kpi.upper():
            if not isinstance(entry.get("title"), str) or not entry["title"].strip():
                raise ValueError("KPI metadata without a title")
            return entry
    return None


def with_metadata(data: bytes, metadata: list[dict]) -> bytes:
    """A fetched data answer with Kolada's KPI metadata beside it (key ``kpi_metadata``).

    The file stays a Kolada data answer (``parse_kolada`` reads it as before); the
    importer uses the metadata to know that each KPI's title was checked at fetch time.
    """
    doc = json.loads(data.decode("utf-8-sig"))
    pages = doc if isinstance(doc, list) else [doc]
    if pages and isinstance(pages[0], dict):
        pages[0]["kpi_metadata"] = [{k: entry.get(k) for k in ("id", "title", "description", "operating_area")
                                     if k in entry} for entry in metadata]
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


def file_metadata(doc: object) -> dict[str, str]:
    """KPI id -> Kolada's title, as saved by ``with_metadata`` in a fetched file."""
    pages = doc if isinstance(doc, list) else [doc]
    titles: dict[str, str] = {}
    for page in pages:
        entries = page.get("kpi_metadata") if isinstance(page, dict) else None
        for entry in entries if isinstance(entries, list) else []:
            if isinstance(entry, dict) and isinstance(entry.get("id"), str) and isinstance(entry.get("title"), str):
                titles[entry["id"].upper()] = entry["title"]
    return titles


def _join(values: Iterable[object] | str | None) -> str:
    if values is None:
        return ""
    if isinstance(values, str):
        return values
    return ",".join(str(v) for v in values)


class KoladaClient:
    """Kolada API v3 client: ``fetch_kpi(["N01951"], ["0180"], [2023])``.

    Answers (each page) are cached on disk; see ``SsbClient`` for the behaviour
    when offline.
    """

    def __init__(self, cache: DiskCache | None = None, timeout: float = DEFAULT_TIMEOUT,
                 retries: int = DEFAULT_RETRIES, session: requests.Session | None = None,
                 base_url: str | None = None, backoff: float = DEFAULT_BACKOFF, sleep=None) -> None:
        kwargs = {"sleep": sleep} if sleep is not None else {}
        self.source = OnlineSource(SOURCE_NAME, cache=cache, timeout=timeout, retries=retries,
                                   session=session, backoff=backoff, **kwargs)
        self.base_url = (base_url or os.environ.get(BASE_URL_ENV) or BASE_URL).rstrip("/")

    def data_url(self, kpis: Iterable[str] | str, municipalities: Iterable[str] | str | None = None,
                 years: Iterable[int] | str | None = None) -> str:
        """The data URL: ``/data/kpi/<ids>[/municipality/<ids>][/year/<years>]``."""
        kpi_text = _join(kpis).upper().replace(" ", "")
        if not kpi_text or not all(_KPI.match(k) for k in kpi_text.split(",")):
            raise RequestRejected(SOURCE_NAME, status="-", detail=kpi_text or "?")
        url = f"{self.base_url}/data/kpi/{kpi_text}"
        for part, values in (("municipality", municipalities), ("year", years)):
            text = _join(values).replace(" ", "")
            if not text:
                continue
            if not re.fullmatch(r"\d{4}(?:,\d{4})*", text):
                raise RequestRejected(SOURCE_NAME, status="-", detail=text[:40])
            url += f"/{part}/{text}"
        return url

    def kpi_url(self, kpi: str) -> str:
        """The metadata URL of one KPI: ``/kpi/<id>``."""
        text = str(kpi).strip().upper()
        if not _KPI.match(text):
            raise RequestRejected(SOURCE_NAME, status="-", detail=text[:40] or "?")
        return f"{self.base_url}/kpi/{text}"

    def fetch_kpi_metadata(self, kpi: str, *, max_age: timedelta | None | str = "default",
                           cache_only: bool = False) -> dict | None:
        """Kolada's description of ``kpi`` (``id``, ``title``, ...), None when Kolada has no such KPI."""
        url = self.kpi_url(kpi)

        def validate(data: bytes) -> None:
            try:
                parse_kpi_metadata(data, kpi)
            except (UnicodeDecodeError, ValueError, RecursionError):
                report = ImportReport("kolada_kpi.json")
                report.error("kolada_not_kpi_metadata")
                raise InvalidResponse(SOURCE_NAME, report) from None

        payload = self.source.get("GET", url, max_age=max_age, cache_only=cache_only, validate=validate)
        return parse_kpi_metadata(payload.data, kpi)

    def fetch_kpi(self, kpis: Iterable[str] | str, municipalities: Iterable[str] | str | None = None,
                  years: Iterable[int] | str | None = None, *, max_age: timedelta | None | str = "default",
                  cache_only: bool = False) -> FetchResult:
        """Fetch KPI values for the given municipalities and years, all pages."""
        url = self.data_url(kpis, municipalities, years)
        pages: list[bytes] = []
        payloads = []
        page_url, params = url, {"per_page": PER_PAGE, "page": 1}
        host = urlsplit(self.base_url).netloc

        def validate(data: bytes) -> None:
            frame, report = parse_kolada(data, file_name="kolada.json")
            if frame is None:
                raise InvalidResponse(SOURCE_NAME, report)

        for _ in range(MAX_PAGES):
            payload = self.source.get("GET", page_url, params=params, max_age=max_age,
                                      cache_only=cache_only, validate=validate)
            payloads.append(payload)
            pages.append(payload.data)
            doc = json.loads(payload.data)
            next_url = doc.get("next_page") or doc.get("next_url")
            if isinstance(next_url, str) and next_url and urlsplit(next_url).netloc == host:
                page_url, params = next_url, None
            elif not next_url and params is not None and len(doc.get("values", [])) >= PER_PAGE:
                params = {**params, "page": params["page"] + 1}
            else:
                break
        frame, report = parse_kolada(pages, file_name="kolada.json")
        if frame is None:
            raise InvalidResponse(SOURCE_NAME, report)
        frame.attrs["kpis"] = sorted(set(frame["kpi"]))
        return FetchResult(
            frame=frame,
            fetched_at=min(p.fetched_at for p in payloads),
            from_cache=all(p.from_cache for p in payloads),
            url=payloads[0].url,
            stale=any(p.stale for p in payloads),
            report=report,
            data=pages[0] if len(pages) == 1 else b"[" + b",".join(pages) + b"]",
        )
