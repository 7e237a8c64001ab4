"""The numbers behind the charts as tables: the figures the charts draw, in Norwegian formats."""

import pandas as pd

from kommunestrategi import chart_tables as ct
from kommunestrategi.formatting import percent


def test_comparison_rows_keep_order_and_format():
    table = ct.comparison_table([("Trondheim", 12345.6, "subject"), ("Landet", None, "national")],
                                label="Hvem", value="Folketall", lang="nb", decimals=1)
    assert table.to_dict("list") == {"Hvem": ["Trondheim", "Landet"], "Folketall": ["12\u00a0345,6", "–"]}


def test_ranking_puts_highest_first_and_missing_last():
    values = pd.Series({"0301": 5.0, "5001": 7.5, "5031": None, "1101": 2.0})
    table = ct.ranking_table(values, {"0301": "Oslo", "5001": "Trondheim", "5031": "Malvik", "1101": "Eigersund"},
                             code="Nr", name="Kommune", value="Verdi", rank="Plass", lang="nb", decimals=1)
    assert list(table["Kommune"]) == ["Trondheim", "Oslo", "Eigersund", "Malvik"]
    assert list(table["Plass"]) == ["1", "2", "3", "–"]
    assert list(table["Verdi"]) == ["7,5", "5,0", "2,0", "–"]


def test_trend_is_a_row_per_year_and_a_column_per_line():
    series = {"Malvik": pd.DataFrame({"year": [2020, 2021], "value": [4.25, 4.5]}),
              "Landet": pd.DataFrame({"year": [2021, 2022], "value": [5.0, 5.5]}),
              "Tom": pd.DataFrame({"year": [], "value": []})}
    table = ct.trend_table(series, year="År", lang="en", decimals=2)
    assert list(table.columns) == ["År", "Malvik", "Landet"]
    assert table.to_dict("list") == {"År": ["2020", "2021", "2022"], "Malvik": ["4.25", "4.50", "–"],
                                     "Landet": ["–", "5.00", "5.50"]}


def test_pyramid_has_counts_shares_and_the_reference_share():
    structure = pd.DataFrame({"group": ["0-19", "80+"], "value": [1500, 500], "share": [0.75, 0.25]})
    reference = pd.DataFrame({"group": ["0-19", "80+"], "value": [10, 10], "share": [0.5, 0.5]})
    table = ct.pyramid_table(structure, reference, group_labels={"80+": "80+ år"}, group="Alder", count="Antall",
                             share="Andel", reference_share="Andel, landet", lang="nb")
    assert table.to_dict("list") == {"Alder": ["0-19", "80+ år"], "Antall": ["1\u00a0500", "500"],
                                     "Andel": [percent(0.75, "nb"), percent(0.25, "nb")],
                                     "Andel, landet": [percent(0.5, "nb")] * 2}


def test_projection_gives_inhabitants_and_the_index_drawn():
    frame = pd.DataFrame({"year": [2020, 2030, 2020, 2030], "series": ["total", "total", "80_plus", "80_plus"],
                          "value": [1000.0, 1100.0, 50.0, 80.0],
                          "kind": ["observed", "projected", "observed", "projected"]})
    table = ct.projection_table(frame, series_labels={"total": "Alle", "80_plus": "80+"}, year="År", kind="Tall",
                                kind_labels={"observed": "registrert", "projected": "framskrevet"},
                                index_label="indeks", lang="nb")
    assert table.to_dict("list") == {
        "År": ["2020", "2030"], "Tall": ["registrert", "framskrevet"],
        "Alle": ["1\u00a0000", "1\u00a0100"], "Alle, indeks": ["100,0", "110,0"],
        "80+": ["50", "80"], "80+, indeks": ["100,0", "160,0"]}


def test_share_matrix_counts_and_links():
    matrix = pd.DataFrame({"why": [1.0, 0.25], "form": [0.0, None]}, index=["5001", "5031"])
    table = ct.share_matrix_table(matrix, rows=["5001 Trondheim", "5031 Malvik"], labels={"why": "1. Vite hvorfor"},
                                  row_header="Kommune", lang="nb")
    assert table.to_dict("list") == {"Kommune": ["5001 Trondheim", "5031 Malvik"],
                                     "1. Vite hvorfor": [percent(1.0, "nb", 0), percent(0.25, "nb", 0)],
                                     "form": [percent(0.0, "nb", 0), "–"]}
    counts = ct.count_table({"5001": 12, "5031": 0, "5028": 30}, {"5001": "Trondheim", "5028": "Melhus"},
                            code="Nr", name="Kommune", value="Ordninger")
    assert counts.to_dict("list") == {"Nr": ["5028", "5001"], "Kommune": ["Melhus", "Trondheim"],
                                      "Ordninger": ["30", "12"]}
    links = ct.links_table([("5001", "5031", 2), ("5001", "5028", 5)], {"5001": "Trondheim", "5028": "Melhus"},
                           first="A", second="B", value="Felles")
    assert links.to_dict("list") == {"A": ["Trondheim", "Trondheim"], "B": ["Melhus", "5031"], "Felles": ["5", "2"]}
