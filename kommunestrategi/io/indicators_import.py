"""Indicator values from xlsx/csv files (own sheets, SSB downloads, the template).

Shapes understood (after ``tables.find_layout`` has found the table):

* long form: region, indicator, year, value columns (any order, Norwegian or English headers);
* wide by year: region (+ indicator) and one column per year ("2022", "Personer 2022");
* wide by indicator: region (+ year) and one column per indicator;
* SSB Statistikkbanken: a title line, several header rows, ``5001 Trondheim`` labels.

The result is the canonical long table ``kommunenummer, indicator_id, year, value,
unit, source_number`` keyed by 2024 map units, plus a report naming sheet, row
and column of every problem. Nothing here writes anywhere.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import pandas as pd

from kommunestrategi import geo
from kommunestrategi.codes import fold_name
from kommunestrategi.io import renumbering
from kommunestrategi.io import sheets as sheets_mod
from kommunestrategi.io import validation as v
from kommunestrategi.io.report import ImportReport
from kommunestrategi.io.safety import max_rows
from kommunestrategi.io.tables import (
    IGNORED_HEADERS,
    INDICATOR_HEADERS,
    NAME_HEADERS,
    REGION_HEADERS,
    UNIT_HEADERS,
    VALUE_HEADERS,
    YEAR_HEADERS,
    Layout,
    cell_text,
    column_letter,
    find_layout,
    header_key,
)

COLUMNS = ["kommunenummer", "indicator_id", "year", "value", "unit", "source_number"]
_FORMULA_TEXT = re.compile(r"^\s*[=+@]\s*[A-Za-z(]")
_MARKUP = re.compile(r"<\s*/?\s*[A-Za-z][^>]*>")


def empty_values() -> pd.DataFrame:
    """The canonical indicator table with no rows."""
    return pd.DataFrame({"kommunenummer": pd.Series(dtype=str), "indicator_id": pd.Series(dtype=str),
                         "year": pd.Series(dtype="int64"), "value": pd.Series(dtype=float),
                         "unit": pd.Series(dtype=str), "source_number": pd.Series(dtype=str)})


def slug(text: str) -> str:
    """An indicator id from a label ("Netto driftsresultat i %" -> "netto_driftsresultat_i")."""
    folded = re.sub(r"[^a-z0-9]+", "_", fold_name(text)).strip("_")
    return folded[:60] or "value"


def match_indicator(label: str, table: str | None = None) -> tuple[str, bool]:
    """(indicator id, known): a catalogue id for a label or SSB table, else a slug of the label."""
    catalogue = v.indicator_catalogue()
    text = label.strip()
    if not catalogue.empty:
        if text in set(catalogue["indicator_id"]):
            return text, True
        folded = fold_name(text)
        by_name = catalogue[catalogue["name_nb"].map(fold_name) == folded]
        if len(by_name) == 1:
            return str(by_name["indicator_id"].iloc[0]), True
        if table:
            by_table = catalogue[catalogue["ssb_table"].astype(str).str.strip() == table]
            if len(by_table) > 1:  # a table's headline figure: "pop_total" among the age groups of 07459
                by_table = by_table[by_table["indicator_id"].str.endswith("_total")]
            if len(by_table) == 1:
                return str(by_table["indicator_id"].iloc[0]), True
    if re.fullmatch(r"[A-Za-z][A-Za-z0-9_.\-]{0,63}", text):
        return text, catalogue.empty
    return slug(text), catalogue.empty


def _catalogue_unit(indicator_id: str) -> str:
    catalogue = v.indicator_catalogue()
    hit = catalogue.loc[catalogue["indicator_id"] == indicator_id, "unit"]
    return str(hit.iloc[0]) if len(hit) else ""


def _catalogue_aggregation(indicator_id: str) -> str:
    catalogue = v.indicator_catalogue()
    hit = catalogue.loc[catalogue["indicator_id"] == indicator_id, "aggregation"]
    return str(hit.iloc[0]) if len(hit) else ""


def _classify(layout: Layout, data: pd.DataFrame) -> dict[str, object]:
    """Role of each column: region/name/year/indicator/value/unit/ignored, year columns, indicator columns."""
    roles: dict[str, object] = {"year": None, "indicator": None, "value": None, "unit": None,
                                "year_cols": {}, "indicator_cols": [], "other": []}
    for c, label in enumerate(layout.labels):
        if c == layout.region_col or c >= data.shape[1]:
            continue
        key = header_key(label)
        if not label and data.iloc[:, c].map(cell_text).eq("").all():
            continue
        if key in YEAR_HEADERS and roles["year"] is None:
            roles["year"] = c
        elif key in INDICATOR_HEADERS and roles["indicator"] is None:
            roles["indicator"] = c
        elif key in VALUE_HEADERS and roles["value"] is None:
            roles["value"] = c
        elif key in UNIT_HEADERS and roles["unit"] is None:
            roles["unit"] = c
        elif key in IGNORED_HEADERS or key in NAME_HEADERS or key in REGION_HEADERS:
            continue
        else:
            year = v.year_in_label(label)
            rest = re.sub(r"(?<!\d)\d{4}(?:[KMHU]\d{0,2})?(?!\d)", "", label).strip(" -:")
            if year is not None and len(rest) <= 80 and (not rest or len(rest) < len(label)):
                roles["year_cols"][c] = (year, rest)  # type: ignore[index]
            else:
                roles["other"].append(c)  # type: ignore[union-attr]
    # SSB long CSV: region, variable, year, and one value column titled with the table name
    others: list[int] = roles["other"]  # type: ignore[assignment]
    if roles["value"] is None and len(others) == 1 and not roles["year_cols"] and (
            roles["indicator"] is not None or re.match(r"^\s*\d{5}\b", layout.labels[others[0]])):
        roles["value"] = others.pop()
    if roles["value"] is None:
        roles["indicator_cols"] = list(roles["other"])  # type: ignore[arg-type]
    return roles


def read_indicator_grid(rows: list[list[object]], report: ImportReport, sheet: str | None = None,
                        merged: list | None = None, indicator_id: str | None = None,
                        year: int | None = None) -> pd.DataFrame | None:
    """Long rows (row, column, region, indicator, year, value, unit) from one grid; None if no table."""
    layout = find_layout(rows, merged)
    if layout is None:
        return None
    for c in layout.merged_header_cols:
        report.error("merged_header", sheet=sheet, row=layout.header_rows[-1] + 1, column=column_letter(c))
    width = max(len(layout.labels), 1)
    body = rows[layout.data_start:]
    if len(body) > max_rows():
        report.error("too_many_rows", sheet=sheet, count=len(body), limit=max_rows())
        return pd.DataFrame()
    data = _grid_frame(body, width)
    if data.empty:
        report.error("no_data_rows", sheet=sheet)
        return pd.DataFrame()
    data.index = np.arange(layout.data_start + 1, layout.data_start + 1 + len(data))  # 1-based file rows
    # trailing notes under an SSB table ("Kilde: ...", footnotes): drop rows without a region cell
    region_cells = data.iloc[:, layout.region_col]
    keep = v.map_distinct(region_cells, cell_text) != ""
    if data.shape[1] > 1:  # a note in the region column with nothing beside it ("Kilde: SSB")
        others = data.drop(columns=data.columns[layout.region_col])
        alone = others.isna().all(axis=1) | others.map(cell_text).eq("").all(axis=1) if len(data) < 5000 \
            else others.isna().all(axis=1)
        if alone.any():
            noted = v.map_distinct(region_cells[alone], lambda x: v.resolve_region(x).kind not in ("unit", "split"))
            keep &= ~(alone & noted.reindex(data.index, fill_value=False).astype(bool))
    data = data[keep]
    table = None
    for text in [layout.title, *layout.labels]:  # "07459: Befolkning ..." in the title or a value header
        table_match = re.match(r"^\s*(\d{5})\b", text)
        if table_match:
            table = table_match.group(1)
            break
    roles = _classify(layout, data)
    # a sheet titled with the indicator's name above a region/year table (KOSTRA workbooks)
    titled = layout.title if layout.title and not re.match(r"^\s*\d{5}\b", layout.title) \
        and len(layout.title) <= 120 else None
    for c, label in enumerate(layout.labels):
        if label and (_FORMULA_TEXT.match(label) or _MARKUP.search(label)):
            report.error("header_unsafe", sheet=sheet, row=(layout.header_rows or [layout.data_start])[-1] + 1,
                         column=column_letter(c), value=label[:60])
    if any(label == "" for c, label in enumerate(layout.labels)
           if c in roles["indicator_cols"] and c not in layout.merged_header_cols):  # type: ignore[operator]
        for c in roles["indicator_cols"]:  # type: ignore[union-attr]
            if layout.labels[c] == "" and c not in layout.merged_header_cols:
                report.error("header_missing", sheet=sheet, column=column_letter(c))
    region = data.iloc[:, layout.region_col]
    default_year = year
    if default_year is None and roles["year"] is None and not roles["year_cols"]:
        found = {y for y in (v.year_in_label(layout.title),) if y}
        default_year = found.pop() if len(found) == 1 else None
    pieces: list[pd.DataFrame] = []

    def piece(values_col: int, indicator: pd.Series | str | None, year_values: pd.Series | int | None,
              unit: pd.Series | str = "") -> None:
        frame = pd.DataFrame({
            "row": data.index, "column": _objects(column_letter(values_col), len(data)), "region": region.to_numpy(),
            "region_column": _objects(column_letter(layout.region_col), len(data)),
            "indicator": _objects(indicator, len(data)) if not isinstance(indicator, pd.Series)
            else indicator.to_numpy(dtype=object),
            "year": year_values if not isinstance(year_values, pd.Series) else year_values.to_numpy(),
            "value": data.iloc[:, values_col].to_numpy(),
            "unit": _objects(unit, len(data)) if not isinstance(unit, pd.Series) else unit.to_numpy(dtype=object),
        }, dtype=object)  # object, not arrow text: converting 350,000 cells twice costs a second
        pieces.append(frame)

    ind_series = data.iloc[:, roles["indicator"]].map(cell_text) if roles["indicator"] is not None else None
    year_series = data.iloc[:, roles["year"]] if roles["year"] is not None else None
    unit_series = data.iloc[:, roles["unit"]].map(cell_text) if roles["unit"] is not None else ""
    if roles["value"] is not None:
        indicator = ind_series if ind_series is not None else indicator_id
        piece(roles["value"], indicator, year_series if year_series is not None else default_year, unit_series)
    elif roles["year_cols"]:
        for c, (col_year, rest) in roles["year_cols"].items():  # type: ignore[union-attr]
            # no indicator named: the table's headline figure ("07459" -> pop_total)
            indicator = ind_series if ind_series is not None else (indicator_id or rest or table or titled or None)
            piece(c, indicator, col_year, unit_series)
    elif roles["indicator_cols"]:
        for c in roles["indicator_cols"]:  # type: ignore[union-attr]
            piece(c, indicator_id if (indicator_id and len(roles["indicator_cols"]) == 1)  # type: ignore[arg-type]
                  else layout.labels[c], year_series if year_series is not None else default_year, unit_series)
    else:
        report.error("no_value_columns", sheet=sheet)
        return pd.DataFrame()
    long = pd.concat(pieces, ignore_index=True)
    long["sheet"] = _objects(sheet, len(long))
    long["table"] = _objects(table, len(long))
    return long


def _grid_frame(body: list[list[object]], width: int) -> pd.DataFrame:
    """The first ``width`` cells of each row as an object frame, short rows padded with ""."""
    if body and all(len(r) == len(body[0]) for r in body) and len(body[0]) >= width:
        # a sheet's rows all have its width (calamine's grid): one numpy copy, not a list per row
        grid = np.empty((len(body), len(body[0])), dtype=object)
        grid[:] = body
        return pd.DataFrame(grid[:, :width], dtype=object, copy=False)
    return pd.DataFrame([list(r[:width]) + [""] * (width - len(r[:width])) for r in body], dtype=object)


def _objects(value: object, n: int) -> np.ndarray:
    """A constant column as a numpy object array (pandas would convert a str scalar to arrow text)."""
    column = np.empty(n, dtype=object)
    column.fill(value)  # five times faster than np.full for objects
    return column


def _factorize(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(codes, uniques) of an object column; missing cells get code -1."""
    return pd.factorize(values.to_numpy(dtype=object), use_na_sentinel=True)


def _take(table: list, codes: np.ndarray, missing: object, dtype: object = object) -> np.ndarray:
    """``table[codes]`` with ``missing`` where the code is -1."""
    arr = np.empty(len(table) + 1, dtype=dtype)
    arr[:-1] = table
    arr[-1] = missing
    return arr[codes]


def normalise_values(long: pd.DataFrame, report: ImportReport) -> pd.DataFrame:
    """Validate long rows and turn them into the canonical table (errors and warnings reported).

    Every check is computed once per distinct value (municipality cell, indicator,
    year) and spread to the rows through factorised codes, so 350,000 values cost
    a few hundred lookups plus vectorised comparisons.
    """
    capped = v.CappedReport(report)
    if long.empty:
        capped.finish()
        return empty_values()
    long = long.reset_index(drop=True)
    rows = long["row"].to_numpy()
    sheets = long["sheet"].to_numpy(dtype=object)
    columns = long["column"].to_numpy(dtype=object)
    region_columns = (long["region_column"].to_numpy(dtype=object) if "region_column" in long
                      else np.full(len(long), None, dtype=object))

    def where(i: int) -> dict:
        sheet = sheets[i]
        return {"sheet": sheet if isinstance(sheet, str) else None, "row": int(rows[i])}

    # regions
    region_codes, region_uniques = _factorize(long["region"])
    found = [v.resolve_region(u) for u in region_uniques]
    kinds = _take([r.kind for r in found], region_codes, "unknown")
    conflict = _take([r.kind == "unit" and r.name_conflict is not None for r in found], region_codes, False,
                     dtype=bool)
    choices = v.current_choices()
    splits = kinds == "split"
    keep = ((kinds == "unit") & ~conflict) | (splits & choices.accept_splits)
    aggregates = list(dict.fromkeys(cell_text(region_uniques[c]) for c in np.unique(region_codes[kinds == "aggregate"])))
    for value in aggregates[:v.LINES_PER_CODE]:
        report.warning("aggregate_skipped", value=value[:60])
    if len(aggregates) > v.LINES_PER_CODE:
        report.warning("more_lines", count=len(aggregates) - v.LINES_PER_CODE, problem="aggregate_skipped")
    for i in np.flatnonzero(kinds == "unknown"):
        code = region_codes[i]
        region = found[code] if code >= 0 else v.Region("unknown")
        value = cell_text(region_uniques[code])[:60] if code >= 0 else ""
        capped.add("error", "unknown_municipality_suggest" if region.suggestion else "unknown_municipality",
                   **where(i), column=region_columns[i], value=value, suggestion_text=region.suggestion or "",
                   suggestion=region.suggestion)
    index = geo.code_index()
    for i in np.flatnonzero(conflict):
        region = found[region_codes[i]]
        capped.add("error", "row_name_mismatch", **where(i), column=region_columns[i], number=region.number,
                   number_name=index.names.get(region.unit or "", ""), name=region.name_conflict)
    if splits.any() and not choices.accept_splits:
        for code in np.unique(region_codes[splits]):
            region = found[code]
            first = int(np.flatnonzero(region_codes == code)[0])
            capped.add("error", "split_needs_choice", **where(first), column=region_columns[first],
                       number=region.number, targets=renumbering.targets_text(region.targets, index))
    used = set(np.unique(region_codes[keep | (splits & (not choices.accept_splits))]).tolist())
    translated = renumbering.translated([found[c] for c in sorted(used) if c >= 0], index)
    report.translated.extend(translated)
    if translated:
        examples = ", ".join(f"{t['from']}→{'/'.join(t['to'])}" for t in translated[:8])
        report.warning("old_numbers_translated", count=len(translated), examples=examples)
    units_of_rows = _take([r.unit for r in found], region_codes, None)
    numbers_of_rows = _take([r.number for r in found], region_codes, None)

    # indicators: one id per distinct (label, table)
    ind_codes, ind_uniques = _factorize(long["indicator"])
    tab_codes, tab_uniques = _factorize(long["table"].where(long["table"].notna(), ""))
    pair_codes, pair_uniques = pd.factorize((ind_codes.astype(np.int64) + 1) * (len(tab_uniques) + 1)
                                            + tab_codes.astype(np.int64) + 1)
    pair_ids: list[str] = []
    pair_missing: list[bool] = []
    unknown_ids: set[str] = set()
    catalogue = v.indicator_catalogue().set_index("indicator_id")
    used_pairs = set(np.unique(pair_codes[keep]).tolist())
    for p, key in enumerate(pair_uniques):
        ind_code = int(key) // (len(tab_uniques) + 1) - 1
        tab_code = int(key) % (len(tab_uniques) + 1) - 1
        label = cell_text(ind_uniques[ind_code]) if ind_code >= 0 else ""
        table = str(tab_uniques[tab_code]) if tab_code >= 0 else ""
        pair_missing.append(label == "")
        if label == "":
            pair_ids.append("")
        elif _FORMULA_TEXT.match(label) or _MARKUP.search(label):
            pair_ids.append("")
            if p in used_pairs:
                report.error("text_unsafe", value=label[:60])
        else:
            ident, known = match_indicator(label, table or None)
            pair_ids.append(ident)
            if not known and p in used_pairs:
                unknown_ids.add(ident)
    indicator_id = _take(pair_ids, pair_codes, "")
    missing_indicator = keep & _take(pair_missing, pair_codes, True, dtype=bool)
    for i in np.flatnonzero(missing_indicator):
        capped.add("error", "no_indicator", **where(i))
    unsafe = keep & ~missing_indicator & (_take([i == "" for i in pair_ids], pair_codes, True, dtype=bool))
    for ident in sorted(unknown_ids)[:v.LINES_PER_CODE]:
        report.warning("unknown_indicator", indicator=ident)
    per_id = {ident: (v.forbids_negative(ident, _catalogue_unit(ident) or ""),
                      float(catalogue.at[ident, "min"]) if ident in catalogue.index else np.nan,
                      float(catalogue.at[ident, "max"]) if ident in catalogue.index else np.nan)
              for ident in set(pair_ids)}
    forbid = _take([per_id[i][0] for i in pair_ids], pair_codes, False, dtype=bool)
    low = _take([per_id[i][1] for i in pair_ids], pair_codes, np.nan, dtype=float)
    high = _take([per_id[i][2] for i in pair_ids], pair_codes, np.nan, dtype=float)

    # years
    year_codes, year_uniques = _factorize(long["year"])
    parsed_years = [v.parse_year(y) for y in year_uniques]
    no_year = keep & _take([y is None for y in parsed_years], year_codes, True, dtype=bool)
    for i in np.flatnonzero(no_year):
        code = year_codes[i]
        capped.add("error", "no_year", **where(i), value=cell_text(year_uniques[code])[:20] if code >= 0 else "")
    year_values = _take([y or 0 for y in parsed_years], year_codes, 0, dtype=np.int64)
    bad_year = keep & ~no_year & ((year_values < v.MIN_YEAR) | (year_values > v.MAX_YEAR))
    for i in np.flatnonzero(bad_year):
        capped.add("error", "year_out_of_range", **where(i), value=int(year_values[i]), min=v.MIN_YEAR,
                   max=v.MAX_YEAR)

    # values
    numbers_s, missing_s, bad_s = v.parse_numbers(long["value"], v.detect_decimal(long["value"]))
    numbers = numbers_s.to_numpy(dtype=float)
    missing = missing_s.to_numpy(dtype=bool)
    bad = bad_s.to_numpy(dtype=bool) & keep
    values_raw = long["value"].to_numpy(dtype=object)
    for i in np.flatnonzero(bad):
        capped.add("error", "not_a_number", **where(i), column=columns[i], value=cell_text(values_raw[i])[:60])
    missing_count = int((missing & keep).sum())
    if missing_count:
        report.warning("missing_values", count=missing_count)
    with np.errstate(invalid="ignore"):
        negative = keep & ~missing & (numbers < 0) & forbid
        out_of_range = keep & ~missing & ~negative & (((numbers < low) & ~np.isnan(low))
                                                     | ((numbers > high) & ~np.isnan(high)))
    for i in np.flatnonzero(negative):
        capped.add("error", "negative_value", **where(i), column=columns[i], value=_fmt(numbers[i]),
                   indicator=indicator_id[i])
    for i in np.flatnonzero(out_of_range):
        capped.add("error", "value_out_of_range", **where(i), column=columns[i], value=_fmt(numbers[i]),
                   indicator=indicator_id[i], min=_fmt(low[i]) if not np.isnan(low[i]) else "–",
                   max=_fmt(high[i]) if not np.isnan(high[i]) else "–")

    # units against the catalogue
    unit_codes, unit_uniques = _factorize(long["unit"]) if "unit" in long else (
        np.full(len(long), -1), np.array([], dtype=object))
    unit_texts = [cell_text(u) for u in unit_uniques]
    units = _take(unit_texts, unit_codes, "")
    checked = set(zip(pair_codes[keep & (unit_codes >= 0)].tolist(), unit_codes[keep & (unit_codes >= 0)].tolist(),
                      strict=True))
    for pair, unit_code in sorted(checked):
        ident, unit = pair_ids[pair], unit_texts[unit_code]
        expected = _catalogue_unit(ident)
        if unit and expected and v.units_conflict(unit, expected):
            report.error("unit_mismatch", indicator=ident, unit=unit, expected=expected)

    valid = keep & ~missing_indicator & ~unsafe & ~no_year & ~bad_year & ~bad & ~missing & ~negative & ~out_of_range
    out = pd.DataFrame({
        "kommunenummer": pd.Series(units_of_rows[valid], dtype=object),
        "indicator_id": pd.Series(indicator_id[valid], dtype=object),
        "year": year_values[valid],
        "value": numbers[valid],
        "unit": pd.Series(units[valid], dtype=object),
        "source_number": pd.Series(numbers_of_rows[valid], dtype=object),
        "row": rows[valid], "sheet": pd.Series(sheets[valid], dtype=object),
    })
    out = renumbering.expand_splits(out, {r.number: r.targets for r in found if r.kind == "split"}, report)
    out = _resolve_duplicates(out, capped, report)
    capped.finish()
    return out[COLUMNS].reset_index(drop=True)


def _resolve_duplicates(out: pd.DataFrame, capped: v.CappedReport, report: ImportReport) -> pd.DataFrame:
    """Same municipality, indicator and year twice: identical -> drop, conflicting -> error.

    Two different source numbers in one map unit (Ålesund 1508 and Haram 1580 in a
    2024 file) are summed for additive indicators and otherwise reported.
    """
    keys = ["kommunenummer", "indicator_id", "year"]
    dup_mask = out.duplicated(keys, keep=False)
    if not dup_mask.any():
        return out
    dups = out[dup_mask]
    drop: list[object] = []
    combined: list[dict] = []
    for key, group in dups.groupby(keys, sort=False):
        sources = group["source_number"].unique()
        if len(sources) == 1 or len(sources) < len(group):
            values = group["value"].unique()
            if len(values) == 1:
                capped.add("warning", "duplicate_row", sheet=group["sheet"].iloc[1], row=int(group["row"].iloc[1]),
                           first_row=int(group["row"].iloc[0]))
                drop.extend(group.index[1:])
            else:
                capped.add("error", "duplicate_conflict", sheet=group["sheet"].iloc[1], row=int(group["row"].iloc[1]),
                           first_row=int(group["row"].iloc[0]), kommunenummer=key[0], indicator=key[1],
                           year=int(key[2]), values=", ".join(_fmt(x) for x in values[:4]))
                drop.extend(group.index)
            continue
        indicator = str(key[1])
        can_add = renumbering.additive(indicator)
        if can_add:
            row = group.iloc[0].to_dict()
            row["value"] = float(group["value"].sum())
            row["source_number"] = " ".join(sorted(sources))
            combined.append(row)
            report.warning("units_combined", kommunenummer=key[0], numbers=", ".join(sorted(sources)),
                           indicator=indicator, year=int(key[2]))
        else:
            keep_idx = group.index[group["source_number"] == key[0]]
            if len(keep_idx):  # the unit's own number (Ålesund 1508 beside Haram 1580): its figure stands
                report.warning("unit_value_kept", kommunenummer=key[0], numbers=", ".join(sorted(sources)),
                               indicator=indicator, year=int(key[2]))
                drop.extend(i for i in group.index if i != keep_idx[0])
            else:  # old municipalities merged since: a mean or ratio cannot be added up
                report.warning("merged_not_added" if can_add is False else "merged_needs_kind",
                               kommunenummer=key[0], numbers=", ".join(sorted(sources)),
                               indicator=indicator, year=int(key[2]))
                drop.extend(group.index)
            continue
        drop.extend(group.index)
    out = out.drop(index=drop)
    if combined:
        out = pd.concat([out, pd.DataFrame(combined)], ignore_index=True)
    return out


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def indicator_counts(values: pd.DataFrame) -> dict:
    """The preview figures: rows, municipalities, indicators, years found."""
    years = sorted(int(y) for y in values["year"].unique()) if len(values) else []
    return {
        "rows": int(len(values)),
        "municipalities": int(values["kommunenummer"].nunique()) if len(values) else 0,
        "indicators": sorted(str(i) for i in values["indicator_id"].unique()) if len(values) else [],
        "years": years,
    }


def read_indicators(sheets: Sequence[tuple[str | None, list[list[object]], list]], report: ImportReport,
                    indicator_id: str | None = None, year: int | None = None,
                    sheet: str | int | None = None) -> pd.DataFrame:
    """The canonical indicator table from one sheet of a file (the one asked for, or the only
    one with municipality rows); file-level report lines name that sheet."""
    chosen, _overview = sheets_mod.pick_sheet(sheets, sheet, report)
    if not chosen:
        return empty_values()
    for name, rows, _merged in chosen:
        keys = {header_key(cell_text(c)) for row in rows[:30] for c in row[:20]}
        if len(keys & sheets_mod.REGISTER_HEADERS) >= 2:
            report.error("register_file", sheet=name)
            return empty_values()
    if len(chosen) == 1:
        report.sheet = chosen[0][0]
    longs: list[pd.DataFrame] = []
    for name, rows, merged in chosen:
        sheet_report = ImportReport(report.file)
        long = read_indicator_grid(rows, sheet_report, name, merged, indicator_id, year)
        if long is not None:  # a table was found: its problems count even if it yielded nothing
            report.extend(sheet_report.lines)
            if not long.empty:
                longs.append(long)
    if not longs:
        if report.ok:
            sheets_mod.explain_no_table(chosen, report)
        return empty_values()
    start = len(report.lines)
    long = pd.concat(longs, ignore_index=True)
    values = normalise_values(long, report)
    if values.empty and report.ok:
        counties = {fold_name(sheets_mod.strip_code(cell_text(x))) for x in long["region"].unique()[:500]} & v.county_names()
        if len(counties) >= 3:
            report.error("county_level_file", count=len(counties))
    names = {n for n, _r, _m in chosen if n is not None}
    if len(names) == 1:  # lines about the whole table belong to the chosen sheet
        only = names.pop()
        report.lines[start:] = [line if line.sheet else replace(line, sheet=only) for line in report.lines[start:]]
    return values


def from_frame(frame: pd.DataFrame, report: ImportReport, table: str | None = None) -> pd.DataFrame:
    """Canonical values from a parsed JSON-stat frame (one column per dimension plus ``value``)."""
    columns = {c: header_key(str(c)) for c in frame.columns}
    region_col = next((c for c, k in columns.items() if k in REGION_HEADERS or k.startswith("region")), None)
    year_col = next((c for c, k in columns.items() if k in YEAR_HEADERS), None)
    value_col = next((c for c, k in columns.items() if k in VALUE_HEADERS), None)
    indicator_col = next((c for c, k in columns.items() if k in INDICATOR_HEADERS), None)
    if region_col is None or value_col is None:
        report.error("no_table")
        return empty_values()
    long = pd.DataFrame({
        "row": np.arange(1, len(frame) + 1), "column": None,
        "region": frame[region_col].to_numpy(dtype=object),
        "indicator": frame[indicator_col].to_numpy(dtype=object) if indicator_col is not None else table,
        "year": frame[year_col].to_numpy(dtype=object) if year_col is not None else None,
        "value": frame[value_col].to_numpy(dtype=object),
        "unit": "", "sheet": None, "table": table,
    })
    long["value"] = long["value"].map(lambda x: None if x is None or (isinstance(x, float) and math.isnan(x))
                                      else x)
    return normalise_values(long, report)


#: Kept importable from here (the readers' public names before the split).
sheet_overview = sheets_mod.sheet_overview
pick_sheet = sheets_mod.pick_sheet
additive = renumbering.additive
