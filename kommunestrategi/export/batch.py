"""Export one council or every council of a workspace (a zip) in one or more formats.

Used by the CLI and the export page. The indicator engine is built once per
batch and shared by all councils; the static map is cached per region.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Sequence
from typing import Any

from kommunestrategi import indicators as ind
from kommunestrategi.export import FORMATS, file_name, render
from kommunestrategi.export.collect import council_document
from kommunestrategi.export.document import Document

#: progress(done, total, council_name) after each council.
Progress = Callable[[int, int, str], None]


def _check_formats(formats: Sequence[str]) -> list[str]:
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise ValueError(f"unknown format {', '.join(unknown) or '(none)'}; choose from {', '.join(FORMATS)}")
    return list(dict.fromkeys(formats))


def indicator_data(store: Any, workspace: Any) -> ind.IndicatorData:
    """The indicator engine over bundled and the workspace's uploaded figures."""
    return ind.build_data(ind.uploaded_values(store, workspace.id))


def council_files(document: Document, formats: Sequence[str]) -> dict[str, bytes]:
    """File name -> bytes for one document in each format."""
    return {file_name(document, fmt): render(document, fmt) for fmt in _check_formats(formats)}


def workspace_documents(store: Any, workspace: Any, lang: str = "nb", councils: Sequence[str] | None = None,
                        progress: Progress | None = None) -> list[Document]:
    """The documents of the given councils (all members when None)."""
    codes = list(councils) if councils is not None else [c.kommunenummer for c in store.list_councils(workspace.id)]
    data = indicator_data(store, workspace)
    documents = []
    for i, code in enumerate(codes, start=1):
        documents.append(council_document(store, workspace, code, lang, data=data))
        if progress:
            progress(i, len(codes), documents[-1].council_name)
    return documents


def workspace_zip(store: Any, workspace: Any, formats: Sequence[str], lang: str = "nb",
                  councils: Sequence[str] | None = None, progress: Progress | None = None) -> bytes:
    """A zip with every council's summary in each format, one folder per format."""
    formats = _check_formats(formats)
    codes = list(councils) if councils is not None else [c.kommunenummer for c in store.list_councils(workspace.id)]
    data = indicator_data(store, workspace)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for i, code in enumerate(codes, start=1):
            document = council_document(store, workspace, code, lang, data=data)
            for name, content in council_files(document, formats).items():
                folder = name.rsplit(".", 1)[-1]
                archive.writestr(f"{folder}/{name}" if len(formats) > 1 else name, content)
            if progress:
                progress(i, len(codes), document.council_name)
    return out.getvalue()
