"""Kolada API client and parser (recorded fixture, loopback only)."""

from __future__ import annotations

import json
import math

import pytest

from kommunestrategi.io import kolada
from kommunestrategi.io.cache import DiskCache
from kommunestrategi.io.online import InvalidResponse, OfflineError, RequestRejected
from tests.fixtures.loopback import LoopbackServer, Reply, fixture_bytes


@pytest.fixture
def server():
    srv = LoopbackServer().start()
    yield srv
    srv.stop()


def _client(server: LoopbackServer) -> kolada.KoladaClient:
    return kolada.KoladaClient(cache=DiskCache(), base_url=server.url, timeout=2, retries=1,
                               sleep=lambda s: None)


def test_parse_gives_long_frame_by_gender():
    frame, report = kolada.parse_kolada(fixture_bytes("kolada_N01951_data.json"))
    assert list(frame.columns) == ["municipality_id", "kpi", "year", "gender", "value"]
    assert len(frame) == 6
    stockholm = frame[frame.municipality_id == "0180"].set_index("gender")["value"]
    assert stockholm.to_dict() == {"T": 984748.0, "K": 497830.0, "M": 486918.0}
    assert math.isnan(frame[(frame.municipality_id == "0000") & (frame.gender == "K")]["value"].iloc[0])
    assert [line.code for line in report.warnings] == ["kolada_missing_values"]
    kinds = {c: kolada.classify_id(c) for c in frame.municipality_id}
    assert kinds == {"0180": "municipality", "1480": "municipality", "0000": "country"}
    assert kolada.classify_id("0001") == "region"


@pytest.mark.parametrize(("payload", "code"), [
    (b"<html>", "kolada_not_json"), (b'{"count": 0}', "kolada_not_data"),
    (b'{"values": [{"municipality": "0180"}]}', "kolada_bad_row"),
])
def test_bad_answers(payload, code):
    frame, report = kolada.parse_kolada(payload)
    assert frame is None and report.errors[0].code == code and report.errors[0].message("sv")


def test_url_shape():
    client = kolada.KoladaClient(base_url="https://api.kolada.se/v3")
    assert client.data_url(["N01951", "n00002"], ["0180", "1480"], [2022, 2023]) == (
        "https://api.kolada.se/v3/data/kpi/N01951,N00002/municipality/0180,1480/year/2022,2023")
    with pytest.raises(RequestRejected):
        client.data_url("not a kpi")
    with pytest.raises(RequestRejected):
        client.data_url("N01951", ["../kpi"])


def test_fetch_follows_pages_and_caches(server):
    first = json.loads(fixture_bytes("kolada_N01951_data.json"))
    second = {"count": 1, "next_page": None, "values": [
        {"kpi": "N01951", "municipality": "1280", "period": 2023,
         "values": [{"gender": "T", "value": 362133.0, "count": 1, "status": ""}]}]}
    first["next_page"] = f"{server.url}/page2"
    server.route("/data/kpi/N01951/municipality/0180,1480,1280,0000/year/2023",
                 Reply(body=json.dumps(first).encode()))
    server.route("/page2", Reply(body=json.dumps(second).encode()))
    client = _client(server)
    result = client.fetch_kpi("N01951", ["0180", "1480", "1280", "0000"], [2023])
    assert sorted(set(result.frame.municipality_id)) == ["0000", "0180", "1280", "1480"]
    assert server.seen[0].query == {"per_page": ["5000"], "page": ["1"]}
    assert len(server.seen) == 2 and not result.from_cache
    again = client.fetch_kpi("N01951", ["0180", "1480", "1280", "0000"], [2023])
    assert again.from_cache and len(server.seen) == 2 and again.frame.equals(result.frame)


def test_offline_and_invalid(server):
    server.route("/data/kpi/N01951", Reply(body=b"<html>maintenance</html>"))
    with pytest.raises(InvalidResponse):
        _client(server).fetch_kpi("N01951")
    server.stop()
    with pytest.raises(OfflineError) as exc:
        _client(server).fetch_kpi("N01951")
    assert exc.value.message("sv").startswith("Ingen anslutning till Kolada")


def test_raw_pages_of_a_fetch_parse_again(server):
    first = json.loads(fixture_bytes("kolada_N01951_data.json"))
    first["next_page"] = f"{server.url}/page2"
    second = {"values": [{"kpi": "N01951", "municipality": "1280", "period": 2023,
                          "values": [{"gender": "T", "value": 1.0}]}]}
    server.route("/data/kpi/N01951", Reply(body=json.dumps(first).encode()))
    server.route("/page2", Reply(body=json.dumps(second).encode()))
    result = _client(server).fetch_kpi("N01951")
    frame, report = kolada.parse_kolada(result.data)
    assert report.ok and frame.equals(result.frame)
