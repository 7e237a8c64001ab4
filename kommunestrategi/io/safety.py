"""Checks on untrusted uploads, done on the raw bytes BEFORE any parser sees them.

A secretariat uploads files from e-mail and the web, so every file is treated as
hostile: the size is capped, the format is sniffed from the bytes (not the file
name), zip containers (xlsx, zipped shapefiles) are checked for member count,
declared and actual uncompressed size (zip bombs) and their XML parts for
``DOCTYPE``/``ENTITY`` declarations (XML bombs, external entities) with
``defusedxml``. Macros and external links are reported and ignored; encrypted
workbooks get a clear message instead of a parser error.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePath

import numpy as np
from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET

from kommunestrategi.config import max_upload_bytes
from kommunestrategi.io.report import ImportReport

#: Most members a zip container may have (an xlsx has a few dozen).
MAX_ZIP_MEMBERS = 2_000
#: Largest total uncompressed size of a zip container: counted on the real bytes
#: while unpacking (streamed, never trusting the headers) as well as on the headers.
#: A sheet of a million rows of indicator data is about 120 MB of XML.
MAX_UNCOMPRESSED_BYTES = 256 * 1024 * 1024
#: Longest run of text between two XML tags: Excel's cell limit is 32,767 characters,
#: so a longer run is a single-cell memory bomb, not a spreadsheet.
MAX_TEXT_RUN = 4 * 32_767
#: A member this much larger than its compressed size is a bomb, not a spreadsheet.
MAX_COMPRESSION_RATIO = 200
#: Parts smaller than this are parsed with defusedxml; larger ones are scanned.
_PARSE_LIMIT = 4 * 1024 * 1024
_CHUNK = 1024 * 1024
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_DANGEROUS_XML = (b"<!DOCTYPE", b"<!ENTITY")
_FORMULA = re.compile(rb"<f[ >/]")
_FORMULA_WITHOUT_VALUE = re.compile(rb"(?:</f>|<f[^>]*/>)\s*(?:<v\s*/>|<v>\s*</v>)?\s*</c>")

#: File name endings per format the importers understand.
EXTENSIONS = {
    ".xlsx": "xlsx", ".xlsm": "xlsx", ".csv": "csv", ".txt": "csv", ".tsv": "csv",
    ".json": "json", ".geojson": "geojson", ".gpkg": "gpkg", ".zip": "zip",
}


def max_rows() -> int:
    """Most data rows an upload may have (``KOMMUNESTRATEGI_MAX_ROWS``, default 1,000,000)."""
    return int(os.environ.get("KOMMUNESTRATEGI_MAX_ROWS", "1000000"))


#: Most columns a sheet may have: no real indicator table is this wide.
MAX_COLUMNS = 2_000


@dataclass
class XlsxFacts:
    """What the byte-level scan of a workbook found (used when reading it)."""

    sheets: list[str] = field(default_factory=list)
    formulas: dict[str, int] = field(default_factory=dict)
    formulas_without_value: dict[str, int] = field(default_factory=dict)
    #: ``<row`` elements per sheet (counted on the XML, before any parser builds them)
    rows: dict[str, int] = field(default_factory=dict)


def _text_runs(window: bytes) -> tuple[int, int, int] | None:
    """``(before the first "<", longest between two, after the last)`` in bytes, or
    None when ``window`` has no ``<`` at all (numpy: a 1 MB chunk in about a millisecond)."""
    marks = np.flatnonzero(np.frombuffer(window, dtype=np.uint8) == 0x3C)
    if marks.size == 0:
        return None
    inner = int(np.diff(marks).max()) - 1 if marks.size > 1 else 0
    return int(marks[0]), inner, len(window) - int(marks[-1]) - 1


def _has_long_text(window: bytes) -> bool:
    """Whether ``window`` holds more than :data:`MAX_TEXT_RUN` bytes without a ``<``."""
    if len(window) <= MAX_TEXT_RUN:
        return False
    runs = _text_runs(window)
    return runs is None or max(runs) > MAX_TEXT_RUN


def file_format(data: bytes, file_name: str) -> str | None:
    """The format sniffed from the bytes, cross-checked with the file name ending.

    Returns one of ``xlsx``, ``zip``, ``ole``, ``csv``, ``json``, ``geojson``, ``gpkg``
    or None when the bytes are no format we read.
    """
    suffix = PurePath(file_name).suffix.lower()
    head = data[:8]
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "xlsx" if suffix in (".xlsx", ".xlsm") else "zip"
    if head.startswith(_OLE_MAGIC):
        return "ole"
    if data[:16].startswith(b"SQLite format 3"):
        return "gpkg"
    stripped = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped[:1] in (b"{", b"["):
        return "geojson" if suffix == ".geojson" else "json"
    if b"\x00" in data[:4096] and data[:2] not in (b"\xff\xfe", b"\xfe\xff"):
        return None
    return "csv"


def check_upload(data: bytes, file_name: str, report: ImportReport,
                 allowed: tuple[str, ...] = ("xlsx", "csv", "json")) -> tuple[str | None, XlsxFacts | None]:
    """Run every pre-parse check; returns (format, workbook facts), format None after an error line.

    ``allowed`` lists the formats the chosen kind of data accepts.
    """
    fmt = _check_upload(data, file_name, report, allowed)
    if fmt in ("xlsx", "zip"):
        facts = check_zip(data, report, workbook=(fmt == "xlsx"))
        return (fmt, facts) if facts is not None else (None, None)
    if fmt == "csv" and not _csv_rows_within_limit(data, report):
        return None, None
    return fmt, None


def _csv_rows_within_limit(data: bytes, report: ImportReport) -> bool:
    """Count the lines on the raw bytes, so a file of millions of rows is refused
    before pandas builds a frame of it (quoted line breaks only over-count)."""
    lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    if lines - 1 > max_rows() + 100:
        report.error("too_many_rows", count=lines - 1, limit=max_rows())
        return False
    return True


def _check_upload(data: bytes, file_name: str, report: ImportReport, allowed: tuple[str, ...]) -> str | None:
    limit = max_upload_bytes()
    if len(data) == 0:
        report.error("empty_file")
        return None
    if len(data) > limit:
        report.error("too_large", size_mb=round(len(data) / 1048576, 1), limit_mb=round(limit / 1048576, 1))
        return None
    fmt = file_format(data, file_name)
    suffix = PurePath(file_name).suffix.lower()
    if fmt == "ole":
        if "EncryptionInfo".encode("utf-16-le") in data or b"EncryptedPackage" in data.replace(b"\x00", b""):
            report.error("encrypted")
        else:
            report.error("old_excel")
        return None
    if fmt is None:
        report.error("unknown_format", extension=suffix or "-")
        return None
    if suffix and suffix not in EXTENSIONS and suffix != ".shp":
        report.error("wrong_extension", extension=suffix, expected=", ".join(sorted(allowed)))
        return None
    expected = EXTENSIONS.get(suffix)
    if fmt in ("xlsx", "zip") and expected not in ("xlsx", "zip"):
        report.error("wrong_extension", extension=suffix or "-", expected="xlsx")
        return None
    if fmt in ("csv", "json", "geojson") and expected in ("xlsx", "zip", "gpkg"):
        report.error("not_a_workbook" if expected == "xlsx" else "unknown_format", extension=suffix)
        return None
    if fmt == "gpkg" and expected not in ("gpkg",):
        report.error("unknown_format", extension=suffix or "-")
        return None
    if fmt not in allowed:
        report.error("format_not_allowed", format=fmt, expected=", ".join(sorted(allowed)))
        return None
    return fmt


def _scan_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int, facts: XlsxFacts | None,
                 sheet: str | None) -> tuple[int, str | None]:
    """Decompress one member in chunks, counting real bytes; returns (bytes, problem code)."""
    total = 0
    tail = b""
    formulas = 0
    empty_formulas = 0
    rows = 0
    run = 0  # text since the last "<", carried across chunks
    xml = info.filename.endswith((".xml", ".rels", ".vml"))
    with archive.open(info) as handle:
        while True:
            chunk = handle.read(_CHUNK)
            if not chunk:
                break
            total += len(chunk)
            if total > budget or total > info.file_size + _CHUNK:
                return total, "zip_bomb"
            window = tail + chunk
            if xml and any(m in window for m in _DANGEROUS_XML):
                return total, "xml_bomb"
            if xml:
                runs = _text_runs(chunk)
                if runs is None:
                    run += len(chunk)
                elif run + runs[0] > MAX_TEXT_RUN or runs[1] > MAX_TEXT_RUN:
                    return total, "cell_too_long"
                else:
                    run = runs[2]
                if run > MAX_TEXT_RUN:
                    return total, "cell_too_long"
            if sheet is not None:
                rows += chunk.count(b"<row")
                if rows > max_rows() + 100:
                    if facts is not None:
                        facts.rows[sheet] = rows
                    return total, "too_many_rows"
                if b"<f" in window:
                    formulas += len(_FORMULA.findall(chunk))
                    empty_formulas += len(_FORMULA_WITHOUT_VALUE.findall(window[-len(chunk) - 64:]))
            tail = chunk[-64:]
    if facts is not None and sheet is not None:
        facts.formulas[sheet] = formulas
        facts.formulas_without_value[sheet] = empty_formulas
        facts.rows[sheet] = rows
    return total, None


def check_zip(data: bytes, report: ImportReport, workbook: bool = True) -> XlsxFacts | None:
    """Zip-bomb, XML-bomb, macro and external-link checks for an xlsx or zip container."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, EOFError, ValueError, OSError):
        report.error("truncated" if workbook else "bad_zip")
        return None
    if len(infos) > MAX_ZIP_MEMBERS:
        report.error("too_many_members", count=len(infos), limit=MAX_ZIP_MEMBERS)
        return None
    declared = sum(info.file_size for info in infos)
    if declared > MAX_UNCOMPRESSED_BYTES:
        report.error("zip_bomb", size_mb=round(declared / 1048576), limit_mb=MAX_UNCOMPRESSED_BYTES // 1048576)
        return None
    for info in infos:
        if info.compress_size and info.file_size > 10 * 1024 * 1024 \
                and info.file_size / info.compress_size > MAX_COMPRESSION_RATIO:
            report.error("zip_bomb", size_mb=round(info.file_size / 1048576),
                         limit_mb=MAX_UNCOMPRESSED_BYTES // 1048576)
            return None
        if info.flag_bits & 0x1:
            report.error("encrypted")
            return None
    facts = XlsxFacts()
    sheet_paths: dict[str, str] = {}
    names = {info.filename for info in infos}
    if workbook:
        if "xl/workbook.xml" not in names:
            report.error("not_a_workbook", extension=".xlsx")
            return None
        try:
            sheet_paths = _sheet_paths(archive)
        except DefusedXmlException:
            report.error("xml_bomb")
            return None
        except (SafeET.ParseError, KeyError, zipfile.BadZipFile, EOFError, OSError, ValueError):
            report.error("truncated")
            return None
        if any(n.startswith("xl/vbaProject") for n in names):
            report.warning("macros_ignored")
        if any(n.startswith("xl/externalLinks/") for n in names):
            report.warning("external_links_ignored")
        facts.sheets = list(sheet_paths.values())
    budget = MAX_UNCOMPRESSED_BYTES
    try:
        for info in infos:
            if info.is_dir():
                continue
            if info.filename.endswith(".xml") and info.file_size < _PARSE_LIMIT and workbook:
                raw = archive.read(info)
                budget -= len(raw)
                if any(m in raw for m in _DANGEROUS_XML):
                    report.error("xml_bomb")
                    return None
                if _has_long_text(raw):
                    report.error("cell_too_long", limit=MAX_TEXT_RUN)
                    return None
                if info.filename in sheet_paths:
                    sheet = sheet_paths[info.filename]
                    facts.formulas[sheet] = len(_FORMULA.findall(raw)) if b"<f" in raw else 0
                    facts.formulas_without_value[sheet] = (
                        len(_FORMULA_WITHOUT_VALUE.findall(raw)) if facts.formulas[sheet] else 0)
                    facts.rows[sheet] = raw.count(b"<row")
                    if facts.rows[sheet] > max_rows() + 100:
                        report.error("too_many_rows", sheet=sheet, count=facts.rows[sheet], limit=max_rows())
                        return None
                continue
            sheet = sheet_paths.get(info.filename)
            size, problem = _scan_member(archive, info, budget, facts, sheet)
            budget -= size
            if problem == "too_many_rows":
                report.error(problem, sheet=sheet, count=facts.rows.get(sheet or "", 0), limit=max_rows())
                return None
            if problem:
                report.error(problem, size_mb=round(MAX_UNCOMPRESSED_BYTES / 1048576),
                             limit_mb=MAX_UNCOMPRESSED_BYTES // 1048576, limit=MAX_TEXT_RUN)
                return None
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, RuntimeError):
        # RuntimeError covers zipfile's unsupported compression methods and encrypted members
        report.error("truncated" if workbook else "bad_zip")
        return None
    return facts


def _sheet_paths(archive: zipfile.ZipFile) -> dict[str, str]:
    """Map of worksheet part path -> sheet name, read with defusedxml."""
    ns_main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    ns_rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    workbook = SafeET.fromstring(archive.read("xl/workbook.xml"))
    rels: dict[str, str] = {}
    if "xl/_rels/workbook.xml.rels" in archive.namelist():
        for rel in SafeET.fromstring(archive.read("xl/_rels/workbook.xml.rels")):
            target = rel.get("Target", "")
            target = target.lstrip("/") if target.startswith("/") else "xl/" + target
            rels[rel.get("Id", "")] = target
    paths: dict[str, str] = {}
    for sheet in workbook.iter(f"{ns_main}sheet"):
        target = rels.get(sheet.get(f"{ns_rel}id", ""))
        if target:
            paths[target] = sheet.get("name", "")
    return paths


class MemberTooLarge(ValueError):
    """A zip member decompresses to more than the caller's limit."""

    def __init__(self, name: str, limit: int) -> None:
        super().__init__(f"{name} unpacks to more than {limit // 1048576} MB")
        self.name = name
        self.limit = limit


def read_member(archive: zipfile.ZipFile, member: str | zipfile.ZipInfo, limit: int) -> bytes:
    """A member's bytes, decompressed in chunks and stopped at ``limit`` bytes whatever
    the zip headers claim (a forged small size is not trusted, a forged large one is
    not allocated). Raises :class:`MemberTooLarge` past the limit."""
    info = member if isinstance(member, zipfile.ZipInfo) else archive.getinfo(member)
    if info.file_size > limit:
        raise MemberTooLarge(info.filename, limit)
    parts: list[bytes] = []
    total = 0
    with archive.open(info) as handle:
        while True:
            chunk = handle.read(min(_CHUNK, limit + 1 - total))
            if not chunk:
                break
            total += len(chunk)
            if total > limit:
                raise MemberTooLarge(info.filename, limit)
            parts.append(chunk)
    return b"".join(parts)
