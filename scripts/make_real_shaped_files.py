"""Generate files shaped like the real ones a secretariat uploads (tests: ``tests/test_real_shaped.py``).

Each file imitates a trait seen in real public files, with made-up values, so the
tests can assert exactly what is imported:

* ``ssb_labels_counts.csv``: an SSB download in Latin-1, a title line, ``0101 Halden``
  labels (pre-2020 numbers) and one column of population counts, some of which
  happen to be municipality numbers (3017, 2921);
* ``ssb_stacked_region_on_top.csv`` / ``ssb_stacked_variables.xlsx``: stacked header
  rows under a labelled first header cell (``region`` / ``kjønn`` / ``år``);
* ``merged_means.csv``: 2019 numbers of municipalities merged in 2020 (Moss 0104 and
  Rygge 0136) with a count and a mean; Ålesund 1508 and Haram 1580 in 2024 numbers;
* ``kostra_workbook.xlsx``: a KOSTRA-like workbook, a read-me sheet, two table sheets
  and a long-form sheet with SSB's flag letters; ``one_table_workbook.xlsx``: one
  table sheet beside a read-me;
* ``splits.csv`` with ``korrespondanse_splitt.csv``: Snillfjord 5012 and Tysfjord 1850
  (split in 2020), with a count and a share;
* ``names_against_numbers.csv``: a Swedish row ``1860, Laxå`` beside right ones;
* ``header_spellings.csv``: ``komnr`` / ``Kommune (nr og navn)`` headers;
* ``county_level.csv`` and ``register_as_indicators.csv``: files of the wrong kind;
* ``samarbeid_ekstra_kolonner.xlsx``: a cooperation list kept in Excel with extra columns.

Usage: ``python scripts/make_real_shaped_files.py OUT_DIR``.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from openpyxl import Workbook


def _csv(rows: list[list[object]], encoding: str = "utf-8", sep: str = ";") -> bytes:
    def cell(value: object) -> str:
        if value is None:
            return ""
        text = str(value)
        return f'"{text}"' if isinstance(value, str) and (sep in text or " " in text) else text
    return ("\r\n".join(sep.join(cell(v) for v in row) for row in rows) + "\r\n").encode(encoding)


def _xlsx(sheets: dict[str, list[list[object]]]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def files() -> dict[str, bytes]:
    """File name -> bytes of the whole corpus."""
    out: dict[str, bytes] = {}
    out["ssb_labels_counts.csv"] = _csv([
        ["07459: Befolkning, etter region og år"],
        [],
        [None, "2019"],
        ["0101 Halden", 31037],
        ["0104 Moss", 32588],
        ["0136 Rygge", 15560],
        ["0702 Holmestrand", 10670],
        ["1601 Trondheim", 193501],
        ["1632 Roan", 2921],
        ["1836 Rødøy", 3017],
        ["0716 Re", 9846],
        ["Kilde: Statistisk sentralbyrå"],
    ], encoding="latin-1")
    out["ssb_stacked_region_on_top.csv"] = _csv([
        ["07459: Befolkning, etter region, kjønn, statistikkvariabel og år"],
        [],
        ["region", "Begge kjønn", "Begge kjønn"],
        [None, "Personer", "Personer"],
        [None, "2018", "2019"],
        ["1601 Trondheim", 190464, 193501],
        ["0219 Bærum", 124008, 126041],
        ["1902 Tromsø", 75638, 76649],
    ], encoding="latin-1")
    out["ssb_stacked_variables.xlsx"] = _xlsx({"07459": [
        ["07459: Befolkning, etter region, kjønn, statistikkvariabel og år"],
        ["kjønn", "Begge kjønn", "Begge kjønn"],
        ["statistikkvariabel", "Personer", "Personer"],
        ["år", "2018", "2019"],
        ["region", None, None],
        ["1601 Trondheim", 190464, 193501],
        ["1804 Bodø", 51022, 52357],
    ]})
    out["merged_means.csv"] = _csv([
        ["kommunenummer", "indicator_id", "year", "value"],
        ["0104", "pop_total", 2019, 32588],
        ["0136", "pop_total", 2019, 15560],
        ["0104", "snittinntekt", 2019, 342800],
        ["0136", "snittinntekt", 2019, 355800],
        ["0104", "bhg_dekningsgrad_1_5", 2019, 91.5],
        ["0136", "bhg_dekningsgrad_1_5", 2019, 94.0],
        ["1508", "pop_total", 2024, 67114],
        ["1580", "pop_total", 2024, 9311],
        ["1508", "bhg_dekningsgrad_1_5", 2024, 92.1],
        ["1580", "bhg_dekningsgrad_1_5", 2024, 95.3],
    ])
    out["kostra_workbook.xlsx"] = _xlsx({
        "Les meg": [["KOSTRA nøkkeltall 2025"], ["Tabellene er hentet fra SSB, tabell 12134."]],
        "Tabell 1": [["Netto driftsresultat i prosent av brutto driftsinntekter"], [],
                     ["region", "2024", "2025"], ["5001 Trondheim", 1.2, 2.5], ["1804 Bodø", -0.4, 0.8]],
        "Tabell 2": [["Netto lånegjeld per innbygger"], [],
                     ["region", "2024", "2025"], ["5001 Trondheim", 98000, 101000], ["1804 Bodø", 120500, 118000]],
        "Langformat": [["kommunenummer", "indicator_id", "year", "value", "flagg"],
                       ["5001", "netto_driftsresultat_pct", 2025, "E", "E"],
                       ["1804", "netto_driftsresultat_pct", 2025, 0.8, ""]],
    })
    out["one_table_workbook.xlsx"] = _xlsx({
        "Les meg": [["Folketall fra SSB"], ["Se arket Data."]],
        "Data": [["kommunenummer", "year", "pop_total"], ["5001", 2024, 214565], ["1804", 2024, 53712]],
    })
    out["splits.csv"] = _csv([
        ["kommunenummer", "indicator_id", "year", "value"],
        ["5012", "pop_total", 2019, 1000],
        ["5012", "share_80_plus", 2019, 9.5],
        ["1850", "pop_total", 2019, 1900],
        ["5001", "pop_total", 2019, 205163],
    ])
    out["korrespondanse_splitt.csv"] = _csv([
        ["sourceCode", "sourceName", "targetCode", "targetName", "andel"],
        ["5012", "Snillfjord", "5055", "Heim", "0,2"],
        ["5012", "Snillfjord", "5056", "Hitra", "0,3"],
        ["5012", "Snillfjord", "5059", "Orkland", "0,5"],
        ["5001", "Trondheim", "5001", "Trondheim", ""],
    ])
    out["names_against_numbers.csv"] = _csv([
        ["kommune", "indicator_id", "year", "value"],
        ["1860, Laxå", "pop_total", 2024, 5600],
        ["1860 Vestvågøy", "pop_total", 2024, 11589],
        ["0101 Halden", "pop_total", 2019, 31037],
        ["5001 Trondhem", "pop_total", 2024, 214565],
    ])
    out["unknown_number_hints.csv"] = _csv([
        ["kommune", "indicator_id", "year", "value"],
        ["2921", "pop_total", 2024, 10],
        ["5099 Trondhem", "pop_total", 2024, 11],
    ])
    out["header_spellings.csv"] = _csv([
        ["Kommune (nr og navn)", "komnr", "år", "pop_total"],
        ["Trondheim", "5001", 2024, 214565],
        ["Bodø", "1804", 2024, 53712],
    ])
    out["header_kommune_nr.csv"] = _csv([
        ["folketall", "kommune_nr", "aar"],
        [214565, "5001", 2024],
        [53712, "1804", 2024],
    ])
    out["county_level.csv"] = _csv([
        ["region", "2024"],
        ["03 Oslo", 717710], ["11 Rogaland", 499417], ["15 Møre og Romsdal", 270624],
        ["50 Trøndelag", 482956], ["18 Nordland", 243081],
    ])
    out["register_as_indicators.csv"] = _csv([
        ["samarbeid", "medlemmer", "vertskommune"],
        ["Barnevern Fosen", "Ørland, Indre Fosen", "Indre Fosen"],
    ])
    out["samarbeid_ekstra_kolonner.xlsx"] = _xlsx({"Samarbeid": [
        ["Samarbeid", "Tjeneste", "Vertskommune", "Medlemmer", "Kontaktperson", "Avtale inngått", "Merknad"],
        ["Fosen barnevern", "barnevern", "Indre Fosen", "5054, 5057", "Kari Nordmann", "2019-01-01", "revideres 2026"],
        ["Legevakt Trondheim", "helse", "Trondheim", "5001, 5028, 5029, 5031", "Ola Nordmann", "2016-05-01", ""],
    ]})
    return out


def write(dest: Path) -> list[Path]:
    dest.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in files().items():
        path = dest / name
        path.write_bytes(data)
        written.append(path)
    return written


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        raise SystemExit(2)
    for path in write(Path(sys.argv[1])):
        print(path)
