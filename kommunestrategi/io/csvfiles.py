"""CSV files as municipalities and SSB produce them: any of ``;`` ``,`` tab, and
UTF-8, UTF-8 with BOM, UTF-16 or Latin-1/cp1252 (Excel's "CSV" on Norwegian Windows).

The encoding is detected, not asked for: strict UTF-8 first; when that fails and
the bytes hold valid UTF-8 sequences as well as stray Latin-1 bytes, the file was
stitched together from two sources, and each line is decoded on its own (with a
warning naming the lines); otherwise the whole file is cp1252.
"""

from __future__ import annotations

import csv
import io
import re

from kommunestrategi.io.report import ImportReport

_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")
_DELIMITERS = (";", "\t", ",", "|")


def decode_text(data: bytes, report: ImportReport) -> str:
    """The file's text, with the encoding detected and unusual cases reported."""
    if data.startswith(b"\xef\xbb\xbf"):
        report.warning("bom_removed")
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if _UTF8_MULTIBYTE.search(data):
        lines = data.split(b"\n")
        latin: list[int] = []
        out: list[str] = []
        for number, line in enumerate(lines, start=1):
            try:
                out.append(line.decode("utf-8"))
            except UnicodeDecodeError:
                out.append(line.decode("cp1252", errors="replace"))
                latin.append(number)
        if latin and len(latin) < len(lines):
            shown = ", ".join(str(n) for n in latin[:10]) + (" …" if len(latin) > 10 else "")
            report.warning("mixed_encoding", lines=shown)
            return "\n".join(out)
    return data.decode("cp1252", errors="replace")


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first lines most consistently."""
    lines = [line for line in text.splitlines()[:30] if line.strip()]
    best, best_score = ";", -1.0
    for delim in _DELIMITERS:
        counts = [len(next(csv.reader([line], delimiter=delim))) for line in lines]
        multi = [c for c in counts if c > 1]
        if not multi:
            continue
        # the most common field count among lines, weighted by how many lines share it
        common = max(set(multi), key=multi.count)
        score = multi.count(common) * (1 + min(common, 20) / 100)
        if score > best_score:
            best, best_score = delim, score
    return best


def read_csv_grid(data: bytes, report: ImportReport) -> list[list[str]]:
    """All rows of the file as lists of text cells (quotes removed, nothing converted)."""
    text = decode_text(data, report)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        return [row for row in reader]
    except csv.Error:
        report.error("csv_malformed")
        return []
