"""Kolada KPI ids are mapped to indicators only when verified: from a named source
offline, or by ``fetch kolada`` against Kolada's own title (loopback server only)."""

from __future__ import annotations

import json

import pytest

from kommunestrategi import datasets
from kommunestrategi.cli import main
from kommunestrategi.countries import sweden
from kommunestrategi.io import kolada, kolada_import
from kommunestrategi.io.importer import validate_file
from kommunestrategi.store import Store
from tests.fixtures.loopback import LoopbackServer, Reply, fixture_bytes

DATA_N03001 = {"count": 3, "next_page": None, "values": [
    {"kpi": "N03001", "municipality": "2580", "period": 2024,
     "values": [{"gender": "T", "value": 2.4, "count": 1, "status": ""}]},
    {"kpi": "N03001", "municipality": "2584", "period": 2024,
     "values": [{"gender": "T", "value": -1.5, "count": 1, "status": ""}]},
    {"kpi": "N03001", "municipality": "0025", "period": 2024,
     "values": [{"gender": "T", "value": 1.1, "count": 1, "status": ""}]},
]}
ROUTE = "/data/kpi/N03001/municipality/2580,2584,0025/year/2024"


@pytest.fixture
def server(monkeypatch):
    srv = LoopbackServer().start()
    monkeypatch.setenv("KOMMUNESTRATEGI_KOLADA_URL", srv.url)
    yield srv
    srv.stop()


def _fetch(out, *extra) -> int:
    return main(["fetch", "kolada", "N03001", "--municipality", "2580,2584,0025", "--year", "2024",
                 "--out", str(out), *extra])


def test_only_kpis_verified_from_a_named_source_are_mapped_offline() -> None:
    verified = kolada_import.verified_kpis()
    assert set(verified) == {"N01951", "N21704", "N15033", "U23401"}
    assert all(m.checked.startswith(("facts", "source")) for m in verified.values())
    unverified = set(kolada_import.kpi_catalogue()) - set(verified)
    assert unverified == {"N03001", "N03106", "N00901", "N20900", "N11102"}
    text = "Kommun-id;KPI;År;Värde\n2580;N03001;2024;2,4\n2584;N03001;2024;-1,5\n"
    result = validate_file(text.encode(), "n03001.csv", "indicators", country="SE")
    assert not result.ok and result.tables["indicator_values"].empty
    [error] = result.report.errors
    assert error.code == "kolada_kpi_unverified"
    message = error.message("en")
    assert "N03001" in message and "se_resultat_andel_skatt" in message and "not confirmed" in message
    assert "N03001" not in error.params["known"] and "N01951" in error.params["known"]
    # naming the unverified KPI as the indicator is refused the same way
    plain = "Kommun-id;År;Värde\n2580;2024;2,4\n".encode()
    named = validate_file(plain, "p.csv", "indicators", country="SE", indicator_id="N03001")
    assert [line.code for line in named.report.errors] == ["kolada_kpi_unverified"]
    # choosing the catalogue indicator yourself is an explicit choice, and imports
    chosen = validate_file(plain, "p.csv", "indicators", country="SE", indicator_id="se_resultat_andel_skatt")
    assert chosen.ok and chosen.tables["indicator_values"]["indicator_id"].tolist() == ["se_resultat_andel_skatt"]
    # a source-verified KPI imports under its indicator
    wait = "Kommun-id;KPI;År;Värde\n2580;U23401;2024;61\n".encode()
    waiting = validate_file(wait, "u.csv", "indicators", country="SE")
    assert waiting.ok and waiting.tables["indicator_values"]["value"].tolist() == [61.0]
    assert waiting.tables["indicator_values"]["indicator_id"].tolist() == ["se_vantetid_sarskilt_boende"]


def test_titles_compare_without_case_punctuation_or_the_old_u_marker() -> None:
    mapping = kolada_import.kpi_catalogue()
    assert mapping["U23401"].title_matches("U. Väntetid i antal dagar från ansökningsdatum till erbjudet "
                                           "inflyttningsdatum till särskilt boende, medelvärde")
    assert mapping["N01951"].title_matches("Invånare totalt,  antal")
    assert not mapping["N01951"].title_matches("Invånare 80+, andel (%)")
    assert not mapping["N03001"].title_matches("Nettokostnad gator och vägar samt parkering, kr/inv")


def test_fetch_checks_kolada_title_and_the_file_then_imports(server, tmp_path, capsys) -> None:
    server.route("/kpi/N03001", Reply(body=fixture_bytes("kolada_kpi_N03001.json")))
    server.route(ROUTE, Reply(body=json.dumps(DATA_N03001).encode()))
    out = tmp_path / "n03001.json"
    assert _fetch(out, "--json") == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["mapped"] == {"N03001": "se_resultat_andel_skatt"}
    assert summary["titles"]["N03001"] == "Resultat som andel av skatt och generella statsbidrag (%)"
    saved = json.loads(out.read_text(encoding="utf-8"))
    assert saved["kpi_metadata"][0]["id"] == "N03001" and len(saved["values"]) == 3
    assert kolada_import.confirmed_by_fetch(saved) == {"N03001"}
    # the saved file is still a Kolada data answer
    frame, report = kolada.parse_kolada(out.read_bytes())
    assert report.ok and len(frame) == 3
    assert main(["workspace", "create", "Norrbotten", "--country", "SE"]) == 0
    capsys.readouterr()
    assert main(["import", str(out), "--kind", "indicators", "--workspace", "Norrbotten", "--json"]) == 0
    imported = json.loads(capsys.readouterr().out)
    assert imported["counts"]["indicators"] == ["se_resultat_andel_skatt"]
    store = Store.open()
    data = sweden.indicator_data(datasets.uploaded_indicator_values(store, store.get_workspace("Norrbotten").id))
    series = data.series("se_resultat_andel_skatt", 2024)
    assert series[data.pos["2580"]] == pytest.approx(2.4) and series[data.pos["2584"]] == pytest.approx(-1.5)
    # the same figures without the fetch's metadata (the raw answer) are refused
    raw = tmp_path / "raw.json"
    raw.write_text(json.dumps(DATA_N03001), encoding="utf-8")
    assert main(["import", str(raw), "--kind", "indicators", "--workspace", "Norrbotten", "--lang", "en"]) == 1
    assert "not confirmed against Kolada's title" in capsys.readouterr().out


def test_fetch_refuses_a_kpi_whose_kolada_title_is_another(server, tmp_path, capsys) -> None:
    server.route("/kpi/N03001", Reply(body=fixture_bytes("kolada_kpi_N03001_other_title.json")))
    server.route(ROUTE, Reply(body=json.dumps(DATA_N03001).encode()))
    out = tmp_path / "n03001.json"
    assert _fetch(out, "--lang", "en") == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1
    assert "Nettokostnad gator och vägar" in lines[0] and "Resultat som andel av skatt" in lines[0]
    assert "nothing was saved" in lines[0]
    assert not out.exists()
    assert [seen.path for seen in server.seen] == ["/kpi/N03001"]  # the figures were never asked for


def test_fetch_of_an_unknown_or_unreadable_kpi(server, tmp_path, capsys) -> None:
    server.route("/kpi/N03001", Reply(body=b'{"count": 0, "values": [], "next_url": null}'))
    assert _fetch(tmp_path / "a.json", "--lang", "en") == 1
    assert "does not know the KPI N03001" in capsys.readouterr().err
    server.route("/kpi/N03106", Reply(404, body=b'{"detail": "Not found"}'))
    assert main(["fetch", "kolada", "N03106", "--lang", "en"]) == 1
    capsys.readouterr()
    server.route("/kpi/N00901", Reply(body=b"<html>maintenance</html>"))
    assert main(["fetch", "kolada", "N00901", "--lang", "en"]) == 2
    assert "description of a KPI" in capsys.readouterr().err
