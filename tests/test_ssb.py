"""JSON-stat2 parsing and the SSB PxWebApi v2 client (recorded fixtures, loopback only)."""

from __future__ import annotations

import json
import math

import pytest

from kommunestrategi import geo
from kommunestrategi.io import ssb
from kommunestrategi.io.cache import DiskCache
from kommunestrategi.io.online import InvalidResponse, NotCachedError, OfflineError, RequestRejected
from tests.fixtures.loopback import LoopbackServer, Reply, fixture_bytes


@pytest.fixture
def server():
    srv = LoopbackServer().start()
    yield srv
    srv.stop()


def _client(server: LoopbackServer, **kwargs) -> ssb.SsbClient:
    kwargs.setdefault("cache", DiskCache())
    return ssb.SsbClient(base_url=server.url, timeout=2, retries=1, sleep=lambda s: None, **kwargs)


# --- parsing --------------------------------------------------------------------------

def test_real_population_file_sums_to_national_total_over_356_municipalities(real_data):
    data = (real_data / "ssb_07459_folketall_2022.jsonstat.json").read_bytes()
    frame, report = ssb.parse_jsonstat2(data, "ssb_07459_folketall_2022.jsonstat.json")
    assert report.ok and not report.warnings
    assert list(frame.columns) == ["region_code", "region_label", "year", "ContentsCode", "value"]
    assert frame.loc[0, "region_code"] == "K-3001" and frame.loc[0, "region_label"] == "Halden"
    assert set(frame["year"]) == {2022}
    kinds = frame["region_code"].map(ssb.classify_region)
    assert sorted(frame.loc[kinds != "municipality", "region_code"]) == ["K-21-22", "K-23", "K-Rest"]
    municipalities = frame[kinds == "municipality"]
    index = geo.code_index()
    units = municipalities["region_code"].map(lambda c: index.unit_for(ssb.region_number(c)))
    assert units.nunique() == 356
    assert municipalities["value"].sum() == 5_425_270
    assert frame.attrs["table_id"] == "07459"


def test_fixture_with_age_dimension_and_missing_value_symbol():
    frame, report = ssb.parse_jsonstat2(fixture_bytes("ssb_07459_alder.jsonstat2.json"), "f.json")
    assert report.ok
    assert list(frame.columns) == ["region_code", "region_label", "year", "Alder", "ContentsCode", "value"]
    assert len(frame) == 20
    # row-major order: the last dimension (Tid) varies fastest
    assert frame.loc[:3, "year"].tolist() == [2023, 2024, 2023, 2024]
    assert frame.loc[:3, "Alder"].tolist() == ["000", "000", "080", "080"]
    hit = frame[(frame.region_code == "K-1508") & (frame.Alder == "080") & (frame.year == 2023)]
    assert math.isnan(hit["value"].iloc[0])
    (warning,) = report.warnings
    assert warning.code == "ssb_missing_values" and warning.params["symbols"] == ".."
    assert ".." in warning.message("en")
    assert frame.attrs["dimension_labels"]["Region"]["K-5001"] == "Trondheim - Tråante"
    assert frame.attrs["units"] == {"Personer1": "personer"}


def test_list_index_and_list_status_and_custom_geo_dimension():
    frame, report = ssb.parse_jsonstat2(json.loads(fixture_bytes("ssb_12134_kostra.jsonstat2.json")))
    assert report.ok
    assert frame["region_code"].tolist()[:2] == ["3101", "3101"]
    assert frame.attrs["geo_dimension"] == "KOKkommuneregion0000"
    kinds = dict(zip(frame.region_code, frame.region_code.map(ssb.classify_region), strict=True))
    assert kinds == {"3101": "municipality", "0301": "municipality", "EKG13": "group", "EAK": "country"}
    assert report.warnings[0].params["symbols"] == ":"
    area, _ = ssb.parse_jsonstat2(fixture_bytes("ssb_09280_areal.jsonstat2.json"))
    assert area["region_code"].tolist()[0] == "K-3101" and area["ArealKm2"].tolist()[:2] == ["0000", "0001"]
    assert ssb.classify_region("0") == "country"


@pytest.mark.parametrize(("code", "kind"), [
    ("K-3001", "municipality"), ("0301", "municipality"), ("F-30", "county"), ("50", "county"),
    ("K-21-22", "other"), ("K-23", "other"), ("K-Rest", "other"), ("K-2111", "other"),
    ("030101", "district"), ("EKG01", "group"), ("0", "country"),
])
def test_region_kinds(code, kind):
    assert ssb.classify_region(code) == kind


def test_quarterly_periods_keep_the_period_column():
    doc = json.loads(fixture_bytes("ssb_13600_framskriving.jsonstat2.json"))
    doc["dimension"]["Tid"]["category"] = {"index": {"2030K1": 0, "2030K2": 1, "2030K3": 2}}
    frame, report = ssb.parse_jsonstat2(doc)
    assert report.ok and report.warnings[0].code == "ssb_not_annual"
    assert frame["Tid"].tolist()[:3] == ["2030K1", "2030K2", "2030K3"] and set(frame.year) == {2030}


@pytest.mark.parametrize(("mutate", "code"), [
    (lambda d: b"{not json", "ssb_not_json"),
    (lambda d: {"class": "dataset", "label": "x"}, "ssb_not_dataset"),
    (lambda d: {**d, "value": d["value"][:-1]}, "ssb_size_mismatch"),
    (lambda d: {**d, "value": ["abc"] + d["value"][1:]}, "ssb_bad_value"),
    (lambda d: {**d, "size": [2, 1, 4]}, "ssb_bad_dimension"),
    (lambda d: {**d, "role": {}, "id": ["Omraade", "ContentsCode", "Tid"],
                "dimension": {"Omraade": d["dimension"]["Region"], **{k: v for k, v in d["dimension"].items()
                                                                      if k != "Region"}}}, "ssb_no_region"),
    (lambda d: {**d, "size": [20000, 1000, 1000]}, "ssb_too_many_cells"),
])
def test_broken_datasets_give_a_report_line_and_no_frame(mutate, code):
    doc = json.loads(fixture_bytes("ssb_13600_framskriving.jsonstat2.json"))
    frame, report = ssb.parse_jsonstat2(mutate(doc), "bad.json")
    assert frame is None
    assert [line.code for line in report.errors] == [code]
    for lang in ("nb", "en", "sv"):
        assert report.errors[0].message(lang)


def test_oversized_file_is_refused_before_parsing(monkeypatch):
    monkeypatch.setenv("KOMMUNESTRATEGI_MAX_UPLOAD_MB", "0.001")
    frame, report = ssb.parse_jsonstat2(fixture_bytes("ssb_07459_alder.jsonstat2.json"))
    assert frame is None and report.errors[0].code == "ssb_too_large"


# --- named tables and queries -----------------------------------------------------------

def test_catalogue_names_the_required_tables():
    tables = ssb.known_tables()
    assert {"07459", "09280", "13600", "12134", "12209"} <= set(tables)
    assert tables["07459"].query["Tid"]["valueCodes"] == ["top(1)"]


def test_selection_body_follows_pxwebapi_v2():
    body = ssb.selection_body({"Region": {"codelist": "agg_KommSummer", "valueCodes": ["*"],
                                          "outputValues": "aggregated"},
                               "Tid": "range(2020,2022),2024"})
    assert body == {"selection": [
        {"variableCode": "Region", "valueCodes": ["*"], "codeList": "agg_KommSummer",
         "outputValues": "aggregated"},
        {"variableCode": "Tid", "valueCodes": ["range(2020,2022)", "2024"]},
    ]}


# --- client -------------------------------------------------------------------------------

@pytest.mark.parametrize(("table", "fixture"), [
    ("07459", "ssb_07459_alder.jsonstat2.json"), ("09280", "ssb_09280_areal.jsonstat2.json"),
    ("13600", "ssb_13600_framskriving.jsonstat2.json"), ("12134", "ssb_12134_kostra.jsonstat2.json"),
])
def test_fetch_table_posts_the_v2_query_and_parses(server, table, fixture):
    server.route(f"/tables/{table}/data", Reply(body=fixture_bytes(fixture)))
    result = _client(server).fetch_table(table)
    assert not result.from_cache and not result.stale
    assert len(result.frame) > 0 and result.frame.attrs["table_id"] == table
    (seen,) = server.seen
    assert seen.method == "POST"
    assert seen.query == {"lang": ["no"], "outputFormat": ["json-stat2"]}
    assert seen.json() == ssb.selection_body(ssb.known_tables()[table].query)
    assert result.url.startswith(f"{server.url}/tables/{table}/data?")


def test_second_fetch_is_a_cache_hit_with_age(server):
    server.route("/tables/07459/data", Reply(body=fixture_bytes("ssb_07459_alder.jsonstat2.json")))
    client = _client(server)
    first = client.fetch_table("07459")
    second = client.fetch_table("07459")
    assert len(server.seen) == 1
    assert second.from_cache and second.fetched_at == first.fetched_at
    assert second.frame.equals(first.frame)
    assert ssb.parse_jsonstat2(second.data)[0].equals(first.frame)  # raw answer kept for the importer
    assert "lagret kopi" in second.describe("nb") and "stored copy" in second.describe("en")


def test_cache_only_without_entry_and_offline_without_cache(server):
    client = _client(server)
    with pytest.raises(NotCachedError) as exc:
        client.fetch_table("07459", cache_only=True)
    assert "SSB" in exc.value.message("en")
    server.stop()
    offline = ssb.SsbClient(cache=DiskCache(), base_url=server.url, timeout=1, retries=1,
                            sleep=lambda s: None)
    with pytest.raises(OfflineError) as exc:
        offline.fetch_table("07459")
    assert exc.value.message("nb").startswith("Ingen forbindelse til SSB")
    assert "offline" in exc.value.message("en")


def test_unknown_table_is_rejected_with_the_servers_reason(server):
    with pytest.raises(RequestRejected) as exc:
        _client(server).fetch_table("99999", {"Tid": ["top(1)"]})
    assert "Non-existent table" in exc.value.message("en")


def test_invalid_answer_is_not_cached(server):
    server.route("/tables/07459/data", Reply(body=b'{"class": "dataset"}'),
                 Reply(body=fixture_bytes("ssb_07459_alder.jsonstat2.json")))
    client = _client(server)
    with pytest.raises(InvalidResponse) as exc:
        client.fetch_table("07459")
    assert exc.value.report.errors[0].code == "ssb_not_dataset"
    assert not client.fetch_table("07459").from_cache


def test_other_jsonstat2_encodings_sparse_values_string_status_and_collection():
    doc = json.loads(fixture_bytes("ssb_13600_framskriving.jsonstat2.json"))
    doc["value"] = {"0": 21500, "5": 2400}
    doc["status"] = "p"
    frame, report = ssb.parse_jsonstat2(doc)
    assert report.ok and frame["value"].notna().sum() == 2 and frame["value"].iloc[5] == 2400
    assert report.warnings[0].params["symbols"] == "p"
    wrapped = {"version": "2.0", "class": "collection",
               "link": {"item": [json.loads(fixture_bytes("ssb_09280_areal.jsonstat2.json"))]}}
    frame, report = ssb.parse_jsonstat2(json.dumps(wrapped).encode("utf-8-sig"))
    assert report.ok and len(frame) == 6


def test_table_id_cannot_reach_other_paths(server):
    with pytest.raises(RequestRejected):
        _client(server).fetch_table("../config")
    assert server.seen == []
