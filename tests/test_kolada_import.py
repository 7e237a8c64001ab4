"""Kolada figures into a Swedish workspace: the fetched file, CSV and Excel downloads,
the KPI catalogue and group figures computed Kolada's way and this tool's way."""

from __future__ import annotations

import io
import json

import openpyxl
import pytest

from kommunestrategi import datasets
from kommunestrategi.cli import main
from kommunestrategi.countries import comparison, sweden
from kommunestrategi.io import kolada_import
from kommunestrategi.io.importer import validate_file
from kommunestrategi.store import Store
from tests.fixtures.loopback import LoopbackServer, Reply, fixture_bytes


@pytest.fixture
def server(monkeypatch):
    srv = LoopbackServer().start()
    monkeypatch.setenv("KOMMUNESTRATEGI_KOLADA_URL", srv.url)
    yield srv
    srv.stop()


def _engine(workspace: str):
    store = Store.open()
    ws = store.get_workspace(workspace)
    return sweden.indicator_data(datasets.uploaded_indicator_values(store, ws.id))


def test_fetched_kolada_file_round_trips_into_the_indicator_panels(server, tmp_path, capsys) -> None:
    server.route("/kpi/N21704", Reply(body=fixture_bytes("kolada_kpi_N21704.json")))
    server.route("/data/kpi/N21704/municipality/2580,2583,2584,2521",
                 Reply(body=fixture_bytes("kolada_N21704_norrbotten.json")))
    out = tmp_path / "n21704.json"
    assert main(["fetch", "kolada", "N21704", "--municipality", "2580,2583,2584,2521", "--out", str(out),
                 "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["rows"] == 8
    assert main(["workspace", "create", "Norrbotten", "--country", "SE", "--open"]) == 0
    # a Norwegian workspace refuses it and says where it belongs
    assert main(["import", str(out), "--kind", "indicators", "--lang", "en"]) == 1
    assert "Swedish workspace" in capsys.readouterr().out
    assert main(["import", str(out), "--kind", "indicators", "--workspace", "Norrbotten", "--json"]) == 0
    imported = json.loads(capsys.readouterr().out)
    assert imported["counts"] == {"rows": 3, "municipalities": 3,
                                  "indicators": ["hjemmetjenester_andel_80_plus"], "years": [2024]}
    assert imported["warnings"] == 3  # K/M split, country and region, one missing value
    data = _engine("Norrbotten")
    series = data.series("hjemmetjenester_andel_80_plus", 2024)
    assert series[data.pos["2583"]] == pytest.approx(29.4)
    assert series[data.pos["2580"]] == pytest.approx(16.2)
    # the bundled 2023 figure is still there beside the imported 2024 one
    assert data.years("hjemmetjenester_andel_80_plus") == [2023, 2024]
    panel = data.panel(["2583"], indicator_ids=["hjemmetjenester_andel_80_plus"])
    card = panel.card("hjemmetjenester_andel_80_plus")
    assert card.year == 2024 and card.value == pytest.approx(29.4)


def test_kolada_csv_download_wide_by_year() -> None:
    text = ("N01951 Invånare totalt, antal\n"
            "Kommun;Kommun-id;2022;2023\n"
            "Luleå;2580;79 500;80 014\n"
            "Kiruna;2584;22 700;22 426\n"
            "Norrbottens län;0025;250 000;249 000\n")
    result = validate_file(text.encode("utf-8"), "kolada.csv", "indicators", country="SE")
    assert result.ok, [line.as_dict() for line in result.report.lines]
    values = result.tables["indicator_values"]
    assert set(values["indicator_id"]) == {"pop_total"}
    lulea = values[(values["kommunenummer"] == "2580") & (values["year"] == 2023)]
    assert float(lulea["value"].iloc[0]) == 80_014
    assert len(values) == 4
    assert any(line.code == "kolada_aggregates_skipped" for line in result.report.warnings)


def test_kolada_excel_download_long_form_with_names_and_decimal_commas() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "N21704"
    sheet.append(["Andel invånare 80+ med hemtjänst"])
    sheet.append([])
    sheet.append(["Kommun", "Kön", "År", "Värde"])
    sheet.append(["Haparanda", "Totalt", 2024, "29,4"])
    sheet.append(["Haparanda", "Kvinnor", 2024, "33,0"])
    sheet.append(["Malung-Sälen", "Totalt", 2024, 21.5])
    buffer = io.BytesIO()
    book.save(buffer)
    result = validate_file(buffer.getvalue(), "kolada.xlsx", "indicators", country="SE")
    assert result.ok, [line.as_dict() for line in result.report.lines]
    values = result.tables["indicator_values"].set_index("kommunenummer")
    assert values.loc["2583", "value"] == pytest.approx(29.4)
    assert values.loc["2023", "value"] == pytest.approx(21.5)
    assert set(values["indicator_id"]) == {"hjemmetjenester_andel_80_plus"}


def test_bad_kolada_rows_are_reported() -> None:
    text = ("Kommun-id;KPI;År;Värde\n"
            "2580;N21704;2024;140\n"      # a share above 100 %
            "9999;N21704;2024;10\n"       # no such kommun
            "2584;N99999;2024;10\n")      # a KPI the catalogue does not know
    result = validate_file(text.encode(), "bad.csv", "indicators", country="SE")
    codes = {line.code for line in result.report.errors}
    assert codes == {"kolada_out_of_range", "kolada_unknown_kommun", "kolada_kpi_unmapped"}
    assert not result.ok
    # a file without any KPI needs --indicator (a KPI id or an indicator id)
    plain = "Kommun-id;År;Värde\n2580;2024;16,2\n".encode()
    assert {line.code for line in validate_file(plain, "p.csv", "indicators", country="SE").report.errors} \
        == {"kolada_no_kpi"}
    given = validate_file(plain, "p.csv", "indicators", country="SE", indicator_id="N21704")
    assert given.ok and given.tables["indicator_values"]["value"].tolist() == [16.2]


def test_kpi_catalogue_maps_to_the_norwegian_dimensions() -> None:
    from kommunestrategi.indicators import load_catalogue

    catalogue = load_catalogue()
    mapping = kolada_import.kpi_catalogue()
    assert mapping["N01951"].indicator == "pop_total"
    assert mapping["N21704"].norway == "hjemmetjenester_andel_80_plus"
    dimensions = {catalogue[m.indicator].dimension for m in mapping.values()}
    assert {"demography", "coverage", "economy", "resource_use", "quality"} <= dimensions


def test_group_figure_kolada_mean_and_ratio_of_sums() -> None:
    data = sweden.bundled_indicator_data()
    # Luleå (4,871 aged 80+, 15.89 %) and Haparanda (723, 30.98 %)
    result = comparison.compare_group(data, "hjemmetjenester_andel_80_plus", 2023, ["2580", "2583"])
    assert result.kolada_mean == pytest.approx((15.89 + 30.98) / 2)
    expected = (15.89 * 4871 + 30.98 * 723) / (4871 + 723)
    assert result.tool_value == pytest.approx(expected)
    assert result.tool_method == "ratio_derived"
    assert result.difference == pytest.approx(expected - (15.89 + 30.98) / 2)
