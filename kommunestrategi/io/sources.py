"""Online sources as the Data page offers them: named SSB tables, fetch, stored copies.

A thin layer over ``ssb`` and ``cache`` so that a page (or the CLI) needs three
calls: ``ssb_tables(lang)`` for the choice, ``fetch_ssb(table_id)`` for the
answer (raise ``online.FetchError`` with a message for the user), and
``stored_answers(lang)`` for the list of stored copies with their age. The raw
answer (``FetchResult.data``) goes through the same importer as an uploaded
file, under the name ``import_file_name(...)``, so a fetched table is validated,
previewed and confirmed like any other file.
"""

from __future__ import annotations

import re
from datetime import datetime

from kommunestrategi import formatting
from kommunestrategi.io import ssb
from kommunestrategi.io.cache import DiskCache, describe_age, local_time, utcnow
from kommunestrategi.io.online import FetchResult


def default_cache() -> DiskCache:
    """The disk cache under the data folder (7 days' freshness)."""
    return DiskCache()


def ssb_tables(lang: str = "nb") -> list[tuple[str, str]]:
    """(table id, "07459 Befolkning etter alder") for each named SSB table."""
    return [(table_id, f"{table_id} {table.name.get(lang, table.name['nb'])}")
            for table_id, table in sorted(ssb.known_tables().items())]


def fetch_ssb(table_id: str, *, cache_only: bool = False, client: ssb.SsbClient | None = None) -> FetchResult:
    """One named SSB table with its stored query, through the disk cache."""
    client = client or ssb.SsbClient(cache=default_cache())
    return client.fetch_table(table_id, cache_only=cache_only)


def import_file_name(source: str, table_id: str, result: FetchResult) -> str:
    """A file name for a fetched answer, e.g. ``ssb_07459_2026-11-23.json`` (the importer sniffs JSON)."""
    return f"{source.lower()}_{table_id}_{result.fetched_at:%Y-%m-%d}.json"


def stored_answers(lang: str = "nb", now: datetime | None = None) -> list[dict]:
    """The stored copies, newest first: source, table, when fetched and how long ago."""
    now = now or utcnow()
    rows = []
    for entry in default_cache().entries():
        ssb_match = re.search(r"/tables/(\w+)/data", entry.url)
        kolada_match = re.search(r"/data/kpi/([\w,]+)", entry.url)
        source, table = ("SSB", ssb_match.group(1)) if ssb_match else (
            ("Kolada", kolada_match.group(1)) if kolada_match else ("", ""))
        rows.append({"source": source, "table": table,
                     "fetched": formatting.timestamp(local_time(entry.fetched_at), lang),
                     "age": describe_age(entry.age(now), lang),
                     "size_kb": round(len(entry.data) / 1024, 1), "url": entry.url})
    return rows
