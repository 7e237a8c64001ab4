"""Service-point coverage as a scenario card's headline figure: from the scenario's own
layer, else the workspace's; no line at all without service points."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from kommunestrategi import geo
from kommunestrategi.servicepoints.layers import save_layer, scenario_layer
from kommunestrategi.servicepoints.model import point_from_dict
from kommunestrategi.servicepoints.scenarios import scenario_coverage
from kommunestrategi.store import Actor, Store
from kommunestrategi.store import scenarios as S

APP = str(Path(__file__).resolve().parent.parent / "app.py")
SECRETARIAT = Actor("Siri", "secretariat")
MEMBERS = ["5001", "5028", "5029", "5031", "5059"]


@pytest.fixture
def store():
    store = Store.open()
    store.ensure_demo_workspace()
    yield store
    store.close()


def _centre(code: str) -> list[dict]:
    return [{"name": f"Servicesenter {code}", "kind": "centre", "kommunenummer": code, "agencies": ["nav"]}]


def _expected_share(geography, members: list[str], centre: str, km: float) -> float:
    """Each member's whole population counts when its centre is within ``km`` of ``centre``'s."""
    centres = geography.centres
    population = geography.units.set_index("kommunenummer")["population"].astype(float)
    here = centres.loc[centre, ["x", "y"]].to_numpy(dtype=float)
    covered = [c for c in members
               if np.hypot(*(centres.loc[c, ["x", "y"]].to_numpy(dtype=float) - here)) / 1000 <= km]
    return float(population[covered].sum() / population[members].sum())


def test_scenario_coverage_from_its_own_layer_or_the_workspace(store) -> None:
    demo = store.get_workspace("Demo").id
    geography = geo.bundled()
    scenario = S.save_scenario(store, SECRETARIAT, demo, "Storkommune", "merger", MEMBERS)
    assert scenario_coverage(store, demo, scenario.id, MEMBERS, geography) is None  # no service points yet

    save_layer(store, SECRETARIAT, demo, [point_from_dict(p) for p in _centre("5001") + _centre("5025")])
    base = scenario_coverage(store, demo, scenario.id, MEMBERS, geography)
    assert base.layer == "base" and base.method == "centres" and base.points == 1  # Røros is outside
    assert base.without_centre == ("5028", "5029", "5031", "5059")
    assert base.share == pytest.approx(_expected_share(geography, MEMBERS, "5001", 20))
    assert 0.5 < base.share < 1.0
    wider = scenario_coverage(store, demo, scenario.id, MEMBERS, geography, distance_km=100)
    assert wider.share == pytest.approx(1.0)

    # the scenario's own layer wins: a centre in Orkland only
    save_layer(store, SECRETARIAT, demo, [point_from_dict(p) for p in _centre("5059")], scenario_layer(scenario.id))
    own = scenario_coverage(store, demo, scenario.id, MEMBERS, geography)
    assert own.layer == "scenario" and own.points == 1
    assert own.without_centre == ("5001", "5028", "5029", "5031")
    assert own.share == pytest.approx(_expected_share(geography, MEMBERS, "5059", 20))
    # an emptied scenario layer is still the scenario's: nothing covered
    save_layer(store, SECRETARIAT, demo, [], scenario_layer(scenario.id))
    empty = scenario_coverage(store, demo, scenario.id, MEMBERS, geography)
    assert empty.layer == "scenario" and empty.points == 0 and empty.share == 0.0


def test_scenario_card_shows_the_coverage_line(store) -> None:
    demo = store.get_workspace("Demo").id
    S.save_scenario(store, SECRETARIAT, demo, "Storkommune", "merger", MEMBERS)
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    at.switch_page("views/scenarier.py").run()
    assert not at.exception, at.exception
    assert not any("Servicepunkter:" in m.value for m in at.markdown)  # none without service points

    save_layer(store, SECRETARIAT, demo, [point_from_dict(p) for p in _centre("5001")])
    at.run()
    assert not at.exception, at.exception
    share = _expected_share(geo.bundled(), MEMBERS, "5001", 20)
    line = next(m.value for m in at.markdown if m.value.startswith("**Servicepunkter:**"))
    assert line == (f"**Servicepunkter:** {round(share * 100)} % av innbyggerne innen 20 km (anslått fra "
                    "kommunesentrene) · 4 av 5 kommuner uten servicesenter · dagens servicepunkter (1 i området)")
