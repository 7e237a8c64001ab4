"""``fetch ssb`` / ``fetch kolada`` on the command line, against a loopback server."""

from __future__ import annotations

import json

import pytest

from kommunestrategi.cli import main
from kommunestrategi.io import ssb
from tests.fixtures.loopback import LoopbackServer, Reply, fixture_bytes


@pytest.fixture
def server(monkeypatch):
    srv = LoopbackServer().start()
    monkeypatch.setenv("KOMMUNESTRATEGI_SSB_URL", srv.url)
    monkeypatch.setenv("KOMMUNESTRATEGI_KOLADA_URL", srv.url)
    yield srv
    srv.stop()


def test_fetch_ssb_json_then_cache_only(server, capsys, tmp_path):
    server.route("/tables/07459/data", Reply(body=fixture_bytes("ssb_07459_alder.jsonstat2.json")))
    out = tmp_path / "07459.json"
    assert main(["fetch", "ssb", "07459", "--json", "--out", str(out), "--lang", "en"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["rows"] == 20 and summary["municipalities"] == 3 and summary["aggregates"] == 2
    assert summary["years"] == [2023, 2024] and summary["from_cache"] is False
    assert "missing" in summary["warnings"][0]
    frame, report = ssb.parse_jsonstat2(out.read_bytes())
    assert report.ok and len(frame) == 20
    server.stop()
    assert main(["fetch", "ssb", "07459", "--cache-only"]) == 0
    assert "lagret kopi" in capsys.readouterr().out


def test_fetch_ssb_select_builds_the_query(server, capsys):
    server.route("/tables/13600/data", Reply(body=fixture_bytes("ssb_13600_framskriving.jsonstat2.json")))
    assert main(["fetch", "ssb", "13600", "--select", "Region=K-1806,K-1875@agg_KommSummer:aggregated",
                 "--select", "Tid=range(2030,2050)", "--select", "ContentsCode=*"]) == 0
    assert server.seen[0].json() == {"selection": [
        {"variableCode": "Region", "valueCodes": ["K-1806", "K-1875"], "codeList": "agg_KommSummer",
         "outputValues": "aggregated"},
        {"variableCode": "Tid", "valueCodes": ["range(2030,2050)"]},
        {"variableCode": "ContentsCode", "valueCodes": ["*"]}]}
    assert capsys.readouterr().out.startswith("SSB 13600: 6 rows")


def test_fetch_errors_have_exit_codes_and_one_line(server, capsys):
    assert main(["fetch", "ssb", "99999"]) == 1  # unknown table: the server says 404
    assert capsys.readouterr().err.startswith("error: SSB avviste")
    assert main(["fetch", "ssb", "07459", "--cache-only", "--lang", "en"]) == 2
    assert "stored copies only" in capsys.readouterr().err
    assert main(["fetch", "ssb", "07459", "--select", "Tid"]) == 2


def test_fetch_kolada(server, capsys):
    server.route("/kpi/N01951", Reply(body=fixture_bytes("kolada_kpi_N01951.json")))
    server.route("/data/kpi/N01951/municipality/0180,1480/year/2023",
                 Reply(body=fixture_bytes("kolada_N01951_data.json")))
    assert main(["fetch", "kolada", "N01951", "--municipality", "0180", "--municipality", "1480",
                 "--year", "2023", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["source"] == "Kolada" and summary["rows"] == 6 and summary["years"] == [2023]
    # Kolada's own title for the id was read and matches the catalogue's
    assert summary["titles"] == {"N01951": "Invånare totalt, antal"}
    assert summary["mapped"] == {"N01951": "pop_total"}
    assert [seen.path for seen in server.seen] == ["/kpi/N01951", "/data/kpi/N01951/municipality/0180,1480/year/2023"]
