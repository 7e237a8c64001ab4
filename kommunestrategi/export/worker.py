"""Rendering one council's files from its gathered data: pure, and light to import,
so batch exports can run it in worker processes (see ``batch.py``)."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from kommunestrategi.export import FORMATS, file_name, render
from kommunestrategi.export.document import CouncilData, Document, build_document

LOG = logging.getLogger(__name__)


def check_formats(formats: Sequence[str]) -> list[str]:
    """The formats without repeats; ValueError for an unknown or empty list."""
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise ValueError(f"unknown format {', '.join(unknown) or '(none)'}; choose from {', '.join(FORMATS)}")
    return list(dict.fromkeys(formats))


def council_files(document: Document, formats: Sequence[str]) -> dict[str, bytes]:
    """File name -> bytes for one document in each format."""
    return {file_name(document, fmt): render(document, fmt) for fmt in check_formats(formats)}


def render_council(data: CouncilData, formats: Sequence[str]) -> tuple[str, dict[str, bytes]]:
    """Draw the council's map when still missing, build its document and render it.

    Pure (no store), so it can run in a worker process.
    """
    needs_map = any(fmt in ("docx", "pdf") for fmt in formats)  # the XLSX has no pictures
    if needs_map and data.region is not None and data.region.map_png is None:
        try:
            from kommunestrategi.export.static_map import region_map_png
            data.region.map_png = region_map_png(data.region.codes, data.council)
        except Exception as exc:  # noqa: BLE001 - the document says the map is missing
            # one line, no traceback: a command's stderr holds one-line messages only (a
            # Swedish workspace without imported boundaries has no map to draw at all)
            LOG.log(logging.INFO if isinstance(exc, ValueError) else logging.WARNING,
                    "static map not drawn for %s: %s", data.council, exc)
    document = build_document(data)
    return document.council_name, council_files(document, formats)
