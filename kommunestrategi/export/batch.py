"""Export one council or every council of a workspace (a zip) in one or more formats.

Used by the CLI and the export page. The indicator engine is built once per
batch and shared by all councils; maps and files can be drawn in worker
processes (``worker.py``, ``KOMMUNESTRATEGI_EXPORT_WORKERS``).
"""

from __future__ import annotations

import io
import logging
import multiprocessing
import os
import pickle
import zipfile
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import repeat
from typing import Any

from kommunestrategi import indicators as ind
from kommunestrategi.export.collect import collect
from kommunestrategi.export.document import CouncilData
from kommunestrategi.export.worker import check_formats, render_council

LOG = logging.getLogger(__name__)

#: progress(done, total, council_name) after each council.
Progress = Callable[[int, int, str], None]


def indicator_data(store: Any, workspace: Any) -> ind.IndicatorData:
    """The indicator engine over bundled and the workspace's uploaded figures (a Swedish
    workspace's over its own kommuner, as one council's summary gathers it)."""
    from kommunestrategi.indicators.workspace import workspace_catalogue

    if getattr(workspace, "country", "NO") == "SE":
        from kommunestrategi import datasets
        from kommunestrategi.countries import sweden

        geography = datasets.active_geography(store, workspace.id)
        return sweden.indicator_data(ind.uploaded_values(store, workspace.id), geography.units)
    return ind.build_data(ind.uploaded_values(store, workspace.id), None, workspace_catalogue(store, workspace.id))


def worker_count(councils: int) -> int:
    """Worker processes for a batch: ``KOMMUNESTRATEGI_EXPORT_WORKERS`` (default 1,
    no worker processes: on a shared two-core machine the start-up of the workers,
    which load the map and fonts again, cost more than they saved)."""
    configured = os.environ.get("KOMMUNESTRATEGI_EXPORT_WORKERS", "").strip()
    if configured.isdigit():
        return max(1, min(int(configured), councils))
    return 1


def _render_all(datas: list[CouncilData], formats: list[str], workers: int,
                progress: Progress | None) -> list[tuple[str, dict[str, bytes]]]:
    total = len(datas)
    if workers > 1:
        try:
            results = []
            context = multiprocessing.get_context("spawn")
            with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
                for i, result in enumerate(pool.map(render_council, datas, repeat(formats)), start=1):
                    results.append(result)
                    if progress:
                        progress(i, total, result[0])
            return results
        except (BrokenProcessPool, OSError, pickle.PicklingError):
            LOG.exception("export workers failed; rendering in this process")
    results = []
    for i, data in enumerate(datas, start=1):
        results.append(render_council(data, formats))
        if progress:
            progress(i, total, results[-1][0])
    return results


def workspace_files(store: Any, workspace: Any, formats: Sequence[str], lang: str = "nb",
                    councils: Sequence[str] | None = None, progress: Progress | None = None,
                    workers: int | None = None) -> list[tuple[str, dict[str, bytes]]]:
    """(council name, {file name: bytes}) for each council (all members when None).

    The store is read in this process; maps and files are drawn in ``workers``
    processes (default :func:`worker_count`) when more than one.
    """
    formats = check_formats(formats)
    codes = list(councils) if councils is not None else [c.kommunenummer for c in store.list_councils(workspace.id)]
    data = indicator_data(store, workspace)
    datas = [collect(store, workspace, code, lang, data=data, draw_map=False) for code in codes]
    return _render_all(datas, formats, worker_count(len(codes)) if workers is None else workers, progress)


def workspace_zip(store: Any, workspace: Any, formats: Sequence[str], lang: str = "nb",
                  councils: Sequence[str] | None = None, progress: Progress | None = None,
                  workers: int | None = None) -> bytes:
    """A zip with every council's summary in each format (one folder per format when
    there are several); see :func:`workspace_files`."""
    formats = check_formats(formats)
    results = workspace_files(store, workspace, formats, lang, councils, progress, workers)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for _name, files in results:
            for name, content in files.items():
                folder = name.rsplit(".", 1)[-1]
                archive.writestr(f"{folder}/{name}" if len(formats) > 1 else name, content)
    return out.getvalue()
