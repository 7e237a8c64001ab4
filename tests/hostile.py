"""Helpers for the hostile-input tests: a loopback listener that counts connections
and builders for files that point at it."""

from __future__ import annotations

import io
import socket
import threading
import zipfile

from openpyxl import Workbook


class ConnectionCounter:
    """A TCP listener on 127.0.0.1 that accepts, records and closes every connection."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.requests: list[bytes] = []
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _addr = self.sock.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(1)
                try:
                    self.requests.append(conn.recv(4096))
                    conn.sendall(b"HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\n\r\n")
                except OSError:
                    self.requests.append(b"")

    @property
    def count(self) -> int:
        return len(self.requests)

    def close(self) -> None:
        self.sock.close()


def polygon_feature(number: str = "5001", name: str = "Trondheim") -> dict:
    return {"type": "Feature", "properties": {"kommunenummer": number, "navn": name},
            "geometry": {"type": "Polygon",
                         "coordinates": [[[10.0, 63.0], [10.5, 63.0], [10.5, 63.5], [10.0, 63.0]]]}}


def geojson_documents(url: str) -> dict[str, dict]:
    """GeoJSON-like documents whose coordinate system points at ``url``."""
    feature = polygon_feature()
    return {
        "crs_link_proj4": {"type": "FeatureCollection", "features": [feature],
                           "crs": {"type": "link", "properties": {"href": url + "/proj4", "type": "proj4"}}},
        "crs_link_ogcwkt": {"type": "FeatureCollection", "features": [feature],
                            "crs": {"type": "link", "properties": {"href": url + "/wkt", "type": "ogcwkt"}}},
        "crs_link_esriwkt": {"type": "FeatureCollection", "features": [feature],
                             "crs": {"type": "link", "properties": {"href": url + "/esri", "type": "esriwkt"}}},
        "crs_name_url": {"type": "FeatureCollection", "features": [feature],
                         "crs": {"type": "name", "properties": {"name": url + "/crs"}}},
        "jsonfg_coordrefsys": {"type": "FeatureCollection", "coordRefSys": url + "/crs",
                               "conformsTo": ["http://www.opengis.net/spec/json-fg-1/0.2/conf/core"],
                               "features": [{**feature, "place": None, "time": None}]},
        "esri_spatialreference": {"spatialReference": {"wkt": url + "/wkt"}, "geometryType": "esriGeometryPolygon",
                                  "fields": [{"name": "kommunenummer", "type": "esriFieldTypeString"}],
                                  "features": [{"attributes": {"kommunenummer": "5001"},
                                                "geometry": {"rings": [[[10, 63], [10.5, 63], [10.5, 63.5],
                                                                        [10, 63]]]}}]},
        "ref": {"type": "FeatureCollection", "features": {"$ref": url + "/features.json"}},
    }


def xlsx_with_external_links(url: str) -> bytes:
    """A valid indicator workbook that also links an external workbook, a web image and
    a hyperlink at ``url``, and holds WEBSERVICE formulas."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Data"
    ws.append(["kommunenummer", "år", "verdi"])
    ws.append(["5001", 2024, 1.5])
    ws.append(["5028", 2024, 2.5])
    ws["E1"] = f'=WEBSERVICE("{url}/webservice")'
    ws["E2"] = "=[1]Ark1!A1"
    ws["E3"].hyperlink = url + "/hyperlink"
    buffer = io.BytesIO()
    wb.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", (
                    b'<Relationship Id="rIdX1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                    b'relationships/externalLink" Target="externalLinks/externalLink1.xml"/></Relationships>'))
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", (
                    b'<Override PartName="/xl/externalLinks/externalLink1.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml"/></Types>'))
            if item.filename == "xl/workbook.xml":
                data = data.replace(b"</workbook>",
                                    b'<externalReferences><externalReference xmlns:r="http://schemas.openxmlformats.org/'
                                    b'officeDocument/2006/relationships" r:id="rIdX1"/></externalReferences>'
                                    b"</workbook>")
            target.writestr(item, data)
        target.writestr("xl/externalLinks/externalLink1.xml", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<externalBook r:id="rId1"><sheetNames><sheetName val="Ark1"/></sheetNames></externalBook>'
            "</externalLink>"))
        target.writestr("xl/externalLinks/_rels/externalLink1.xml.rels", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            f'externalLinkPath" Target="{url}/external.xlsx" TargetMode="External"/></Relationships>'))
    return out.getvalue()


# ------------------------------------------------------------- memory bombs
def _sheet_rows(rows: int) -> bytes:
    """A worksheet of ``rows`` indicator rows (number, year, value) as XML text."""
    head = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            b'<row r="1"><c r="A1" t="inlineStr"><is><t>kommunenummer</t></is></c>'
            b'<c r="B1" t="inlineStr"><is><t>aar</t></is></c><c r="C1" t="inlineStr"><is><t>verdi</t></is></c></row>')
    body = b"".join(b'<row r="%d"><c r="A%d"><v>5001</v></c><c r="B%d"><v>2024</v></c><c r="C%d"><v>1.5</v></c></row>'
                    % (i, i, i, i) for i in range(2, rows + 2))
    return head + body + b"</sheetData></worksheet>"


def _patch_sizes(data: bytes, member: str, file_size: int, compress_size: int | None = None) -> bytes:
    """Overwrite a member's sizes in its local header and the central directory."""
    import struct

    buf = bytearray(data)
    name = member.encode()
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(member)
    local = info.header_offset
    struct.pack_into("<I", buf, local + 22, file_size)
    if compress_size is not None:
        struct.pack_into("<I", buf, local + 18, compress_size)
    start = 0
    while True:
        at = buf.find(b"PK\x01\x02", start)
        if at < 0:
            break
        length = struct.unpack_from("<H", buf, at + 28)[0]
        if bytes(buf[at + 46: at + 46 + length]) == name:
            struct.pack_into("<I", buf, at + 24, file_size)
            if compress_size is not None:
                struct.pack_into("<I", buf, at + 20, compress_size)
        start = at + 4
    return bytes(buf)


def xlsx_with_sheet(sheet_xml: bytes) -> bytes:
    """A minimal workbook whose only sheet is ``sheet_xml``."""
    wb = Workbook()
    buffer = io.BytesIO()
    wb.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for item in source.infolist():
            data = sheet_xml if item.filename == "xl/worksheets/sheet1.xml" else source.read(item)
            target.writestr(item.filename, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return out.getvalue()


def forged_size_xlsx(rows: int = 2_000_000) -> bytes:
    """A workbook whose sheet's zip headers claim a tiny, uncompressed member (ratio 1:1)
    while it really unpacks to hundreds of MB."""
    data = xlsx_with_sheet(_sheet_rows(rows))
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo("xl/worksheets/sheet1.xml")
    return _patch_sizes(data, "xl/worksheets/sheet1.xml", file_size=info.compress_size,
                        compress_size=info.compress_size)


def rows_csv(rows: int = 2_000_000) -> bytes:
    return b"kommunenummer;aar;verdi\n" + b"5001;2024;1,5\n" * rows


def many_coordinates_geojson(points: int = 5_000_000) -> bytes:
    """One municipality polygon with ``points`` vertices."""
    import math

    ring = ",".join(f"[{10 + 0.4 * math.cos(2 * math.pi * i / points):.7f},"
                    f"{63 + 0.2 * math.sin(2 * math.pi * i / points):.7f}]" for i in range(points))
    first = "[10.4000000,63.0000000]"
    return ('{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"kommunenummer":"5001",'
            f'"navn":"Trondheim"}},"geometry":{{"type":"Polygon","coordinates":[[{ring},{first}]]}}}}]}}').encode()


def workspace_zip(document: dict | str, extra: dict[str, bytes | int] | None = None,
                  declare: dict[str, int] | None = None) -> bytes:
    """A workspace export holding ``document`` and ``extra`` members (bytes, or a number:
    that many zero bytes, written in chunks), with member sizes optionally forged in
    the headers (``declare``: member -> claimed size)."""
    import json

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("workspace.json", document if isinstance(document, str) else json.dumps(document))
        for name, data in (extra or {}).items():
            if isinstance(data, int):
                with archive.open(name, "w", force_zip64=data > 2**31) as handle:
                    chunk = bytes(1 << 20)
                    for start in range(0, data, len(chunk)):
                        handle.write(chunk[: min(len(chunk), data - start)])
            else:
                archive.writestr(name, data)
    data = out.getvalue()
    for name, size in (declare or {}).items():
        data = _patch_sizes(data, name, file_size=size)
    return data



def giant_cell_xlsx(text_bytes: int = 600 * 1024 * 1024) -> bytes:
    """A workbook of about 0.6 MB whose one cell unpacks to ``text_bytes`` of text; its
    headers claim the member is stored 1:1, so no ratio check can see it."""
    wb = Workbook()
    buffer = io.BytesIO()
    wb.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    sheet = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for item in source.infolist():
            if item.filename != sheet:
                target.writestr(item.filename, source.read(item))
                continue
            with target.open(sheet, "w", force_zip64=False) as handle:
                handle.write(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                             b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                             b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>')
                chunk = b"a" * (1 << 20)
                for start in range(0, text_bytes, len(chunk)):
                    handle.write(chunk[: min(len(chunk), text_bytes - start)])
                handle.write(b"</t></is></c></row></sheetData></worksheet>")
    data = out.getvalue()
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(sheet)
    return _patch_sizes(data, sheet, file_size=info.file_size, compress_size=info.file_size)


def many_coordinates_shapefile_zip(points: int = 5_000_000) -> bytes:
    """A zipped Shapefile: one municipality whose boundary has ``points`` vertices
    (a repeating zigzag, so the zip stays small)."""
    import tempfile
    from pathlib import Path

    import geopandas as gpd
    import numpy as np
    import shapely

    steps = np.arange(points, dtype=np.float64)
    xs = 10.0 + 0.4 * steps / points
    ys = 63.0 + 0.0001 * (steps % 2)
    ring = np.column_stack([np.concatenate([xs, [10.4, 10.0, 10.0]]), np.concatenate([ys, [63.2, 63.2, 63.0]])])
    polygon = shapely.Polygon(ring)
    frame = gpd.GeoDataFrame({"knr": ["5001"], "navn": ["Trondheim"]}, geometry=[polygon], crs=4326)
    with tempfile.TemporaryDirectory() as tmp:
        frame.to_file(Path(tmp) / "k.shp", engine="pyogrio")
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for part in ("shp", "shx", "dbf", "prj"):
                archive.write(Path(tmp) / f"k.{part}", f"k.{part}")
    return out.getvalue()
