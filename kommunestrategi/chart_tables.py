"""The numbers behind each chart, as tables (WCAG 1.1.1: a chart's content as text).

Every chart in the app has its figures available as a table beside it (the pages show
these under "Tallene i tabell"). The builders here turn a chart's inputs into a small
frame of text cells, with the language's number formats, so a screen reader reads
the same figures the chart draws. Column headers are given by the caller (translated).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from kommunestrategi.formatting import number, percent


def comparison_table(rows: Sequence[tuple[str, float | None, str]], *, label: str, value: str,
                     lang: str = "nb", decimals: int = 0) -> pd.DataFrame:
    """The bars of a comparison chart: one row per ``(label, value, kind)``."""
    return pd.DataFrame({label: [r[0] for r in rows],
                         value: [number(r[1], lang, decimals) for r in rows]})


def ranking_table(values: pd.Series, names: Mapping[str, str], *, code: str, name: str, value: str,
                  rank: str, lang: str = "nb", decimals: int = 0) -> pd.DataFrame:
    """Every municipality's figure, highest first, with its place (a strip of dots as a list)."""
    known = values.dropna().sort_values(ascending=False, kind="stable")
    missing = values[values.isna()]
    ordered = pd.concat([known, missing])
    places = [str(i) for i in range(1, len(known) + 1)] + ["–"] * len(missing)
    return pd.DataFrame({rank: places, code: list(ordered.index),
                         name: [str(names.get(c, c)) for c in ordered.index],
                         value: [number(v, lang, decimals) for v in ordered.to_numpy()]})


def trend_table(series: Mapping[str, pd.DataFrame], *, year: str, lang: str = "nb",
                decimals: int = 0) -> pd.DataFrame:
    """Lines over the years (each a frame with ``year`` and ``value``): a row per year, a column per line."""
    columns = {}
    for label, frame in series.items():
        if frame is None or frame.empty:
            continue
        columns[label] = pd.Series(frame["value"].to_numpy(dtype=float), index=frame["year"].astype(int).to_numpy())
    if not columns:
        return pd.DataFrame({year: []})
    wide = pd.DataFrame(columns).sort_index()
    table = pd.DataFrame({year: [str(y) for y in wide.index]})
    for label in wide.columns:
        table[label] = [number(v, lang, decimals) for v in wide[label].to_numpy()]
    return table


def pyramid_table(structure: pd.DataFrame, reference: pd.DataFrame | None, *, group_labels: Mapping[str, str],
                  group: str, count: str, share: str, reference_share: str | None = None,
                  lang: str = "nb") -> pd.DataFrame:
    """An age pyramid: per age group the inhabitants and their share, and the reference's share."""
    table = pd.DataFrame({
        group: [group_labels.get(g, g) for g in structure["group"]],
        count: [number(v, lang) for v in structure["value"]],
        share: [percent(s, lang) for s in structure["share"]],
    })
    if reference is not None and reference_share and not reference.empty:
        by_group = dict(zip(reference["group"], reference["share"], strict=True))
        table[reference_share] = [percent(by_group.get(g), lang) for g in structure["group"]]
    return table


def projection_table(frame: pd.DataFrame, *, series_labels: Mapping[str, str], year: str, kind: str,
                     kind_labels: Mapping[str, str], index_label: str, lang: str = "nb") -> pd.DataFrame:
    """Inhabitants per year for each series (observed or projected), and the index the chart draws
    (the first year = 100)."""
    if frame.empty:
        return pd.DataFrame({year: [], kind: []})
    years = sorted(frame["year"].astype(int).unique())
    table = pd.DataFrame({year: [str(y) for y in years]})
    kinds = frame.groupby("year")["kind"].first()
    table[kind] = [kind_labels.get(kinds.get(y), kinds.get(y)) for y in years]
    for series, label in series_labels.items():
        part = frame[frame["series"] == series].set_index("year")["value"].astype(float)
        if part.empty:
            continue
        base = float(part.sort_index().iloc[0])
        table[label] = [number(part.get(y), lang) for y in years]
        table[f"{label}, {index_label}"] = [
            number(part.get(y) / base * 100 if base and y in part.index else None, lang, 1) for y in years]
    return table


def share_matrix_table(matrix: pd.DataFrame, *, rows: Sequence[str], labels: Mapping[str, str],
                       row_header: str, lang: str = "nb") -> pd.DataFrame:
    """A heat map of shares (rows x columns, 0-1) as percentages."""
    table = pd.DataFrame({row_header: list(rows)})
    for column in matrix.columns:
        table[labels.get(column, column)] = [percent(v, lang, 0) for v in matrix[column].to_numpy(dtype=float)]
    return table


def count_table(counts: Mapping[str, float], names: Mapping[str, str], *, code: str, name: str, value: str,
                lang: str = "nb") -> pd.DataFrame:
    """Counts per municipality (a choropleth of counts), largest first, zeros left out."""
    ordered = sorted(((c, v) for c, v in counts.items() if v), key=lambda cv: (-cv[1], cv[0]))
    return pd.DataFrame({code: [c for c, _v in ordered], name: [str(names.get(c, c)) for c, _v in ordered],
                         value: [number(v, lang) for _c, v in ordered]})


def links_table(links: Sequence[tuple[str, str, int]], names: Mapping[str, str], *, first: str, second: str,
                value: str, lang: str = "nb") -> pd.DataFrame:
    """The lines of a network drawing (``(a, b, weight)``), strongest first."""
    ordered = sorted(links, key=lambda link: (-link[2], link[0], link[1]))
    return pd.DataFrame({first: [str(names.get(a, a)) for a, _b, _w in ordered],
                         second: [str(names.get(b, b)) for _a, b, _w in ordered],
                         value: [number(w, lang) for _a, _b, w in ordered]})
