"""A workspace's own indicators: new indicators for unmapped SSB content codes and the
kinds confirmed for an uploaded file's unknown indicators, stored in the workspace
(SQLite and PostgreSQL), used by the next import and combined for regions by their rule."""

from __future__ import annotations

import io
import json
import zipfile

import numpy as np
import pytest

from kommunestrategi import datasets, indicators
from kommunestrategi.indicators import workspace as own
from kommunestrategi.io import ssb_codes
from kommunestrategi.io.importer import validate_file
from kommunestrategi.store import SYSTEM, Actor, PermissionDenied, Store
from kommunestrategi.store import workspace_indicators as stored
from tests.test_ssb_codes import kostra_answer

MERGED = (b"kommunenummer;indicator_id;year;value\n"
          b"0104;antall_brukere;2019;120\n0136;antall_brukere;2019;80\n5001;antall_brukere;2019;900\n")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request, tmp_path):
    if request.param == "sqlite":
        return Store.open(f"sqlite:///{tmp_path / 'ws.sqlite'}")
    return Store.open(request.getfixturevalue("fresh_postgres_url"))


def values(result) -> dict[tuple[str, str, int], float]:
    frame = result.tables["indicator_values"]
    return {(k, i, int(y)): float(v) for k, i, y, v in
            zip(frame["kommunenummer"], frame["indicator_id"], frame["year"], frame["value"], strict=True)}


def _add_special_education(store, ws):
    return own.add_indicator(store, SYSTEM, ws.id, name="Andel elever med spesialundervisning (fantasi)",
                             unit="percent", dimension="coverage", sector="grunnskole",
                             direction="lower_is_better", aggregation="weighted_mean:pop_6_15",
                             table="12134", code="KOSAG999000",
                             label="Andel elever med spesialundervisning i fantasiskolen")


def test_a_new_indicator_round_trips_through_the_store(store):
    ws = store.ensure_demo_workspace()
    made = _add_special_education(store, ws)
    assert made.id == "andel_elever_med_spesialundervisning_fantasi"
    # read back through a second store object on the same database
    again = Store.open(store.url)
    rows = stored.list_indicators(again, ws.id)
    assert [(r.indicator_id, r.version, r.author) for r in rows] == [(made.id, 1, SYSTEM.name)]
    assert rows[0].data["unit"] == "percent" and rows[0].data["ssb_code"] == "KOSAG999000"
    catalogue = own.workspace_catalogue(again, ws.id)
    ind = catalogue[made.id]
    assert (ind.name("nb"), ind.name("en"), ind.unit, ind.dimension, ind.sector, ind.direction) == (
        "Andel elever med spesialundervisning (fantasi)", "Andel elever med spesialundervisning (fantasi)",
        "percent", "coverage", "grunnskole", "lower_is_better")
    assert ind.rule == indicators.AggregationRule("weighted_mean", weight="pop_6_15")
    assert "12134" in ind.source_label("nb")
    assert ssb_codes.workspace_map(again, ws.id) == {"12134:KOSAG999000": made.id}
    # the save is in the history, and a second save is a new version
    assert any(h.entity == "indicator" and h.key == made.id and h.action == "create" for h in again.history(ws.id))
    stored.save_indicator(again, SYSTEM, ws.id, made.id, {**rows[0].data, "name": "Spesialundervisning"})
    assert [(r.version, r.data["name"]) for r in stored.list_indicators(store, ws.id)] == [(2, "Spesialundervisning")]
    # other workspaces do not see it
    other = store.create_workspace(SYSTEM, "Annen", ["5001"])
    assert made.id not in own.workspace_catalogue(store, other.id)


def test_only_the_secretariat_defines_indicators_and_bad_definitions_are_refused(store):
    ws = store.ensure_demo_workspace()
    with pytest.raises(PermissionDenied):
        own.add_indicator(store, Actor("Rådmann", "viewer"), ws.id, name="X", unit="percent", dimension="quality",
                          direction="neutral", aggregation="sum")
    with pytest.raises(own.WorkspaceIndicatorError, match="not a count"):  # a ratio over a share
        own.add_indicator(store, SYSTEM, ws.id, name="Feil", unit="percent", dimension="quality",
                          direction="neutral", aggregation="ratio:pop_total/hjemmetjenester_andel_80_plus")
    with pytest.raises(own.WorkspaceIndicatorError, match="unit"):
        own.add_indicator(store, SYSTEM, ws.id, name="Feil", unit="furlongs", dimension="quality",
                          direction="neutral", aggregation="sum")
    for name in ("<b>Fet</b>", "=HYPERLINK(\"x\")", "   "):   # shown as text, never markup or a formula
        with pytest.raises(own.WorkspaceIndicatorError):
            own.add_indicator(store, SYSTEM, ws.id, name=name, unit="percent", dimension="quality",
                              direction="neutral", aggregation="sum")
    assert stored.list_indicators(store, ws.id) == []
    assert ssb_codes.workspace_map(store, ws.id) == {}


def test_a_later_import_of_the_same_table_maps_the_code_to_the_new_indicator(store):
    ws = store.ensure_demo_workspace()
    first = validate_file(kostra_answer(), "12134.json", choices=own.import_choices(store, ws.id))
    assert [c["code"] for c in first.report.unmapped_codes] == ["KOSAG999000"]
    made = _add_special_education(store, ws)

    second = validate_file(kostra_answer(), "12134.json", choices=own.import_choices(store, ws.id))
    assert second.ok and second.report.unmapped_codes == []
    got = values(second)
    assert got[("5001", made.id, 2024)] == 7.0 and got[("1804", made.id, 2025)] == 6.1
    assert not any(line.code == "unknown_indicator" for line in second.report.lines)
    version = datasets.import_result(store, SYSTEM, ws.id, second)

    # the panels show it with the workspace's name and unit, and its figures
    data = indicators.build_data(datasets.uploaded_indicator_values(store, ws.id), None,
                                 own.workspace_catalogue(store, ws.id))
    card = data.panel(["5001"]).card(made.id)
    assert card.status == "ok" and card.value == 7.5 and card.year == 2025
    assert card.indicator.name("nb") == "Andel elever med spesialundervisning (fantasi)"
    assert card.indicator.unit_label("nb") == "%"
    assert card.versions == (str(version.id),)
    assert card.indicator.dimension in data.panel(["5001"]).grouped()


def test_a_new_ratio_or_mean_indicator_is_not_summed_for_a_region(store):
    ws = store.ensure_demo_workspace()
    share = own.add_indicator(store, SYSTEM, ws.id, name="Plasser per 100 innbyggere", unit="percent",
                              dimension="demography", direction="neutral", scale=100,
                              aggregation=own.rule_text("ratio", numerator="sykehjemsplasser", denominator="pop_total"))
    mean = own.add_indicator(store, SYSTEM, ws.id, name="Snittverdi per innbygger", unit="nok_per_inhabitant",
                             dimension="economy", direction="neutral", aggregation="weighted_mean:pop_total")
    csv = "kommunenummer;indicator_id;year;value\n" + "".join(
        f"{k};{i};2024;{v}\n" for i in (share.id, mean.id) for k, v in (("5028", "10,0"), ("5029", "20,0")))
    result = validate_file(csv.encode(), "egne.csv", choices=own.import_choices(store, ws.id))
    assert result.ok, result.report.as_rows("en")
    datasets.import_result(store, SYSTEM, ws.id, result)
    data = indicators.build_data(datasets.uploaded_indicator_values(store, ws.id), None,
                                 own.workspace_catalogue(store, ws.id))
    idx = data.index(["5028", "5029"])
    pop = data.series("pop_total", 2024)[idx]
    weighted = float((np.array([10.0, 20.0]) * pop).sum() / pop.sum())
    for ident in (share.id, mean.id):
        combined = data.combine(ident, 2024, idx)
        assert combined.value == pytest.approx(weighted)
        assert combined.value != 30.0 and 10.0 < combined.value < 20.0
    assert data.combine(share.id, 2024, idx).method == "ratio_derived"
    assert data.combine(mean.id, 2024, idx).method == "weighted_mean"


def test_the_kind_confirmed_for_an_unknown_indicator_is_stored_and_used_again(store):
    ws = store.ensure_demo_workspace()
    before = validate_file(MERGED, "brukere.csv", choices=own.import_choices(store, ws.id))
    assert any(line.code == "merged_needs_kind" for line in before.report.lines)
    assert ("3103", "antall_brukere", 2019) not in values(before)

    choices = own.import_choices(store, ws.id, indicator_kinds={"antall_brukere": "count"})
    chosen = validate_file(MERGED, "brukere.csv", choices=choices)
    assert values(chosen)[("3103", "antall_brukere", 2019)] == 200
    assert own.save_kinds(store, SYSTEM, ws.id, {"antall_brukere": "count"}) == ["antall_brukere"]
    assert own.save_kinds(store, SYSTEM, ws.id, {"antall_brukere": "count"}) == []  # unchanged: not saved again
    assert own.stored_kinds(store, ws.id) == {"antall_brukere": "count"}

    # the next upload is not asked again: the workspace's kind applies
    again = validate_file(MERGED, "brukere.csv", choices=own.import_choices(Store.open(store.url), ws.id))
    assert not any(line.code in ("merged_needs_kind", "unknown_indicator") for line in again.report.lines)
    assert values(again)[("3103", "antall_brukere", 2019)] == 200
    datasets.import_result(store, SYSTEM, ws.id, again)
    data = indicators.build_data(datasets.uploaded_indicator_values(store, ws.id), None,
                                 own.workspace_catalogue(store, ws.id))
    # a count is added up for a region
    assert data.combine("antall_brukere", 2019, data.index(["3103", "5001"])).value == 1100
    assert data.catalogue["antall_brukere"].unit == "number"


def test_a_mean_kind_is_never_summed(store):
    ws = store.ensure_demo_workspace()
    own.save_kinds(store, SYSTEM, ws.id, {"snittinntekt": "mean"})
    csv = (b"kommunenummer;indicator_id;year;value\n0104;snittinntekt;2019;342800\n"
           b"0136;snittinntekt;2019;355800\n5001;snittinntekt;2019;400000\n")
    result = validate_file(csv, "inntekt.csv", choices=own.import_choices(store, ws.id))
    got = values(result)
    assert ("3103", "snittinntekt", 2019) not in got       # Moss 2020 is not 342 800 + 355 800
    assert got[("5001", "snittinntekt", 2019)] == 400000
    assert any(line.code == "merged_not_added"
               for line in result.report.warnings)


def test_the_cli_import_stores_the_kind_and_uses_the_workspace_indicators(tmp_path, capsys, monkeypatch):
    from kommunestrategi.cli import main

    path = tmp_path / "brukere.csv"
    path.write_bytes(MERGED)
    assert main(["import", str(path), "--indicator-kind", "antall_brukere=count", "--json"]) == 0
    capsys.readouterr()
    assert main(["import", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["counts"]["municipalities"] == 2 and out["counts"]["rows"] == 2
    store = Store.open()
    ws = store.ensure_demo_workspace()
    assert own.stored_kinds(store, ws.id) == {"antall_brukere": "count"}
    frame = datasets.uploaded_indicator_values(store, ws.id)
    assert frame[frame["kommunenummer"] == "3103"]["value"].tolist() == [200.0]


def test_own_indicators_travel_with_a_workspace_export(store, tmp_path):
    ws = store.ensure_demo_workspace()
    made = _add_special_education(store, ws)
    own.save_kinds(store, SYSTEM, ws.id, {"antall_brukere": "count"})
    exported = store.export_workspace(ws.id)
    target = Store.open(f"sqlite:///{tmp_path / 'target.sqlite'}")
    copy = target.import_workspace(SYSTEM, exported, "Kopi")
    catalogue = own.workspace_catalogue(target, copy.id)
    assert catalogue[made.id].names["nb"] == "Andel elever med spesialundervisning (fantasi)"
    assert catalogue["antall_brukere"].rule.kind == "sum"
    assert ssb_codes.workspace_map(target, copy.id) == {"12134:KOSAG999000": made.id}
    again = target.export_workspace(copy.id)
    first = json.loads(zipfile.ZipFile(io.BytesIO(exported)).read("workspace.json"))
    second = json.loads(zipfile.ZipFile(io.BytesIO(again)).read("workspace.json"))
    assert first["indicators"] == second["indicators"] and len(first["indicators"]) == 2
