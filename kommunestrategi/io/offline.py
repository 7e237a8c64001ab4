"""No uploaded file may make the server open a network connection.

GDAL (through pyogrio) follows some references inside geodata: a GeoJSON ``crs``
of type ``link`` makes it fetch the ``href`` with HTTP, and a CRS given as a URL
may be resolved over the network. Two layers stop that:

* :func:`remote_references` finds such references in the raw bytes before GDAL
  sees the file; the readers refuse the file with one report line.
* :func:`configure_gdal` points GDAL's HTTP client at a proxy with a scheme curl
  does not know, so any request GDAL would still try fails inside curl before a
  socket is opened (no DNS lookup, no connection), and turns off PROJ's network
  grids. It is set once per process, before the first read of an upload.

Workbooks are read by openpyxl, which never follows external links (they are
reported and ignored by :mod:`kommunestrategi.io.safety`).
"""

from __future__ import annotations

import json
import os
import re
import threading

#: A proxy URL curl refuses while parsing it ("unsupported proxy scheme").
DISABLED_PROXY = "nonet://network-disabled.invalid:1"
#: GDAL configuration that keeps reads of uploaded files local.
GDAL_OPTIONS = {
    "GDAL_HTTP_PROXY": DISABLED_PROXY,
    "GDAL_HTTPS_PROXY": DISABLED_PROXY,
    "GDAL_HTTP_MAX_RETRY": "0",
    "GDAL_HTTP_TIMEOUT": "1",
    "GDAL_HTTP_CONNECTTIMEOUT": "1",
    "ALLOW_OGR_SQL_FUNCTIONS_FROM_TRIGGER_AND_VIEW": "NO",
    "PROJ_NETWORK": "OFF",
}
_configured = False
_lock = threading.Lock()

#: A key that names a coordinate reference system in GeoJSON / JSON-FG / Esri JSON.
_CRS_KEY = re.compile(rb'(?<!\\)"(crs|coordRefSys|spatialReference|href|\$ref)"\s*:')
#: CRS names GDAL resolves locally.
_LOCAL_CRS = re.compile(
    r"^(urn:ogc:def:crs:(EPSG|OGC)::?[\w.]*:?\w+"
    r"|(EPSG|epsg):\d+"
    r"|\[(EPSG|OGC):\w+\]"
    r"|https?://(www\.)?opengis\.net/def/crs/(EPSG|OGC)/[\w.]+/\w+)$"
)
_MAX_REFERENCES = 1_000


def configure_gdal() -> None:
    """Apply :data:`GDAL_OPTIONS` once in this process (idempotent, thread-safe)."""
    global _configured
    if _configured:
        return
    with _lock:
        if _configured:
            return
        os.environ.setdefault("PROJ_NETWORK", "OFF")
        import pyogrio

        pyogrio.set_gdal_config_options(GDAL_OPTIONS)
        _configured = True


def _is_local_name(value: object) -> bool:
    return isinstance(value, str) and bool(_LOCAL_CRS.match(value.strip()))


def _crs_problem(key: str, value: object) -> bool:
    """Whether a ``key: value`` pair would make GDAL look outside the file."""
    if key in ("href", "$ref"):
        return True
    if key == "crs":
        if value is None:
            return False
        if not isinstance(value, dict) or str(value.get("type", "")).lower() != "name":
            return True
        props = value.get("properties")
        return not (isinstance(props, dict) and _is_local_name(props.get("name")))
    if key == "coordRefSys":
        items = value if isinstance(value, list) else [value]
        return not all(_is_local_name(item) for item in items)
    if key == "spatialReference":  # Esri JSON: wkid/latestWkid numbers or a WKT string
        if not isinstance(value, dict):
            return True
        wkt = value.get("wkt")
        return wkt is not None and (not isinstance(wkt, str) or "://" in wkt or not wkt.lstrip().startswith(
            ("PROJCS", "GEOGCS", "PROJCRS", "GEOGCRS", "GEODCRS", "COMPOUNDCRS", "COMPD_CS")))
    return False


def remote_references(data: bytes) -> bool:
    """Whether JSON geodata refers to a coordinate system (or anything) outside the file.

    Only the few small values under CRS keys are decoded, so a file of millions of
    coordinates is scanned without being parsed. Anything that cannot be decoded
    counts as a reference: the file is refused rather than handed to GDAL.
    """
    text_decoder = json.JSONDecoder()
    for count, match in enumerate(_CRS_KEY.finditer(data)):
        if count >= _MAX_REFERENCES:
            return True
        key = match.group(1).decode()
        start = match.end()
        snippet = data[start:start + 65_536].decode("utf-8", errors="replace").lstrip()
        try:
            value, _end = text_decoder.raw_decode(snippet)
        except ValueError:
            return True
        if _crs_problem(key, value):
            return True
    return False
