"""Gathering a council's summary from the store: answers, strategy, region, indicators, datasets."""

import pytest

from kommunestrategi.export.collect import UnknownCouncil, collect, council_document, resolve_council
from kommunestrategi.export.document import Fields, Notice
from kommunestrategi.store import SYSTEM, Store
from tests.export_samples import FORMULA, LONG, NORDIC, SCRIPT


@pytest.fixture
def filled():
    store = Store.open()
    ws = store.ensure_demo_workspace()
    save = lambda c, f, v: store.save_answer(SYSTEM, ws.id, "5001", "barnevern", c, f, v, None)  # noqa: E731
    save("why", "problem", NORDIC)
    save("why", "effect", LONG)
    save("strategy", "approach", "cooperation")
    save("strategy", "rationale", FORMULA)
    save("strategy", "timeline", SCRIPT)
    save("partners", "partners", ["5028", "5031"])
    save("partners", "host", "5001")
    save("form", "legal_form", "iks")
    save("exit", "review_date", "2020-01-01")
    store.save_region(SYSTEM, ws.id, "Trondheimsregionen", ["5001", "5028", "5029", "5031"])
    store.save_weights(SYSTEM, ws.id, "scenarios", {"Kapasitet": 0.7, "Nærhet": 0.3})
    return store, ws


def test_stored_answers_reach_the_document(filled):
    store, ws = filled
    document = council_document(store, ws, "5001", draw_map=False)
    texts = list(document.texts())
    for answer in (NORDIC, LONG, FORMULA, SCRIPT):
        assert answer in texts
    strategy = next(s for s in document.walk() if s.key == "strategy.barnevern")
    items = dict(strategy.blocks[0].items)
    assert items["Valgt vei"] == "Samarbeid"
    assert items["Partnere"] == "5028 Melhus, 5031 Malvik"
    assert isinstance(strategy.blocks[0], Fields)


def test_region_follows_the_strategy_partners_and_draws_a_map(filled):
    store, ws = filled
    data = collect(store, ws, "5001")
    assert data.region.codes == ["5001", "5028", "5031"]
    assert data.region.map_png.startswith(b"\x89PNG")


def test_key_figures_have_year_source_and_comparisons(filled):
    store, ws = filled
    data = collect(store, ws, "5001", draw_map=False)
    population = next(r for r in data.indicators if r.name == "Folketall")
    assert population.year == 2026 and "07459" in population.source
    labels = [label for label, _ in population.comparisons]
    assert labels[0] == "Regionen" and labels[-1] == "Landet"


def test_scenarios_weights_and_consistency_warnings(filled):
    store, ws = filled
    data = collect(store, ws, "5001", draw_map=False)
    assert [s.name for s in data.scenarios] == ["Trondheimsregionen"]
    assert data.weights == {"Kapasitet": 0.7, "Nærhet": 0.3}
    assert data.areas[0].review_date.isoformat() == "2020-01-01"
    document = council_document(store, ws, "5001", draw_map=False)
    warnings = [b.text for s in document.walk() for b in s.blocks if isinstance(b, Notice) and b.kind == "warning"]
    assert warnings  # overdue review at least


def test_council_with_nothing_filled_in(filled):
    store, ws = filled
    document = council_document(store, ws, "5029", draw_map=False)
    missing = [b.text for s in document.walk() for b in s.blocks if isinstance(b, Notice) and b.kind == "missing"]
    assert any("tjenesteområder" in m for m in missing)
    # 5029 Skaun is in the saved region, which is then the one shown
    assert next(s for s in document.sections if s.key == "region").blocks[0].text.startswith("Trondheimsregionen")


def test_resolve_council_by_number_or_name(filled):
    store, ws = filled
    assert resolve_council(store, ws.id, "5001") == ("5001", "Trondheim")
    assert resolve_council(store, ws.id, "Trondheim")[0] == "5001"
    with pytest.raises(UnknownCouncil):
        resolve_council(store, ws.id, "0301")
    with pytest.raises(UnknownCouncil):
        resolve_council(store, ws.id, "Atlantis")


class _BrokenRegions:
    """A store whose saved regions cannot be read (e.g. a database hiccup)."""

    def __init__(self, store):
        self._store = store

    def __getattr__(self, name):
        return getattr(self._store, name)

    def list_regions(self, workspace_id):
        raise RuntimeError("database is locked")


def test_a_part_that_fails_is_named_and_the_rest_still_exported(filled):
    store, ws = filled
    data = collect(_BrokenRegions(store), ws, "5001", draw_map=False)
    assert data.scenarios == [] and data.areas
    assert any("Sammenligning av scenarier" in text for text in data.unavailable)


def test_imported_figures_come_first_and_dataset_versions_are_listed(filled):
    import pandas as pd

    store, ws = filled
    table = pd.DataFrame({"kommunenummer": ["5001", "5028", "5031"], "indicator_id": "sykefravaer_pct",
                          "year": 2024, "value": [9.5, 8.0, 7.0]})
    version = store.add_dataset_version(SYSTEM, ws.id, "indicators", "sykefravær æøå.xlsx", "f0" * 32,
                                        {"rows": 3}, [], {"indicator_values": table})
    data = collect(store, ws, "5001", draw_map=False)
    first = data.indicators[0]
    assert first.value == 9.5 and first.year == 2024
    assert [d.sha256 for d in data.datasets] == ["f0" * 32] and data.datasets[0].id == version.id
    document = council_document(store, ws, "5001", draw_map=False)
    texts = list(document.texts())
    assert "f0" * 32 in texts and "sykefravær æøå.xlsx" in texts


def test_the_summary_uses_the_workspaces_active_2024_boundaries(real_data):
    import geopandas as gpd

    from kommunestrategi import geo
    from kommunestrategi.geometry import ANALYSIS_TOLERANCE_M, simplify_coverage

    store = Store.open()
    ws = store.create_workspace(SYSTEM, "Nordmøre og Romsdal", ["1508", "1580"])
    raw = gpd.read_file(real_data / "kartverket_kommuner_2024_small.geojson")
    raw = raw[["kommunenummer", "kommunenavn", "geometry"]].rename(columns={"kommunenavn": "name"})
    table = geo.boundaries_to_table(simplify_coverage(raw, ANALYSIS_TOLERANCE_M))
    store.add_dataset_version(SYSTEM, ws.id, "boundaries", "kommuner_2024.geojson", "2" * 64,
                              {"municipalities": 357}, [], {"boundaries": table})
    store.save_region(SYSTEM, ws.id, "Ålesund og Haram", ["1508", "1580"])
    data = collect(store, ws, "1580", "nb")
    assert not data.unavailable
    assert data.region is not None and data.region.codes == ["1508", "1580"]
    assert data.region.names == ["Ålesund", "Haram"]      # two municipalities, not one 2020 unit
    assert data.region.map_png and data.region.map_png.startswith(b"\x89PNG")
