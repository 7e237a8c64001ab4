"""Dataset tables as bytes and back, keeping column types (codes stay text).

JSON with an explicit column-type list rather than pickle: the bytes travel in
workspace export files that users upload again, so they must be safe to read.
"""

from __future__ import annotations

import json
import math
from typing import Any

import pandas as pd

FORMAT = "kommunestrategi-frame/1"


def _cell(value: Any) -> Any:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalar
        return value.item()
    return value


def frame_to_bytes(frame: pd.DataFrame) -> bytes:
    """Serialise a frame with its column names, dtypes and (named) index."""
    index_names: list[str] = []
    if not isinstance(frame.index, pd.RangeIndex) or frame.index.name is not None:
        index_names = [str(n) if n is not None else f"__index_{i}" for i, n in enumerate(frame.index.names)]
        frame = frame.copy()
        frame.index.names = index_names
        frame = frame.reset_index()
    columns = [str(c) for c in frame.columns]
    payload = {
        "format": FORMAT,
        "columns": columns,
        "dtypes": [str(t) for t in frame.dtypes],
        "index": index_names,
        "data": [[_cell(v) for v in row] for row in frame.itertuples(index=False, name=None)],
    }
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()


def _restore_column(series: pd.Series, dtype: str) -> pd.Series:
    if dtype.startswith("datetime64"):
        return pd.to_datetime(series).astype(dtype)
    if dtype in {"str", "string", "string[python]", "string[pyarrow]"}:
        return series.astype(dtype if dtype != "str" else "str")
    if dtype == "object":
        return series.astype(object)
    if dtype in {"int64", "int32", "int16", "int8"} and series.isna().any():
        return series.astype("Int64")
    if dtype == "bool" and series.isna().any():
        return series.astype("boolean")
    try:
        return series.astype(dtype)
    except (TypeError, ValueError):
        return series


def frame_from_bytes(data: bytes) -> pd.DataFrame:
    """The frame :func:`frame_to_bytes` stored, with the same column types."""
    payload = json.loads(data)
    if payload.get("format") != FORMAT:
        raise ValueError("not a stored dataset table")
    frame = pd.DataFrame(payload["data"], columns=payload["columns"], dtype=object)
    for name, dtype in zip(payload["columns"], payload["dtypes"], strict=True):
        frame[name] = _restore_column(frame[name], dtype)
    if payload["index"]:
        frame = frame.set_index(payload["index"])
        frame.index.names = [None if n.startswith("__index_") else n for n in frame.index.names]
    return frame
