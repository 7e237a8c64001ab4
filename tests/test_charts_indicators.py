"""The indicator figure builders: pure functions, checked on their data without Streamlit."""

import pandas as pd
import pytest

from kommunestrategi import charts, indicators


@pytest.fixture(scope="module")
def data():
    return indicators.bundled_data()


def test_comparison_bars_keep_missing_values_empty_not_zero():
    fig = charts.indicator_comparison(
        [("Trondheim", 3.57, "subject"), ("Fylket", 4.61, "county"), ("Gruppe", None, "kostragruppe")],
        title="Andel 80+", unit="%", lang="nb", decimals=1)
    bar = fig.data[0]
    assert list(bar.y) == ["Trondheim", "Fylket", "Gruppe"]
    assert bar.x[2] is None
    assert bar.text[0] == "3,6 %" and bar.text[2] == "–"
    assert fig.layout.separators == ", "
    assert bar.marker.color[0] == charts.OKABE_ITO["blue"]


def test_strip_colours_by_quarter_and_labels_relative_position():
    values = pd.Series([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], index=list("abcdefgh"))
    names = pd.Series({k: k.upper() for k in values.index})
    fig = charts.indicator_strip(values, names, subject_value=2.5, subject_label="X",
                                 direction="lower_is_better", title="t", unit="%",
                                 position_labels=["q1", "q2", "q3", "q4"], legend_title="Relativ plassering")
    quarters = {trace.name: sorted(trace.x) for trace in fig.data[:4]}
    # lower is better: the two lowest values form the first quarter
    assert quarters == {"q1": [1.0, 2.0], "q2": [3.0, 4.0], "q3": [5.0, 6.0], "q4": [7.0, 8.0]}
    assert [t.marker.color for t in fig.data[:4]] == list(charts.POSITION_COLOURS)
    assert fig.data[4].x == (2.5,) and fig.data[4].name == "X"
    assert fig.layout.legend.title.text == "Relativ plassering"
    higher = charts.indicator_strip(values, names, subject_value=None, subject_label="X",
                                    direction="higher_is_better", title="t", unit="%",
                                    position_labels=["q1", "q2", "q3", "q4"])
    assert sorted(higher.data[0].x) == [7.0, 8.0] and len(higher.data) == 4


def test_trend_has_whole_years_and_subject_first(data):
    history = data.history("share_80_plus", ["5001", "5031"])
    fig = charts.indicator_trend({"Region": history, "Landet": data.group_history("share_80_plus",
                                                                                  data.all_index)},
                                 title="t", unit="%", lang="nb")
    assert list(fig.data[0].x) == list(range(2005, 2027))
    assert fig.data[0].line.width > fig.data[1].line.width
    assert fig.layout.xaxis.dtick == 1


def test_age_pyramid_is_centred_shares(data):
    structure = data.age_structure(["5001"])
    fig = charts.age_pyramid(structure, group_labels={"pop_80_plus": "80+"}, title="t",
                             reference=data.age_structure(data.codes, 2023), reference_label="Landet")
    left, right = fig.data[0], fig.data[1]
    share_80 = float(structure.set_index("group").loc["pop_80_plus", "share"]) * 100
    assert right.x[-1] == pytest.approx(share_80 / 2) and left.x[-1] == pytest.approx(-share_80 / 2)
    assert list(right.y)[-1] == "80+"
    assert any(trace.name == "Landet" for trace in fig.data)


def test_projection_without_projected_years_writes_the_note(data):
    frame = data.projection(["5001"])
    fig = charts.population_projection(frame, series_labels={"total": "Alle", "80_plus": "80+"},
                                       title="t", axis_title="Indeks", note="Framskrivinger fra SSB 13600")
    assert {trace.line.dash for trace in fig.data} == {"solid"}
    assert fig.data[0].y[0] == pytest.approx(100)
    assert "13600" in fig.layout.annotations[0].text


def test_projection_highlights_80_plus_and_marks_2030_2040():
    frame = pd.DataFrame({
        "year": [2023, 2030, 2040, 2023, 2030, 2040],
        "series": ["total"] * 3 + ["80_plus"] * 3,
        "value": [1000, 1050, 1100, 50, 75, 100],
        "kind": ["observed", "projected", "projected"] * 2,
    })
    fig = charts.population_projection(frame, series_labels={"total": "Alle", "80_plus": "80+"},
                                       title="t", axis_title="Indeks")
    eighty = [t for t in fig.data if t.name.startswith("80+")]
    assert max(t.line.width for t in eighty) > max(t.line.width for t in fig.data if t.name.startswith("Alle"))
    dashed = next(t for t in eighty if t.line.dash == "dash")
    assert list(dashed.x) == [2023, 2030, 2040] and dashed.y[-1] == pytest.approx(200)
    marked = {shape.x0 for shape in fig.layout.shapes}
    assert marked == {2030, 2040}


def test_similarity_table_lists_values_per_municipality(data):
    result = data.similar("5001", indicators.DEFAULT_SIMILARITY, n=3)
    values, _year = indicators.map_values(data, "share_80_plus")
    table = charts.similarity_table(result, {"Andel 80+": values},
                                    columns={"rank": "Nr.", "kommunenummer": "Knr", "name": "Kommune",
                                             "distance": "Avstand"})
    assert list(table.columns) == ["Nr.", "Knr", "Kommune", "Avstand", "Andel 80+"]
    assert table.iloc[0]["Knr"] == "5001" and table.iloc[0]["Avstand"] == 0
    assert table.iloc[0]["Andel 80+"] == pytest.approx(values["5001"])
