"""Generate the corpus of bad upload files under tests/data/bad/ (and big ones on demand).

Each file is one way a real upload goes wrong. ``manifest.json`` names, per file,
the kind of data it is uploaded as, the report code it must produce and whether
that code is an error (blocks the import) or a warning. The very large files (a
200 MB CSV, a zip bomb, a zip with thousands of members) are not committed:
``make_big_files(folder)`` writes them into a temporary folder at test time.

    python scripts/make_bad_files.py            # rewrite tests/data/bad/
"""

from __future__ import annotations

import io
import json
import sys
import zipfile
from pathlib import Path

from openpyxl import Workbook

ROOT = Path(__file__).resolve().parent.parent
BAD_DIR = ROOT / "tests" / "data" / "bad"

HEADER = "kommunenummer;indicator_id;year;value\r\n"


def _xlsx(rows: list[list[object]], merge: str | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Data"
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _good_xlsx() -> bytes:
    return _xlsx([["kommunenummer", "indicator_id", "year", "value"], ["5001", "pop_total", 2024, 214565],
                  ["0301", "pop_total", 2024, 717710]])


def _replace_part(xlsx: bytes, part: str, content: bytes, extra: dict[str, bytes] | None = None) -> bytes:
    """The workbook with one part's content replaced (and extra parts added)."""
    source = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, content if info.filename == part else source.read(info))
        for name, data in (extra or {}).items():
            target.writestr(name, data)
    return out.getvalue()


def _xml_bomb() -> bytes:
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
    sheet = (f'<?xml version="1.0"?><!DOCTYPE lolz [{entities}]>'
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
             '<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>')
    return _replace_part(_good_xlsx(), "xl/worksheets/sheet1.xml", sheet.encode())


def _xxe() -> bytes:
    sheet = ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
             '<row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row></sheetData></worksheet>')
    return _replace_part(_good_xlsx(), "xl/worksheets/sheet1.xml", sheet.encode())


def _encrypted() -> bytes:
    import msoffcrypto.format.ooxml as ooxml

    out = io.BytesIO()
    ooxml.OOXMLFile(io.BytesIO(_good_xlsx())).encrypt("hemmelig", out)
    return out.getvalue()


def _old_xls() -> bytes:
    # an OLE2 compound-file header as the old .xls format starts with, and a Workbook stream name
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16 + b"\x3e\x00\x03\x00\xfe\xff\x09\x00"
    return header + b"\x00" * 480 + "Workbook".encode("utf-16-le") + b"\x00" * 1024


def _wide() -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Data")
    sheet.append(["kommunenummer"] + [f"x{i}" for i in range(1, 10_000)])
    sheet.append(["5001"] + [1] * 9_999)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _formulas_only() -> bytes:
    return _xlsx([["kommunenummer", "indicator_id", "year", "value"],
                  ["5001", "pop_total", 2024, "=1000*200"], ["0301", "pop_total", 2024, "=SUM(1,2)"]])


def _macro() -> bytes:
    return _replace_part(_good_xlsx(), "", b"", {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 fake macro storage"})


def _external_link() -> bytes:
    return _replace_part(_good_xlsx(), "", b"", {
        "xl/externalLinks/externalLink1.xml":
            b'<?xml version="1.0"?><externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>'})


def _not_workbook_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    return out.getvalue()


def bad_files() -> dict[str, tuple[bytes, str, str, str]]:
    """file name -> (content, kind, expected report code, severity)."""
    good = _good_xlsx()
    return {
        "empty.csv": (b"", "indicators", "empty_file", "error"),
        "report.pdf": (b"kommunenummer;value\r\n5001;1\r\n", "indicators", "wrong_extension", "error"),
        "workbook_named.csv": (good, "indicators", "wrong_extension", "error"),
        "csv_named.xlsx": (HEADER.encode() + b"5001;pop_total;2024;1\r\n", "indicators", "not_a_workbook", "error"),
        "zip_not_workbook.xlsx": (_not_workbook_zip(), "indicators", "not_a_workbook", "error"),
        "truncated.xlsx": (good[: len(good) // 2], "indicators", "truncated", "error"),
        "password.xlsx": (_encrypted(), "indicators", "encrypted", "error"),
        "old_format.xls": (_old_xls(), "indicators", "old_excel", "error"),
        "formulas_only.xlsx": (_formulas_only(), "indicators", "formulas_without_values", "error"),
        "merged_header.xlsx": (_xlsx([["kommunenummer", "verdi", None, "year"], ["5001", 1, 2, 2024]],
                                     merge="B1:C1"), "indicators", "merged_header", "error"),
        "duplicate_conflict.csv": ((HEADER + "5001;pop_total;2024;214565\r\n5001;pop_total;2024;999\r\n").encode(),
                                   "indicators", "duplicate_conflict", "error"),
        "text_in_numbers.csv": ((HEADER + "5001;pop_total;2024;mange\r\n0301;pop_total;2024;717710\r\n").encode(),
                                "indicators", "not_a_number", "error"),
        "negative_population.csv": ((HEADER + "5001;pop_total;2024;-5\r\n").encode(), "indicators",
                                    "negative_value", "error"),
        "year_3024.csv": ((HEADER + "5001;pop_total;3024;214565\r\n").encode(), "indicators",
                          "year_out_of_range", "error"),
        "no_year.csv": ((HEADER + "5001;pop_total;;214565\r\n").encode(), "indicators", "no_year", "error"),
        "unknown_numbers.csv": ((HEADER + "5099;pop_total;2024;1\r\n9876 Trondhem;pop_total;2024;2\r\n").encode(),
                                "indicators", "unknown_municipality_suggest", "error"),
        "unknown_name.csv": ((HEADER + "Trondhjem;pop_total;2024;1\r\n").encode(), "indicators",
                             "unknown_municipality_suggest", "error"),
        "only_aggregates.csv": ((HEADER + "0 Hele landet;pop_total;2024;5550203\r\n50 Trøndelag;pop_total;2024;1\r\n"
                                 "030101 Gamle Oslo;pop_total;2024;1\r\n").encode(), "indicators",
                                "no_valid_rows", "error"),
        "unit_mismatch.csv": ((b"kommunenummer;indicator_id;year;value;unit\r\n5001;pop_total;2024;12;prosent\r\n")
, "indicators", "unit_mismatch", "error"),
        "mixed_encoding.csv": (HEADER.encode() + b"5001;pop_total;2024;1\r\n"
                               + "Bodø;pop_total;2024;2\r\n".encode()
                               + "Tromsø;pop_total;2024;3\r\n".encode("latin-1"), "indicators", "mixed_encoding",
                               "warning"),
        "bom.csv": (b"\xef\xbb\xbf" + (HEADER + "5001;pop_total;2024;214565\r\n").encode(), "indicators",
                    "bom_removed", "warning"),
        "xml_bomb.xlsx": (_xml_bomb(), "indicators", "xml_bomb", "error"),
        "xml_external_entity.xlsx": (_xxe(), "indicators", "xml_bomb", "error"),
        "macro.xlsm": (_macro(), "indicators", "macros_ignored", "warning"),
        "external_link.xlsx": (_external_link(), "indicators", "external_links_ignored", "warning"),
        "csv_injection_values.csv": ((HEADER + '5001;pop_total;2024;=HYPERLINK("http://evil.example";"x")\r\n'
                                      "0301;pop_total;2024;+cmd|' /C calc'!A0\r\n1101;pop_total;2024;@SUM(A1:A2)\r\n")
                                     .encode(), "indicators", "not_a_number", "error"),
        "csv_injection_indicator.csv": ((HEADER + '5001;=HYPERLINK("http://evil.example");2024;1\r\n').encode(),
                                        "indicators", "text_unsafe", "error"),
        "csv_injection_arrangement.csv": ((b'name;members\r\n=HYPERLINK("http://evil.example");"5001, 5035"\r\n'
                                           b"@SUM(A1);5001\r\n"), "arrangements", "text_unsafe", "error"),
        "html_in_names.csv": ((HEADER + "<script>alert(1)</script>;pop_total;2024;1\r\n").encode(), "indicators",
                              "unknown_municipality", "error"),
        "html_in_arrangement.csv": ((b'name;members\r\n<img src=x onerror=alert(1)>;"5001, 5035"\r\n'),
                                    "arrangements", "text_unsafe", "error"),
        "arrangement_unknown_member.csv": ((b'name;members\r\nIKT;"5001, 5099"\r\n'), "arrangements",
                                           "unknown_municipality", "error"),
        "arrangement_no_members.csv": ((b"name;members\r\nIKT;\r\n"), "arrangements", "no_members", "error"),
        "arrangement_no_table.csv": ((b"a;b\r\n1;2\r\n"), "arrangements", "no_arrangement_table", "error"),
        "columns_10000.xlsx": (_wide(), "indicators", "too_many_columns", "error"),
        "no_table.csv": (b"just some text\r\nand more text\r\n", "indicators", "no_table", "error"),
        "binary.csv": (bytes(range(256)) * 8, "indicators", "unknown_format", "error"),
        "not_jsonstat.json": (b'{"hello": "world"}', "indicators", "ssb_not_dataset", "error"),
        "malformed.json": (b'{"class": "dataset", "id": [', "indicators", "ssb_not_json", "error"),
    }


def make_big_files(folder: Path) -> dict[str, tuple[Path, str, str, str]]:
    """The large bad files, written into ``folder`` (a temporary folder in tests)."""
    folder.mkdir(parents=True, exist_ok=True)
    big = folder / "big_200mb.csv"
    with big.open("wb") as handle:
        handle.write(HEADER.encode())
        line = b"5001;pop_total;2024;214565\r\n" * 40_000
        while handle.tell() < 200 * 1024 * 1024:
            handle.write(line)
    bomb = folder / "zip_bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        source = zipfile.ZipFile(io.BytesIO(_good_xlsx()))
        for info in source.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                archive.writestr(info.filename, source.read(info))
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as handle:
            chunk = b" " * (1024 * 1024)
            for _ in range(300):
                handle.write(chunk)
    members = folder / "many_members.xlsx"
    with zipfile.ZipFile(members, "w", zipfile.ZIP_STORED) as archive:
        source = zipfile.ZipFile(io.BytesIO(_good_xlsx()))
        for info in source.infolist():
            archive.writestr(info.filename, source.read(info))
        for i in range(3_000):
            archive.writestr(f"xl/media/image{i}.png", b"")
    return {
        "big_200mb.csv": (big, "indicators", "too_large", "error"),
        "zip_bomb.xlsx": (bomb, "indicators", "zip_bomb", "error"),
        "many_members.xlsx": (members, "indicators", "too_many_members", "error"),
    }


def main() -> int:
    BAD_DIR.mkdir(parents=True, exist_ok=True)
    manifest = {}
    for name, (content, kind, code, severity) in sorted(bad_files().items()):
        (BAD_DIR / name).write_bytes(content)
        manifest[name] = {"kind": kind, "code": code, "severity": severity}
    (BAD_DIR / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n",
                                           encoding="utf-8")
    print(f"{len(manifest)} files in {BAD_DIR.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
