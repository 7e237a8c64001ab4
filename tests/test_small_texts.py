"""Small texts a council reads: plurals, places on the page, what a distance measures, bars to 100 %."""

from kommunestrategi import charts
from kommunestrategi.i18n import t
from kommunestrategi.indicators.catalogue import load_catalogue


def test_one_selected_municipality_is_singular():
    assert t("map.selected_summary.one", "nb", population="14 783") == "Valgt: 1 kommune med 14 783 innbyggere."


def test_the_empty_region_page_points_up_and_distances_say_what_they_measure():
    assert "feltet over" in t("region.empty", "nb")
    assert "geografiske midtpunkter" in t("region.max_distance", "nb")


def test_centrality_classes_are_not_ranked_by_size():
    assert load_catalogue()["centrality"].benchmark is False


def test_share_bars_run_to_100_percent_with_their_values_written():
    fig = charts.share_bar(["Trondheim", "Malvik"], [0.79, 0.06], title="Andel", lang="nb")
    assert tuple(fig.layout.xaxis.range) == (0, 100)
    assert list(fig.data[0].text) == ["79,0\xa0%", "6,0\xa0%"]


def test_the_workspace_has_one_name_everywhere():
    from kommunestrategi.i18n import catalogue

    assert not [k for k, v in catalogue().items() if "arbeidsområde" in v["nb"].lower()]
    assert t("export.workspace", "nb") == "Arbeidsflate"
