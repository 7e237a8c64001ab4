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
