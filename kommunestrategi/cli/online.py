"""``fetch``: get a table from SSB (PxWebApi v2) or KPI values from Kolada, with the disk cache.

``python -m kommunestrategi fetch ssb 07459`` prints a summary (rows, regions,
years, when fetched and whether from the cache); ``--out FILE`` saves the raw
JSON-stat2 answer so it can be checked and imported with ``validate``/``import``.
``fetch kolada KPI`` first reads Kolada's description of each KPI (``/kpi/<id>``)
and refuses (exit code 1, nothing saved) a catalogue KPI whose Kolada title is not
the catalogue's: the id would import another KPI's figures under our name. The
``--out`` file carries that metadata, so the import maps a KPI checked this way.
"""

from __future__ import annotations

import argparse
import json
from datetime import timedelta
from pathlib import Path

from kommunestrategi.cli import CommandError
from kommunestrategi.i18n import LANGUAGES, t
from kommunestrategi.io import kolada, ssb
from kommunestrategi.io.cache import DiskCache
from kommunestrategi.io.online import FetchError, FetchResult, InvalidResponse, RequestRejected


def _query(pairs: list[str]) -> dict | None:
    """``VAR=CODES`` options as a PxWebApi query.

    ``VAR=CODES@CODELIST`` applies a code list; ``VAR=CODES@CODELIST:aggregated``
    (or ``:single``) also sets how a grouping's values are returned.
    """
    if not pairs:
        return None
    query: dict[str, dict] = {}
    for pair in pairs:
        variable, sep, codes = pair.partition("=")
        if not sep or not variable.strip() or not codes.strip():
            raise CommandError(f"--select needs VARIABLE=CODES, got {pair!r}", 2)
        codes, _, codelist = codes.partition("@")
        codelist, _, output = codelist.partition(":")
        spec: dict = {"valueCodes": ssb.split_codes(codes)}
        if codelist:
            spec["codeList"] = codelist
        if output:
            spec["outputValues"] = output
        query[variable.strip()] = spec
    return query


def _cache(args: argparse.Namespace) -> DiskCache:
    max_age = timedelta(days=args.max_age_days) if args.max_age_days is not None else DiskCache().max_age
    return DiskCache(max_age=max_age)


def _run(fetch, args: argparse.Namespace) -> FetchResult:
    try:
        return fetch()
    except RequestRejected as exc:
        raise CommandError(exc.message(args.lang), 1) from None
    except InvalidResponse as exc:
        details = "; ".join(line.message(args.lang) for line in exc.report.errors)
        raise CommandError(f"{exc.message(args.lang)} {details}", 2) from None
    except FetchError as exc:
        raise CommandError(exc.message(args.lang), 2) from None


def _finish(result: FetchResult, args: argparse.Namespace, summary: dict, data: bytes | None = None,
            notes: list[str] | None = None) -> int:
    if args.out:
        try:
            Path(args.out).write_bytes(result.data if data is None else data)
        except OSError as exc:
            raise CommandError(f"cannot write {args.out}: {exc.strerror or exc}", 2) from None
    summary.update({
        "url": result.url, "fetched_at": result.fetched_at.isoformat(), "from_cache": result.from_cache,
        "stale": result.stale, "age_seconds": int(result.age().total_seconds()), "rows": len(result.frame),
        "warnings": [line.message(args.lang) for line in (result.report.warnings if result.report else [])],
        "out": args.out,
    })
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        print(f"{summary['source']} {summary['id']}: {summary['rows']} rows; {result.describe(args.lang)}")
        for note in notes or []:
            print(note)
        for warning in summary["warnings"]:
            print(f"warning: {warning}")
        if args.out:
            print(f"saved {args.out}")
    return 0


def cmd_fetch_ssb(args: argparse.Namespace) -> int:
    client = ssb.SsbClient(cache=_cache(args), timeout=args.timeout, retries=args.retries)
    query = _query(args.select)
    result = _run(lambda: client.fetch_table(args.table, query, cache_only=args.cache_only), args)
    frame = result.frame
    kinds = frame["region_code"].map(ssb.classify_region)
    known = ssb.known_tables().get(args.table)
    return _finish(result, args, {
        "source": "SSB", "id": args.table, "title": frame.attrs.get("label", ""),
        "name": known.name[args.lang] if known else "",
        "municipalities": int(frame.loc[kinds == "municipality", "region_code"].nunique()),
        "aggregates": int(frame.loc[kinds != "municipality", "region_code"].nunique()),
        "years": sorted(int(y) for y in frame["year"].unique()),
    })


def _checked_metadata(client: kolada.KoladaClient, kpis: list[str], args: argparse.Namespace) -> list[dict]:
    """Kolada's description of each KPI; a catalogue KPI whose title differs is refused (exit 1)."""
    from kommunestrategi.io.kolada_import import kpi_catalogue

    catalogue = kpi_catalogue()
    found = []
    for kpi in kpis:
        meta = _run(lambda kpi=kpi: client.fetch_kpi_metadata(kpi, cache_only=args.cache_only), args)
        if meta is None:
            raise CommandError(t("koladax.meta.unknown", args.lang, kpi=kpi), 1)
        mapping = catalogue.get(kpi)
        if mapping is not None and not mapping.title_matches(meta["title"]):
            raise CommandError(t("koladax.meta.mismatch", args.lang, kpi=kpi, title=meta["title"],
                                 expected=mapping.title_sv), 1)
        found.append(meta)
    return found


def cmd_fetch_kolada(args: argparse.Namespace) -> int:
    from kommunestrategi.io.kolada_import import kpi_catalogue

    client = kolada.KoladaClient(cache=_cache(args), timeout=args.timeout, retries=args.retries)
    kpis = list(dict.fromkeys(k for k in args.kpi.upper().replace(" ", "").split(",") if k))
    metadata = _checked_metadata(client, kpis, args)
    result = _run(lambda: client.fetch_kpi(args.kpi, args.municipality or None, args.year or None,
                                           cache_only=args.cache_only), args)
    frame = result.frame
    catalogue = kpi_catalogue()
    titles = {meta["id"].upper(): meta["title"] for meta in metadata}
    mapped = {k: catalogue[k].indicator for k in titles if k in catalogue}
    notes = [t("koladax.meta.checked", args.lang, kpi=k, title=title, indicator=mapped[k]) if k in mapped
             else t("koladax.meta.not_in_catalogue", args.lang, kpi=k, title=title) for k, title in titles.items()]
    return _finish(result, args, {
        "source": "Kolada", "id": args.kpi,
        "municipalities": int(frame["municipality_id"].nunique()),
        "years": sorted(int(y) for y in frame["year"].unique()),
        "titles": titles, "mapped": mapped,
    }, data=kolada.with_metadata(result.data, metadata), notes=notes)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--cache-only", action="store_true", help="never use the network; only stored copies")
    parser.add_argument("--max-age-days", type=float, help="refetch stored copies older than this (default 7)")
    parser.add_argument("--timeout", type=float, default=20.0, help="seconds per attempt (default 20)")
    parser.add_argument("--retries", type=int, default=2, help="extra attempts after a failure (default 2)")
    parser.add_argument("--out", metavar="FILE", help="save the raw answer (JSON) to FILE")
    parser.add_argument("--lang", choices=list(LANGUAGES), default="nb", help="language of messages")
    parser.add_argument("--json", action="store_true", help="print JSON")


def register(subparsers: argparse._SubParsersAction) -> None:
    fetch = subparsers.add_parser("fetch", help="fetch a table from SSB or Kolada (cached on disk)")
    sources = fetch.add_subparsers(dest="source", required=True)

    from_ssb = sources.add_parser("ssb", help="an SSB Statistikkbanken table (PxWebApi v2, JSON-stat2)")
    from_ssb.add_argument("table", metavar="TABLE", help="table number, e.g. 07459")
    from_ssb.add_argument("--select", action="append", default=[], metavar="VAR=CODES[@CODELIST[:aggregated|single]]",
                          help="value codes per variable, e.g. Tid=top(3) (default: the table's stored query)")
    _common(from_ssb)
    from_ssb.set_defaults(func=cmd_fetch_ssb)

    from_kolada = sources.add_parser("kolada", help="Kolada KPI values for Swedish municipalities")
    from_kolada.add_argument("kpi", metavar="KPI", help="KPI id(s), e.g. N01951 (comma-separated)")
    from_kolada.add_argument("--municipality", action="append", default=[], metavar="ID",
                             help="kommunkod, repeatable (default: all)")
    from_kolada.add_argument("--year", action="append", default=[], metavar="YEAR", help="repeatable")
    _common(from_kolada)
    from_kolada.set_defaults(func=cmd_fetch_kolada)
