"""Kolada (Swedish municipal key figures): API v3 client and parser.

Kolada publishes key performance indicators (KPIs, ids like ``N01951``) for
Swedish municipalities and regions. A data answer lists, per KPI, municipality
and period, the values split by gender (``T`` total, ``K`` women, ``M`` men)::

    {"count": 1, "values": [{"kpi": "N01951", "municipality": "0180", "period": 2023,
      "values": [{"gender": "T", "value": 984748.0, "count": 1, "status": ""}]}],
     "next_page": null}

``parse_kolada`` turns that into a long table ``municipality_id, kpi, year,
gender, value``; ``KoladaClient.fetch_kpi`` fetches (following the pages) with
the cache, timeouts and retries of ``io.online``. Municipality ids are Swedish
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
