"""The cooperation network (networkx layout, plotly figure) and the partner lines on the map."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from kommunestrategi.cooperation import Arrangement
from kommunestrategi.cooperation import figures as cf

ARRANGEMENTS = [
    Arrangement("A", "Barnevern", ("5028", "5029")),
    Arrangement("B", "IKT", ("5028", "5029", "5059")),
    Arrangement("C", "Legevakt", ("5028", "5029", "5001")),
    Arrangement("D", "Revisjon", ("5028", "5029", "5001", "1106")),
    Arrangement("E", "Krisesenter", ("1106", "1151")),
]
NAMES = {"5028": "Melhus", "5029": "Skaun", "5059": "Orkland", "5001": "Trondheim", "1106": "Haugesund",
         "1151": "Utsira"}
COUNTIES = {c: ("Trøndelag" if c.startswith("50") else "Rogaland") for c in NAMES}
CENTRES = pd.DataFrame({"x": [0.0, 1, 2, 3, 4, 5], "y": [0.0, 1, 0, 1, 0, 1],
                        "lon": [10.3, 10.1, 9.7, 10.4, 5.3, 4.9], "lat": [63.2, 63.3, 63.3, 63.4, 59.4, 59.3]},
                       index=["5028", "5029", "5059", "5001", "1106", "1151"])


def test_network_nodes_links_and_layout():
    net = cf.network(ARRANGEMENTS, CENTRES)
    assert net.arrangements == {"5028": 4, "5029": 4, "5059": 1, "5001": 2, "1106": 2, "1151": 1}
    assert net.links[0] == ("5028", "5029", 4)  # strongest first
    assert ("1106", "1151", 1) in net.links and net.links_total == len(net.links) == 9
    assert set(net.positions) == set(NAMES)
    assert cf.network(ARRANGEMENTS, CENTRES).positions == net.positions  # the same layout on a rerun


def test_network_figure_sizes_colours_widths_and_names():
    net = cf.network(ARRANGEMENTS, CENTRES)
    fig = cf.network_figure(net, NAMES, COUNTIES, highlight=["5059"])
    nodes = {t.name: t for t in fig.data if t.mode == "markers"}
    assert set(nodes) == {"Rogaland", "Trøndelag"}  # colour = county
    assert nodes["Rogaland"].marker.color != nodes["Trøndelag"].marker.color
    trondelag = dict(zip(nodes["Trøndelag"].customdata, nodes["Trøndelag"].marker.size, strict=True))
    assert trondelag["5028"] == 20.0 and trondelag["5059"] < trondelag["5001"] < trondelag["5028"]  # size = count
    widths = {t.name: t.line.width for t in fig.data if t.mode == "lines"}
    assert widths == {"shared: 1": 0.6, "shared: 2–3": 1.4, "shared: 4–7": 2.6}
    (labels,) = [t for t in fig.data if t.mode == "text"]
    assert sorted(labels.text) == ["Melhus", "Orkland", "Skaun"]  # the chosen one and its partners


def test_partner_lines_on_the_map_by_shared_arrangements():
    net = cf.network(ARRANGEMENTS, CENTRES)
    fig = cf.add_partner_lines(go.Figure(), [link for link in net.links if "5028" in link[:2]], CENTRES)
    lines = {t.name: t for t in fig.data}
    assert set(lines) == {"shared: 1", "shared: 2–3", "shared: 4–7"}  # as in the network's legend
    strongest = lines["shared: 4–7"]
    assert list(strongest.lon) == [10.3, 10.1, None] and list(strongest.lat) == [63.2, 63.3, None]  # Melhus-Skaun
    assert strongest.line.width > lines["shared: 2–3"].line.width > lines["shared: 1"].line.width
