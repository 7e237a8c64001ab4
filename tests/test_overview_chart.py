"""The secretariat's heat map: every step a column with a wrapped title, shares as percent."""

import pandas as pd

from kommunestrategi.overview_chart import completeness_heatmap, wrap


def test_titles_wrap_between_words():
    assert wrap("7. Status og konsekvenser ved uttreden") == "7. Status og<br>konsekvenser<br>ved uttreden"
    assert all(len(line) <= 12 or " " not in line for line in wrap("5. Møte demokratiske dilemmaer").split("<br>"))


def test_heatmap_has_every_step_and_the_share_in_each_cell():
    matrix = pd.DataFrame({"why": [1.0, 0.0], "exit": [0.5, 0.25]}, index=["5001", "5031"])
    fig = completeness_heatmap(matrix, {"why": "1. Vite hvorfor", "exit": "7. Status og konsekvenser ved uttreden"},
                               ["5001 Trondheim", "5031 Malvik"], "nb")
    trace = fig.data[0]
    assert list(trace.x) == ["1. Vite<br>hvorfor", "7. Status og<br>konsekvenser<br>ved uttreden"]
    assert [list(r) for r in trace.text] == [["100\xa0%", "50\xa0%"], ["0\xa0%", "25\xa0%"]]
    assert list(trace.colorbar.ticktext) == ["0\xa0%", "20\xa0%", "40\xa0%", "60\xa0%", "80\xa0%", "100\xa0%"]
    # no fixed angle: the browser turns the titles only where they would overlap (a projector at 1024)
    assert fig.layout.xaxis.tickangle is None and fig.layout.xaxis.automargin is True
