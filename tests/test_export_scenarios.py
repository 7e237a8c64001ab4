"""The strategy export's scenario section from the workshop board."""

from __future__ import annotations

import pytest

from kommunestrategi.export.collect import council_document
from kommunestrategi.export.model import Paragraph, Table
from kommunestrategi.scenarios.model import CRITERIA
from kommunestrategi.store import Actor, Store
from kommunestrategi.store import scenarios as S

SECRETARIAT = Actor("Siri", "secretariat")
MEMBERS = ["5001", "5028", "5029", "5031", "5059"]


@pytest.fixture
def store(tmp_path):
    store = Store.open(f"sqlite:///{tmp_path / 'export.sqlite'}")
    yield store
    store.close()


def _section(document, key: str):
    return next(s for s in document.sections if s.key == key)


def test_scenario_section_shows_board_scores_ranking_and_flip(store) -> None:
    ws = store.ensure_demo_workspace()
    S.save_methods(store, SECRETARIAT, ws.id, {c: "workshop" for c in CRITERIA} | {"capacity": "measured"})
    status = S.save_scenario(store, SECRETARIAT, ws.id, "Status quo", "status_quo", MEMBERS)
    merger = S.save_scenario(store, SECRETARIAT, ws.id, "Storkommune", "merger", MEMBERS)
    S.save_score(store, SECRETARIAT, ws.id, status.id, "identity", 5, "")
    S.save_score(store, SECRETARIAT, ws.id, merger.id, "identity", 2, "")
    S.save_weights(store, Actor("Kari", "secretariat"), ws.id, {"capacity": 1, "identity": 3})
    document = council_document(store, ws, "5001", "nb", draw_map=False)
    section = _section(document, "scenarios")
    tables = [b for b in section.blocks if isinstance(b, Table)]
    ranking = tables[0]
    assert [str(row[0]) for row in ranking.rows] == ["Status quo", "Storkommune"]
    # shares 1/4 capacity, 3/4 identity: status quo 0.25*2 + 0.75*5 = 4.25, merger 0.25*5 + 0.75*2 = 2.75
    assert [str(row[5]) for row in ranking.rows] == ["4,25", "2,75"]
    criteria = tables[1]
    capacity = next(r for r in criteria.rows if r[0] == "Tilstrekkelig kapasitet")
    assert capacity[1] == "Målt" and [str(c) for c in capacity[2:]] == ["2,0", "5,0"]
    texts = " ".join(b.text for b in section.blocks if isinstance(b, Paragraph)).replace("\xa0", " ")
    assert "«Tilstrekkelig kapasitet» fra 25,0 % til 50,0 %" in texts
    assert "Status quo leder så lenge vekten er mellom 0,0 % og 50,0 %" in texts


def test_without_a_board_the_saved_regions_are_compared(store) -> None:
    ws = store.ensure_demo_workspace()
    store.save_region(SECRETARIAT, ws.id, "Trondheim og Melhus", ["5001", "5028"])
    section = _section(council_document(store, ws, "5001", "nb", draw_map=False), "scenarios")
    table = next(b for b in section.blocks if isinstance(b, Table))
    assert table.rows[0][0] == "Trondheim og Melhus"


def test_scenario_section_shows_the_cooperation_criteria_where_they_apply(store) -> None:
    ws = store.ensure_demo_workspace()
    coop = S.save_scenario(store, SECRETARIAT, ws.id, "Samarbeid", "cooperation", MEMBERS)
    S.save_scenario(store, SECRETARIAT, ws.id, "Storkommune", "merger", MEMBERS)
    S.save_score(store, SECRETARIAT, ws.id, coop.id, "coop_ownership", 4, "eierskapsmelding")
    section = _section(council_document(store, ws, "5001", "nb", draw_map=False), "scenarios")
    tables = [b for b in section.blocks if isinstance(b, Table)]
    seven = tables[2]
    assert seven.caption.startswith("Sju kriterier for samarbeid")
    assert [r[0] for r in seven.rows][:2] == ["Samarbeid: vite hvorfor", "Samarbeid: gode partnere"]
    ownership = next(r for r in seven.rows if r[0] == "Samarbeid: eierstrategi og styring")
    assert ownership[1] == "Vurdert i verkstedet" and [str(c) for c in ownership[2:]] == ["4,0", "gjelder ikke (3)"]
    partners = next(r for r in seven.rows if r[0] == "Samarbeid: gode partnere")
    # no register in this workspace: judged in the workshop, and the document says why
    assert partners[1].startswith("Vurdert i verkstedet (Samarbeidsregisteret er tomt")
