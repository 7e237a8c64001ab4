"""Region proposals: contiguous, above the threshold where the area allows, every
municipality exactly once."""

from __future__ import annotations

from types import SimpleNamespace

import networkx as nx
import pandas as pd
import pytest

from kommunestrategi import geo
from kommunestrategi.codes import UnknownMunicipality
from kommunestrategi.scenarios import proposals


def _check(proposal: proposals.Proposal, geography, area: list[str]) -> None:
    members = [c for r in proposal.regions for c in r.members]
    assert sorted(members) == sorted(area)  # every municipality exactly once
    assert len(members) == len(set(members))
    graph = geography.neighbour_graph.subgraph(area)
    components = [set(c) for c in nx.connected_components(graph)]
    population = geography.units.set_index("kommunenummer")["population"].fillna(0)
    for region in proposal.regions:
        assert nx.is_connected(graph.subgraph(region.members)), region.members
        assert region.population == int(population[list(region.members)].sum())
        if region.population < proposal.min_population:
            # only where the connected part of the area it lies in has too few inhabitants
            part = next(c for c in components if region.members[0] in c)
            assert set(region.members) == part
            assert not region.meets_threshold
        else:
            assert region.meets_threshold


def test_trondelag_regions_are_contiguous_and_above_15000() -> None:
    geography = geo.bundled()
    area = proposals.area_codes("Trøndelag", geography)
    assert len(area) == 38 and area == proposals.area_codes("50", geography)
    proposal = proposals.propose(area, geography)
    _check(proposal, geography, area)
    assert all(r.population >= 15_000 for r in proposal.regions)
    assert len(proposal.regions) >= 6  # not one big region: compact ones
    trondheim = next(r for r in proposal.regions if "5001" in r.members)
    assert trondheim.largest == "5001"


@pytest.mark.parametrize("threshold", [5_000, 20_000, 50_000])
def test_other_thresholds_hold_for_a_county(threshold: int) -> None:
    geography = geo.bundled()
    area = proposals.area_codes("Nordland", geography)
    proposal = proposals.propose(area, geography, threshold)
    _check(proposal, geography, area)


def test_all_of_norway_is_covered_and_islands_without_links_stay_alone() -> None:
    geography = geo.bundled()
    area = proposals.area_codes("all", geography)
    proposal = proposals.propose(area, geography)
    _check(proposal, geography, area)
    assert proposal.as_json({})["below_threshold"] == sum(not r.meets_threshold for r in proposal.regions)


def test_a_selection_with_a_detached_member_flags_it() -> None:
    geography = geo.bundled()
    # Trondheim and its neighbours plus Oslo, which has no link to them
    area = ["5001", "5028", "5029", "5031", "0301"]
    proposal = proposals.propose(area, geography, 800_000)
    _check(proposal, geography, area)
    below = [r for r in proposal.regions if not r.meets_threshold]
    assert {r.members for r in below} == {("5001", "5028", "5029", "5031"), ("0301",)}


def _line_geography(populations: dict[str, int], xs: dict[str, float]) -> SimpleNamespace:
    codes = list(populations)
    graph = nx.path_graph(codes)
    units = pd.DataFrame({"kommunenummer": codes, "population": [populations[c] for c in codes]})
    centres = pd.DataFrame({"x": [xs[c] for c in codes], "y": 0.0}, index=codes)
    return SimpleNamespace(units=units, centres=centres, neighbour_graph=graph)


def test_compactness_and_existing_arrangements_decide_where_a_small_member_goes() -> None:
    # a (12) - b (5) - c (12) in a line; b is 10 km from a and 11 km from c; threshold 12
    geography = _line_geography({"0001": 12_000, "0002": 5_000, "0003": 12_000},
                                {"0001": 0.0, "0002": 10_000.0, "0003": 21_000.0})
    plain = proposals.propose(["0001", "0002", "0003"], geography, 12_000)
    assert sorted(r.members for r in plain.regions) == [("0001", "0002"), ("0003",)]
    together = proposals.propose(["0001", "0002", "0003"], geography, 12_000, affinity={("0002", "0003"): 1})
    assert sorted(r.members for r in together.regions) == [("0001",), ("0002", "0003")]


def test_local_improvement_moves_an_edge_member_to_a_closer_region() -> None:
    # a (20) - b (1) - c (1) - d (20): c is 1 km from d, 30 km from a
    geography = _line_geography({"0001": 20_000, "0002": 1_000, "0003": 1_000, "0004": 20_000},
                                {"0001": 0.0, "0002": 10_000.0, "0003": 29_000.0, "0004": 30_000.0})
    proposal = proposals.propose(["0001", "0002", "0003", "0004"], geography, 15_000)
    assert sorted(r.members for r in proposal.regions) == [("0001", "0002"), ("0003", "0004")]


def test_area_codes_reads_counties_names_and_numbers() -> None:
    geography = geo.bundled()
    assert proposals.area_codes("5001,5028", geography) == ["5001", "5028"]
    assert proposals.area_codes(["Trondheim", "Melhus"], geography) == ["5001", "5028"]
    with pytest.raises(UnknownMunicipality):
        proposals.area_codes("Atlantis", geography)
