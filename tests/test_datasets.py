"""Dataset versions: confirmed imports are immutable versions; the active one can be switched back."""

import json
from pathlib import Path

import pytest

from kommunestrategi import datasets
from kommunestrategi.io.importer import validate_file
from kommunestrategi.store import SYSTEM, Actor, PermissionDenied, Store

ROOT = Path(__file__).resolve().parent.parent
BAD = ROOT / "tests" / "data" / "bad"
MANIFEST = json.loads((BAD / "manifest.json").read_text(encoding="utf-8"))
CSV = b"kommunenummer;indicator_id;year;value\n301;pop_total;2024;717710\n5001;pop_total;2024;214565\n"


@pytest.fixture
def store_ws():
    store = Store.open()
    return store, store.ensure_demo_workspace()


def test_no_import_gives_an_empty_frame_with_the_contract_columns(store_ws):
    store, ws = store_ws
    frame = datasets.uploaded_indicator_values(store, ws.id)
    assert frame.empty
    assert list(frame.columns) == datasets.INDICATOR_COLUMNS


def test_import_makes_an_active_version_with_metadata(store_ws):
    store, ws = store_ws
    result = validate_file(CSV, "tall.csv")
    version = datasets.import_result(store, SYSTEM, ws.id, result)
    assert version.active and version.kind == "indicators" and version.file_name == "tall.csv"
    assert version.sha256 == result.sha256 and len(version.sha256) == 64
    assert version.counts["rows"] == 2
    values = datasets.uploaded_indicator_values(store, ws.id)
    assert list(values.columns) == datasets.INDICATOR_COLUMNS
    assert values.set_index("kommunenummer")["value"].to_dict() == {"0301": 717710.0, "5001": 214565.0}
    assert set(values["dataset_version"]) == {version.id}


def test_versions_are_kept_and_the_old_one_can_be_reactivated(store_ws):
    store, ws = store_ws
    first = datasets.import_result(store, SYSTEM, ws.id, validate_file(CSV, "a.csv"))
    second = datasets.import_result(store, SYSTEM, ws.id, validate_file(CSV.replace(b"717710", b"1"), "b.csv"))
    assert datasets.uploaded_indicator_values(store, ws.id).set_index("kommunenummer")["value"]["0301"] == 1
    datasets.activate(store, SYSTEM, ws.id, first.id)
    values = datasets.uploaded_indicator_values(store, ws.id)
    assert values.set_index("kommunenummer")["value"]["0301"] == 717710
    assert [v.id for v in datasets.versions(store, ws.id, "indicators")] == [second.id, first.id]
    assert datasets.same_file_version(store, ws.id, validate_file(CSV, "again.csv")).id == first.id


def test_stored_report_renders_in_any_language(store_ws):
    store, ws = store_ws
    data = CSV + b"0 Hele landet;pop_total;2024;5550203\n"
    version = datasets.import_result(store, SYSTEM, ws.id, validate_file(data, "r.csv"))
    report = datasets.report_from_dicts(version.file_name, version.report)
    assert [line.code for line in report.lines] == ["aggregate_skipped"]
    assert "Hele landet" in report.lines[0].message("en")


def test_only_the_secretariat_imports(store_ws):
    store, ws = store_ws
    with pytest.raises(PermissionDenied):
        datasets.import_result(store, Actor("v", "viewer"), ws.id, validate_file(CSV, "a.csv"))


def test_arrangements_are_stored_as_two_tables(store_ws, real_data):
    store, ws = store_ws
    name = "bufdir_interkommunale_barnevernsamarbeid_2023.csv"
    version = datasets.import_result(store, SYSTEM, ws.id, validate_file((real_data / name).read_bytes(), name,
                                                                         "arrangements"))
    members, active = datasets.active_table(store, ws.id, "arrangements", "arrangement_members")
    assert active.id == version.id and len(members) == 204
    assert members["kommunenummer"].str.len().eq(4).all()


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_bad_files_change_nothing_in_the_store(store_ws, name):
    store, ws = store_ws
    expected = MANIFEST[name]
    result = validate_file((BAD / name).read_bytes(), name, expected["kind"])
    if expected["severity"] == "error":
        with pytest.raises(datasets.DatasetError):
            datasets.import_result(store, SYSTEM, ws.id, result)
    assert store.list_dataset_versions(ws.id) == []


def test_2024_boundaries_become_active_only_when_imported(store_ws, real_data):
    from kommunestrategi import geo

    store, ws = store_ws
    name = "kartverket_kommuner_2024_small.geojson"
    result = validate_file((real_data / name).read_bytes(), name, "boundaries")
    assert store.active_dataset_version(ws.id, "boundaries") is None  # validating changed nothing
    version = datasets.import_result(store, SYSTEM, ws.id, result)
    table, active = datasets.active_table(store, ws.id, "boundaries", "boundaries")
    assert active.id == version.id
    boundaries = geo.boundaries_from_table(table)
    assert len(boundaries) == 357 and "1580" in set(boundaries["kommunenummer"])
