"""Indicator panels: every municipality and 20 random regions, per-panel time, and the
server-side work of one page render. Targets: all municipalities <= 1 s; one panel
render <= 100 ms.

Run: ``python benchmarks/bench_indicators.py``. Two data sets: the bundled figures, and
the bundled figures plus synthetic uploads for every other catalogue indicator
(four years each), so every card is filled. Baseline: a naive pandas panel that
filters the long values table per indicator (as a first version of such code would),
measured on the same municipalities in the same run.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kommunestrategi import charts, indicators  # noqa: E402

SEED = 7
REGIONS = 20


def synthetic_uploads(data: indicators.IndicatorData) -> pd.DataFrame:
    """Plausible random figures for every catalogue indicator without data, 2021-2024."""
    rng = np.random.default_rng(SEED)
    rows = []
    for ident, ind in data.catalogue.items():
        if data.has_data(ident) or ident.startswith("proj_"):
            continue
        low = ind.min if ind.min is not None else 0.0
        high = ind.max if ind.max is not None else low + 100_000
        for year in range(2021, 2025):
            values = rng.uniform(low, min(high, low + 100_000), len(data.codes))
            rows.append(pd.DataFrame({"kommunenummer": data.codes, "indicator_id": ident, "year": year,
                                      "value": values, "dataset_version": "synthetic"}))
    return pd.concat(rows, ignore_index=True)


def naive_panel(values: pd.DataFrame, units: pd.DataFrame, codes: list[str]) -> list[tuple]:
    """The obvious pandas version: filter the long table for each indicator."""
    out = []
    catalogue = indicators.load_catalogue()
    for ident, ind in catalogue.items():
        part = values[values["indicator_id"] == ident]
        if part.empty:
            continue
        year = part["year"].max()
        series = part[part["year"] == year].set_index("kommunenummer")["value"]
        if not set(codes) <= set(series.index):
            continue
        value = series.loc[codes].sum() if ind.rule.kind == "sum" else series.loc[codes].mean()
        rank = int((series > value).sum()) + 1
        county = units.set_index("kommunenummer").loc[codes[0], "county"]
        in_county = units.loc[units["county"] == county, "kommunenummer"]
        out.append((ident, value, rank, series.reindex(in_county).median(), series.median()))
    return out


def time_panels(data: indicators.IndicatorData, subjects: list[list[str]]) -> list[float]:
    times = []
    for codes in subjects:
        start = time.perf_counter()
        data.panel(codes)
        times.append(time.perf_counter() - start)
    return times


def page_render(data: indicators.IndicatorData, codes: list[str], lang: str = "nb") -> None:
    """What the page's server does for one panel: the cards, the detail figures for one
    indicator, the trend, the age pyramid, the projection and the similarity table."""
    panel = data.panel(codes)
    card = panel.card("share_80_plus")
    ind = card.indicator
    rows = [("subject", card.value, "subject")] + [(g.key, g.value, g.key) for g in card.comparisons]
    charts.indicator_comparison(rows, title=ind.name(lang), unit="%", lang=lang)
    values = pd.Series(data.series(ind.id, card.year), index=data.codes)
    charts.indicator_strip(values, pd.Series(data.names), subject_value=card.value, subject_label="x",
                           direction=ind.direction, title="t", unit="%", lang=lang)
    charts.indicator_trend({"x": data.history(ind.id, codes),
                            "n": data.group_history(ind.id, data.all_index)}, title="t", unit="%")
    charts.age_pyramid(data.age_structure(codes), group_labels={}, title="t",
                       reference=data.age_structure(data.codes, skip_missing=True))
    charts.population_projection(data.projection(codes), series_labels={}, title="t", axis_title="i",
                                 note="n")
    result = data.similar(codes[0], indicators.DEFAULT_SIMILARITY)
    charts.similarity_table(result, {}, columns={"rank": "r", "kommunenummer": "k", "name": "n",
                                                 "distance": "d"})


def _best(fn, repeats: int = 3) -> float:
    """The fastest of ``repeats`` runs (the machine is shared; the minimum is the
    least disturbed measurement)."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def report(label: str, data: indicators.IndicatorData, regions: list[list[str]]) -> None:
    singles = [[c] for c in data.codes]
    cold = time_panels(data, singles)
    totals = [sum(time_panels(data, singles)) for _ in range(3)]
    warm = time_panels(data, singles)
    region_times = time_panels(data, regions)
    region_totals = [sum(time_panels(data, regions)) for _ in range(3)]
    cards = len(data.panel(singles[0]).with_data)
    print(f"{label}.cards_with_data: {cards} cards")
    print(f"{label}.all_municipalities_first_run: {sum(cold):.3f} s")
    print(f"{label}.all_municipalities_best_of_3: {min(totals):.3f} s")
    print(f"{label}.all_municipalities_median_of_3: {statistics.median(totals):.3f} s")
    print(f"{label}.per_municipality_panel_median: {statistics.median(warm) * 1000:.2f} ms")
    print(f"{label}.per_municipality_panel_max: {max(warm) * 1000:.2f} ms")
    print(f"{label}.regions_{len(regions)}_best_of_3: {min(region_totals):.3f} s")
    print(f"{label}.per_region_panel_median: {statistics.median(region_times) * 1000:.2f} ms")
    print(f"{label}.per_region_panel_max: {max(region_times) * 1000:.2f} ms")
    subjects = [singles[0], regions[0], regions[1], ["5001"], ["1508"]]
    start = time.perf_counter()
    page_render(data, subjects[0])
    print(f"{label}.page_render_first: {(time.perf_counter() - start) * 1000:.1f} ms")
    renders = [_best(lambda codes=codes: page_render(data, codes)) for codes in subjects]
    print(f"{label}.page_render_median: {statistics.median(renders) * 1000:.1f} ms")
    print(f"{label}.page_render_max: {max(renders) * 1000:.1f} ms")


def main() -> None:
    start = time.perf_counter()
    bundled = indicators.bundled_data()
    print(f"build.bundled_engine: {time.perf_counter() - start:.3f} s")
    rng = random.Random(SEED)
    regions = [rng.sample(bundled.codes, rng.randint(2, 10)) for _ in range(REGIONS)]
    report("bundled", bundled, regions)

    uploads = synthetic_uploads(bundled)
    start = time.perf_counter()
    full = indicators.build_data(uploads)
    print(f"build.full_engine ({len(uploads)} uploaded rows): {time.perf_counter() - start:.3f} s")
    report("full", full, regions)

    # baseline: naive pandas panels on the same 30 municipalities
    values = indicators.combine_values(indicators.bundled_values(), uploads)
    units = full.units
    sample = [[c] for c in full.codes[:30]]
    start = time.perf_counter()
    for codes in sample:
        naive_panel(values, units, codes)
    naive = (time.perf_counter() - start) / len(sample)
    engine = statistics.median(time_panels(full, sample))
    print(f"baseline.sample: {len(sample)} municipalities, {len(full.catalogue)} indicators")
    print(f"baseline.naive_pandas_per_panel: {naive * 1000:.2f} ms")
    print(f"baseline.engine_per_panel: {engine * 1000:.2f} ms")
    print(f"baseline.naive_all_municipalities_estimate: {naive * len(full.codes):.2f} s")
    print(f"baseline.speedup: {naive / engine:.1f} x")


if __name__ == "__main__":
    main()
