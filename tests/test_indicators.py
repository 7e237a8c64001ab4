"""Indicators: catalogue validation, aggregation rules (hand-computed), benchmarking,
similarity search, history of merged units, and the bundled figures."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from kommunestrategi import indicators as ind
from kommunestrategi.indicators import IndicatorCatalogueError, IndicatorData

# --- a small hand-made country: five municipalities ---------------------------------
UNITS = pd.DataFrame({
    "kommunenummer": ["1001", "1002", "1003", "1004", "1005"],
    "name": ["Aby", "Bby", "Cby", "Dby", "Eby"],
    "county": ["X", "X", "Y", "Y", "Y"],
    "kostragruppe": ["G1", "G1", "G1", "G2", "G2"],
})


def _rows(indicator: str, year: int, values: dict[str, float], version: str = "test") -> list[dict]:
    return [{"kommunenummer": k, "indicator_id": indicator, "year": year, "value": v,
             "dataset_version": version} for k, v in values.items()]


@pytest.fixture
def data() -> IndicatorData:
    rows = []
    rows += _rows("pop_total", 2023, {"1001": 1000, "1002": 3000, "1003": 6000, "1004": 10000, "1005": 500})
    rows += _rows("pop_80_plus", 2023, {"1001": 100, "1002": 150, "1003": 300, "1004": 400, "1005": 40})
    rows += _rows("pop_total", 2022, {"1001": 990, "1002": 2950})
    rows += _rows("pop_total", 2021, {"1001": 980})                       # 1002 has no 2021 figure
    rows += _rows("cost_need_index", 2026, {"1001": 1.2, "1002": 0.9, "1003": 1.0, "1004": 0.95})
    rows += _rows("centrality", 2024, {"1001": 5, "1002": 3, "1003": 2, "1004": 1, "1005": 6})
    # KOSTRA-style ratio per inhabitant, uploaded without numerators
    rows += _rows("netto_lanegjeld_per_innb", 2023, {"1001": 50000, "1002": 30000})
    # sick leave with numerator and denominator
    rows += _rows("sykefravaersdagsverk", 2023, {"1001": 50, "1002": 300, "1003": 80, "1004": 100})
    rows += _rows("avtalte_dagsverk", 2023, {"1001": 1000, "1002": 2000, "1003": 1000, "1004": 1000})
    rows += _rows("sykehjem_beboere_80_plus", 2023, {"1001": 20})
    rows += _rows("sykehjem_andel_80_plus", 2023, {"1005": 25.0})
    rows += _rows("kommunebarometer_rang", 2024, {"1001": 10, "1002": 300})
    return IndicatorData(pd.DataFrame(rows), units=UNITS)


def _idx(data: IndicatorData, *codes: str) -> np.ndarray:
    return data.index(codes)


# --- aggregation rules -------------------------------------------------------------
def test_sum_adds_counts(data):
    combined = data.combine("pop_total", 2023, _idx(data, "1001", "1002"))
    assert combined.value == 4000
    assert combined.method == "sum"


def test_ratio_is_sum_of_numerators_over_sum_of_denominators(data):
    # share 80+: (100 + 150) / (1000 + 3000) = 6.25 %, not the mean of 10 % and 5 % (7.5 %)
    combined = data.combine("share_80_plus", 2023, _idx(data, "1001", "1002"))
    assert combined.value == pytest.approx(6.25)
    assert combined.method == "ratio"


def test_ratio_from_uploaded_numerator_and_denominator(data):
    # sick leave: (50 + 300) / (1000 + 2000) = 11.667 %, the mean of 5 % and 15 % would be 10 %
    combined = data.combine("sykefravaer_pct", 2023, _idx(data, "1001", "1002"))
    assert combined.value == pytest.approx(350 / 3000 * 100)
    assert combined.method == "ratio"


def test_ratio_with_only_members_ratios_recovers_numerators(data):
    # debt per inhabitant 50 000 (1 000 inh.) and 30 000 (3 000 inh.):
    # (50 000 * 1 000 + 30 000 * 3 000) / 4 000 = 35 000, not the mean 40 000
    combined = data.combine("netto_lanegjeld_per_innb", 2023, _idx(data, "1001", "1002"))
    assert combined.value == pytest.approx(35000)
    assert combined.method == "ratio_derived"


def test_weighted_mean_uses_the_weight_and_is_labelled(data):
    # (1.2 * 1 000 + 0.9 * 3 000) / 4 000 = 0.975; weights from the nearest year (2023)
    combined = data.combine("cost_need_index", 2026, _idx(data, "1001", "1002"))
    assert combined.value == pytest.approx(0.975)
    assert combined.method == "weighted_mean"
    assert combined.weight == "pop_total"


def test_not_aggregable_gives_no_combined_value(data):
    combined = data.combine("centrality", 2024, _idx(data, "1001", "1002"))
    assert combined.value is None and combined.method == "not_aggregable"
    card = data.card("centrality", ["1001", "1002"])
    assert card.status == "not_aggregable" and card.value is None
    assert card.member_values == (("1001", 5.0), ("1002", 3.0))
    rank_card = data.card("kommunebarometer_rang", ["1001", "1002"])
    assert rank_card.status == "not_aggregable" and rank_card.value is None


def test_single_municipality_shows_its_own_not_aggregable_figure(data):
    card = data.card("centrality", ["1003"])
    assert card.status == "ok" and card.value == 2


def test_missing_member_makes_the_region_incomplete_not_a_partial_sum(data):
    card = data.card("sykehjem_beboere_80_plus", ["1001", "1002"])
    assert card.status == "incomplete"
    assert card.missing == ("1002",)
    assert card.value is None


def test_history_of_a_region_is_built_from_members_years(data):
    history = data.history("pop_total", ["1001", "1002"])
    # 2021 is left out: 1002 has no figure that year
    assert list(history["year"]) == [2022, 2023]
    assert list(history["value"]) == [3940, 4000]


def test_history_without_any_figures_is_empty_not_an_error(data):
    assert data.history("proj_pop_total", ["1001", "1002"]).empty
    assert data.history("sykehjem_beboere_80_plus", ["1002"]).empty


# --- benchmarking --------------------------------------------------------------------
def test_rank_and_percentile_neutral_by_size(data):
    # shares 80+: 1001 10 %, 1005 8 %, 1002 5 %, 1003 5 %, 1004 4 %
    top = data.card("share_80_plus", ["1001"])
    assert (top.rank, top.ranked, top.percentile, top.quartile) == (1, 5, 100.0, 1)
    assert top.best_quartile is None           # neutral: nothing to strive for
    middle = data.card("share_80_plus", ["1002"])
    assert (middle.rank, middle.percentile) == (3, 50.0)
    bottom = data.card("share_80_plus", ["1004"])
    assert (bottom.rank, bottom.percentile, bottom.quartile) == (5, 0.0, 4)


def test_rank_lower_is_better_and_best_quartile(data):
    # sick leave: 1001 5 %, 1003 8 %, 1004 10 %, 1002 15 %
    best = data.card("sykefravaer_pct", ["1001"])
    assert (best.rank, best.ranked, best.percentile) == (1, 4, 100.0)
    # 25th percentile of 5, 8, 10, 15 (linear) = 5 + 0.75 * 3 = 7.25
    assert best.best_quartile == pytest.approx(7.25)
    assert best.in_best_quartile is True
    second = data.card("sykefravaer_pct", ["1003"])
    assert second.rank == 2 and second.percentile == pytest.approx(200 / 3)
    assert second.in_best_quartile is False


def test_region_is_ranked_as_one_unit_among_the_others(data):
    # region 1001 + 1002 share 80+ 6.25 % among 1005 (8), 1003 (5), 1004 (4)
    card = data.card("share_80_plus", ["1001", "1002"])
    assert (card.rank, card.ranked) == (2, 4)


def test_comparisons_county_kostragruppe_peers_and_nation(data):
    card = data.card("share_80_plus", ["1001"], peers=["1003", "1004"])
    figures = {f.key: f for f in card.comparisons}
    assert figures["peers"].value == pytest.approx(700 / 16000 * 100)
    assert figures["county"].label == "X" and figures["county"].value == pytest.approx(6.25)
    assert figures["kostragruppe"].value == pytest.approx(550 / 10000 * 100)
    assert figures["national"].value == pytest.approx(990 / 20500 * 100)
    assert figures["national"].kind == "combined" and figures["national"].count == 5


def test_counts_compare_with_the_group_median(data):
    card = data.card("pop_total", ["1001"])
    county = next(f for f in card.comparisons if f.key == "county")
    assert county.kind == "median" and county.value == 2000


def test_cooperation_region_comparison(data):
    card = data.card("share_80_plus", ["1001"], region=["1001", "1002"], region_label="Samarbeid")
    region = next(f for f in card.comparisons if f.key == "region")
    assert region.label == "Samarbeid" and region.value == pytest.approx(6.25)


def test_small_number_warning(data):
    small = data.card("sykehjem_andel_80_plus", ["1005"])   # 40 inhabitants 80+, below 100
    assert small.status == "ok" and small.small_number is True
    large = data.card("sykehjem_andel_80_plus", ["1001"])   # 20 / 100 = 20 %, base exactly 100
    assert large.value == pytest.approx(20.0) and large.small_number is False


def test_no_data_is_never_zero(data):
    card = data.card("netto_driftsresultat_pct", ["1001"])
    assert card.status == "no_data" and card.value is None
    panel = data.panel(["1001"])
    assert "netto_driftsresultat_pct" in {c.indicator.id for c in panel.no_data}
    assert all(c.value is not None for c in panel.cards if c.status == "ok")


def test_panel_groups_by_dimension_and_sector(data):
    grouped = data.panel(["1001", "1002"]).grouped()
    assert list(grouped) == [d for d in ind.DIMENSIONS if d in grouped]
    assert "befolkning" in grouped["demography"]


def test_panel_rejects_unknown_and_empty(data):
    with pytest.raises(KeyError):
        data.panel(["9999"])
    with pytest.raises(ValueError):
        data.panel([])


# --- similarity ----------------------------------------------------------------------
def test_similar_starts_with_itself_at_distance_zero(data):
    result = data.similar("1002", {"pop_total": 1, "share_80_plus": 1})
    assert result.iloc[0]["kommunenummer"] == "1002"
    assert result.iloc[0]["distance"] == 0.0
    assert list(result["distance"]) == sorted(result["distance"])


def test_similar_is_stable_and_breaks_ties_by_number():
    units = UNITS.iloc[:4]
    rows = _rows("pop_total", 2023, {"1001": 100, "1002": 200, "1003": 200, "1004": 300})
    data = IndicatorData(pd.DataFrame(rows), units=units)
    first = data.similar("1001", {"pop_total": 1})
    # 1002 and 1003 are equally far from 1001: the lower number first, every time
    assert list(first["kommunenummer"]) == ["1001", "1002", "1003", "1004"]
    twin = data.similar("1003", {"pop_total": 1})
    assert list(twin["kommunenummer"][:2]) == ["1003", "1002"]
    assert twin.iloc[1]["distance"] == 0.0
    pd.testing.assert_frame_equal(first, data.similar("1001", {"pop_total": 1}))


def test_similar_weights_and_standardisation(data):
    # with weight only on population, 1002 (3 000) is nearest to 1001 (1 000)
    by_size = data.similar("1001", {"pop_total": 1, "share_80_plus": 0}, n=2)
    assert list(by_size["kommunenummer"]) == ["1001", "1005", "1002"]
    # z-scores: a distance computed by hand for one pair
    pops = np.log([1000, 3000, 6000, 10000, 500])   # pop_total compares on a log scale
    z = (pops - pops.mean()) / pops.std()
    expected = abs(z[0] - z[1])
    row = data.similar("1001", {"pop_total": 1}, n=4).set_index("kommunenummer")
    assert row.loc["1002", "distance"] == pytest.approx(expected)


def test_similar_needs_values_for_the_subject(data):
    with pytest.raises(ValueError, match="1005"):
        data.similar("1005", {"cost_need_index": 1})
    with pytest.raises(ValueError):
        data.similar("1001", {})


# --- catalogue validation --------------------------------------------------------------
GOOD = """
indicators:
  - {id: pop_total, name_nb: Folketall, name_en: Population, name_sv: Folkmängd, unit: persons,
     dimension: demography, sector: befolkning, direction: neutral, aggregation: sum,
     source: SSB, ssb_table: "07459"}
  - {id: pop_80_plus, name_nb: a, name_en: b, name_sv: c, unit: persons,
     dimension: demography, sector: befolkning, direction: neutral, aggregation: sum,
     source: SSB, ssb_table: "07459"}
  - {id: share_80_plus, name_nb: a, name_en: b, name_sv: c, unit: percent, scale: 100,
     dimension: demography, sector: befolkning, direction: neutral,
     aggregation: ratio:pop_80_plus/pop_total, source: SSB, ssb_table: "07459"}
"""


def test_good_catalogue_parses():
    catalogue = ind.parse_catalogue(GOOD)
    rule = catalogue["share_80_plus"].rule
    assert (rule.kind, rule.numerator, rule.denominator) == ("ratio", "pop_80_plus", "pop_total")
    assert catalogue["share_80_plus"].scale == 100


@pytest.mark.parametrize("old, new, message", [
    ("dimension: demography, sector: befolkning, direction: neutral, aggregation: sum,\n     source: SSB, ssb_table: \"07459\"}\n  - {id: pop_80_plus",
     "dimension: size, sector: befolkning, direction: neutral, aggregation: sum,\n     source: SSB, ssb_table: \"07459\"}\n  - {id: pop_80_plus",
     "dimension 'size' is not one of"),
    ("id: pop_80_plus", "id: pop_total", "duplicate id 'pop_total'"),
    ("ratio:pop_80_plus/pop_total", "ratio:pop_90_plus/pop_total", "unknown indicator 'pop_90_plus'"),
    ("ratio:pop_80_plus/pop_total", "mean", "aggregation 'mean' is not one of"),
    ("ratio:pop_80_plus/pop_total", "ratio:share_80_plus/pop_total", "refers to itself"),
    ("name_sv: Folkmängd, ", "", "name_sv is missing"),
    ("unit: percent", "unit: furlongs", "unit 'furlongs' is not one of"),
    ("direction: neutral,\n     aggregation: ratio", "direction: up,\n     aggregation: ratio",
     "direction 'up'"),
    ("ssb_table: \"07459\"}\n  - {id: pop_80", "ssb_table: \"7459x\"}\n  - {id: pop_80", "five-digit"),
    ("unit: percent, scale: 100", "unit: percent, scale: -1", "scale must be positive"),
    ("id: pop_total, ", "id: pop_total, colour: red, ", "unknown field(s) colour"),
])
def test_bad_catalogue_is_refused_with_a_clear_message(old, new, message):
    assert old in GOOD
    with pytest.raises(IndicatorCatalogueError) as err:
        ind.parse_catalogue(GOOD.replace(old, new, 1), "test.yaml")
    assert message in str(err.value)
    assert str(err.value).startswith("test.yaml: ")


def test_ratio_parts_must_be_counts():
    text = GOOD + """
  - {id: share_again, name_nb: a, name_en: b, name_sv: c, unit: percent,
     dimension: demography, sector: befolkning, direction: neutral,
     aggregation: ratio:share_80_plus/pop_total, source: SSB, ssb_table: ""}
"""
    with pytest.raises(IndicatorCatalogueError, match="not a count"):
        ind.parse_catalogue(text)


@pytest.mark.parametrize("text", ["", "indicators: 3", "- a\n- b", "indicators: [1, 2]", "a: [b"])
def test_catalogue_structure_errors(text):
    with pytest.raises(IndicatorCatalogueError):
        ind.parse_catalogue(text)


def test_bundled_catalogue_is_valid_and_complete():
    catalogue = ind.load_catalogue()
    for needed in ("pop_0_5", "pop_6_15", "pop_16_66", "pop_67_79", "pop_80_plus", "share_80_plus",
                   "proj_pop_80_plus", "sykefravaer_pct", "netto_driftsresultat_pct",
                   "netto_lanegjeld_per_innb", "disposisjonsfond_pct", "centrality",
                   "cost_need_index", "density"):
        assert needed in catalogue
    assert catalogue["share_80_plus"].aggregation == "ratio:pop_80_plus/pop_total"
    assert catalogue["density"].aggregation == "ratio:pop_total/area_km2"
    assert catalogue["centrality"].rule.kind == "not_aggregable"
    # every dimension is used, except "other", which holds a workspace's own indicators
    assert {i.dimension for i in catalogue.values()} == set(ind.DIMENSIONS) - {"other"}
    frame = ind.catalogue_frame()
    assert list(frame.columns[:4]) == ["indicator_id", "name_nb", "name_en", "name_sv"]
    for indicator in catalogue.values():
        for lang in ("nb", "en", "sv"):
            assert indicator.unit_label(lang) and indicator.how_to_get(lang)


# --- the bundled figures ---------------------------------------------------------------
def test_bundled_region_share_80_plus_is_ratio_of_sums():
    data = ind.bundled_data()
    ages = pd.read_csv(ind.BUNDLED_DATA_DIR / "befolkning_aldersgrupper_2005_2026.csv",
                       dtype={"kommunenummer": str})
    by = ages[(ages["year"] == 2026) & ages["kommunenummer"].isin(["5001", "5031"])].set_index("kommunenummer")
    card = data.card("share_80_plus", ["5001", "5031"])
    assert card.year == 2026
    assert card.value == pytest.approx(by["pop_80_plus"].sum() / by["pop_total"].sum() * 100)
    mean_of_shares = (by["pop_80_plus"] / by["pop_total"]).mean() * 100
    assert not math.isclose(card.value, mean_of_shares, rel_tol=1e-3)


def data_2024(codes):
    data = ind.bundled_data()
    return data.combine("pop_total", 2024, data.index(codes)).value


def test_bundled_history_runs_2005_2026_in_2024_borders_and_kostra_eldercare_and_robek_2026():
    data = ind.bundled_data()
    assert data.years("pop_total")[0] == 2005 and data.years("pop_total")[-1] == 2026
    facts = pd.read_csv(ind.BUNDLED_DATA_DIR / "befolkning_aldersgrupper_2005_2026.csv", dtype={"kommunenummer": str})
    # Ålesund 1508 and Haram 1580 are one map unit: its history is the sum of the two in every year
    for year in (2005, 2019, 2026):
        both = facts[(facts["year"] == year) & facts["kommunenummer"].isin(["1508", "1580"])]["pop_total"].sum()
        assert data.combine("pop_total", year, data.index(["1508"])).value == both
    history = data.history("pop_total", ["5001"])
    assert len(history) == 22 and history["year"].iloc[0] == 2005
    care = pd.read_csv(ind.BUNDLED_DATA_DIR / "eldreomsorg_2025.csv", dtype={"kommunenummer": str}).set_index(
        "kommunenummer")
    card = data.card("hjemmetjenester_andel_80_plus", ["5001"])
    assert card.year == 2025 and card.value == care.loc["5001", "hjemmetjenester_andel_80_plus"]
    assert data.card("sykehjem_andel_80_plus", ["5001"]).value == care.loc["5001", "sykehjem_andel_80_plus"]
    robek = set(pd.read_csv(ind.BUNDLED_DATA_DIR / "robek_2026.csv", dtype={"kommunenummer": str})["kommunenummer"])
    flags = data.series("robek", 2026)
    listed = {code for code, flag in zip(data.codes, flags, strict=True) if flag > 0}
    assert listed == {data.units.set_index("kommunenummer").index[i] for i in range(len(data.codes))
                      if data.codes[i] in robek} and len(listed) == 27


def test_bundled_panel_has_population_and_lists_missing_kostra():
    panel = ind.bundled_data().panel(["5001", "5031"])
    units = ind.geo.load_units().set_index("kommunenummer")
    assert panel.card("pop_total").year == 2026
    assert data_2024(["5001", "5031"]) == units.loc[["5001", "5031"], "population_2024"].sum()
    assert panel.card("netto_driftsresultat_pct").status == "no_data"
    assert panel.card("cost_need_index").method == "weighted_mean"


def test_uploaded_values_win_and_unknowns_are_dropped():
    bundled = ind.bundled_values()
    upload = pd.DataFrame({"kommunenummer": ["5001", "5001", "9999"],
                           "indicator_id": ["pop_total", "no_such_indicator", "pop_total"],
                           "year": [2024, 2024, 2024], "value": [1.0, 2.0, 3.0],
                           "dataset_version": ["v7", "v7", "v7"]})
    values = ind.combine_values(bundled, upload)
    row = values[(values["kommunenummer"] == "5001") & (values["indicator_id"] == "pop_total")
                 & (values["year"] == 2024)]
    assert row["value"].tolist() == [1.0] and row["dataset_version"].tolist() == ["v7"]
    assert "no_such_indicator" not in set(values["indicator_id"])
    assert "9999" not in set(values["kommunenummer"])
    data = ind.build_data(upload)
    assert data.card("pop_total", ["5001"]).versions == ("bundled", "v7")


def test_projection_without_projection_data_returns_observed_years():
    frame = ind.bundled_data().projection(["5001"])
    assert set(frame["kind"]) == {"observed"}
    assert ind.trend_growth(frame, "80_plus")[:2] == (2005, 2026)


def test_projection_with_projected_figures():
    upload = pd.DataFrame(_rows("proj_pop_80_plus", 2030, {"5001": 11000}) +
                          _rows("proj_pop_80_plus", 2040, {"5001": 16000}) +
                          _rows("proj_pop_total", 2030, {"5001": 230000}))
    frame = ind.build_data(upload).projection(["5001"])
    projected = frame[frame["kind"] == "projected"]
    assert set(projected["year"]) == {2030, 2040}
    assert ind.growth(frame, "80_plus", 2030, 2040) == pytest.approx(16000 / 11000 - 1)


def test_every_label_the_page_builds_exists_in_all_languages():
    from kommunestrategi import i18n

    texts = i18n.catalogue()
    keys = [f"indicators.dimension.{d}" for d in ind.DIMENSIONS]
    keys += [f"indicators.sector.{s}" for s in ind.SECTORS]
    keys += [f"indicators.unit.{u}" for u in ind.UNITS]
    keys += [f"indicators.method.{m}" for m in ("value", "sum", "ratio", "ratio_derived", "weighted_mean",
                                                 "not_aggregable", "median")]
    keys += [f"indicators.group.{g}" for g in ("peers", "region", "county", "kostragruppe", "national")]
    keys += [f"indicators.quarter.{kind}.{q}" for kind in ("rank", "size") for q in range(1, 5)]
    keys += [f"indicators.subject.{k}" for k in ("municipality", "selection", "region")]
    assert [k for k in keys if k not in texts] == []


def test_small_share_warns_on_few_cases():
    data = ind.bundled_data()
    units = ind.geo.load_units().set_index("kommunenummer")
    smallest = units["population_2024"].idxmin()
    card = data.card("share_80_plus", [smallest])
    assert card.small_number is True and card.small_base_value < 50
    assert data.card("share_80_plus", ["0301"]).small_number is False


def test_engine_on_2024_units_keeps_alesund_and_haram_apart():
    units = ind.geo.load_facts_2024().copy()
    units.loc[units["kommunenummer"] == "1580", ["county", "kostragruppe"]] = None   # a unit without facts
    data = ind.build_data(None, units)
    assert len(data.codes) == 357
    # the bundled history is in 2024 borders: Ålesund 1508 gets its own figures, never the joint unit's
    facts = pd.read_csv(ind.BUNDLED_DATA_DIR / "befolkning_aldersgrupper_2005_2026.csv",
                        dtype={"kommunenummer": str}).set_index(["kommunenummer", "year"])
    assert data.card("pop_80_plus", ["1508"]).value == facts.loc[("1508", 2026), "pop_80_plus"]
    assert data.combine("pop_total", 2024, data.index(["1508"])).value == 58509
    card = data.card("share_80_plus", ["5001"])
    assert card.status == "ok" and card.ranked == 357
    assert [g.key for g in data.card("pop_total", ["1580"]).comparisons] == ["national"]
    # the country as a reference still has an age structure (from the units with figures)
    assert data.age_structure(data.codes, skip_missing=True)["value"].notna().all()
    assert data.age_structure(data.codes)["value"].notna().all()   # every 2024 municipality has a history
