"""Map measures: the base measures and every indicator with figures."""

import math

import pandas as pd

from kommunestrategi import indicators, measures


def test_indicator_measures_cover_every_indicator_with_data():
    data = indicators.bundled_data()
    ids = [m.id for m in measures.map_measures(data)]
    assert ids[:3] == ["population", "area", "density"]
    assert "indicator:share_80_plus" in ids and "indicator:cost_need_index" in ids
    # no figures yet: not offered, so the map never shows them as zero
    assert "indicator:netto_driftsresultat_pct" not in ids


def test_indicator_measure_values_and_labels():
    data = indicators.bundled_data()
    measure = next(m for m in measures.indicator_measures(data) if m.indicator_id == "share_80_plus")
    values = measures.measure_values(measure, data)
    assert measure.year == 2026 and measure.unit("nb") == "%"
    assert measure.label("en") == "Share aged 80 and over"
    assert "07459" in measure.source("nb") and "2026" in measure.source("nb")
    assert len(values) == len(data.codes) and not values.isna().any()
    base = measures.BASE_MEASURES[0]
    assert base.label("nb") == "Folketall"
    assert measures.measure_values(base, data)["0301"] > 700_000


def test_uploaded_indicator_appears_on_the_map_with_missing_as_nan():
    upload = pd.DataFrame({"kommunenummer": ["5001", "5031"], "indicator_id": ["sykefravaer_pct"] * 2,
                           "year": [2024, 2024], "value": [9.1, 7.5], "dataset_version": ["3", "3"]})
    data = indicators.build_data(upload)
    measure = next(m for m in measures.indicator_measures(data) if m.indicator_id == "sykefravaer_pct")
    values = measures.measure_values(measure, data)
    assert values["5001"] == 9.1
    assert math.isnan(values["0301"])
