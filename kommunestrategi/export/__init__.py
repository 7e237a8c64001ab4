"""Strategy summaries out: one council's document as DOCX, PDF or XLSX, or all councils as a zip.

``document.py`` holds the format-neutral model, ``collect.py`` fills it from the
store and the analysis modules, and one module per format renders it.
"""

from __future__ import annotations

from collections.abc import Callable

from kommunestrategi.export.document import Document, file_stem

FORMATS: tuple[str, ...] = ("docx", "pdf", "xlsx")
MEDIA_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "zip": "application/zip",
}


def renderer(fmt: str) -> Callable[[Document], bytes]:
    """The render function for ``docx``, ``pdf`` or ``xlsx`` (imported on demand)."""
    if fmt == "docx":
        from kommunestrategi.export.docx import render_docx
        return render_docx
    if fmt == "pdf":
        from kommunestrategi.export.pdf import render_pdf
        return render_pdf
    if fmt == "xlsx":
        from kommunestrategi.export.xlsx import render_xlsx
        return render_xlsx
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")


def render(document: Document, fmt: str) -> bytes:
    """The document as bytes in ``fmt``."""
    return renderer(fmt)(document)


def file_name(document: Document, fmt: str) -> str:
    """The file name for the document in ``fmt``: ``strategi_5035_Stjørdal.pdf``."""
    return f"{file_stem(document)}.{fmt}"
