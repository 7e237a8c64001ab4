"""Which municipalities are neighbours: over land, across a short stretch of water, or by sea.

A set of boundaries (land polygons in a metric CRS) gives three kinds of links:

``border``
    The two share a border (longer than ``MIN_BORDER_M``; or, for boundaries that
    are not a clean coverage, run within ``SNAP_M`` of each other for ``SNAP_BORDER_M``).
``gap``
    No shared border, but less than ``GAP_NEIGHBOUR_M`` apart across water only: the
    straight line between them may not run over anybody's land (so Oslo and Hole,
    1.5 km apart through Bærum, are not neighbours).
``sea``
    They face each other across open sea within ``SEA_NEIGHBOUR_M``: from some point
    on the coast of one, the nearest land of any other municipality belongs to the
    other, and the straight line to it runs over water only (Røst-Værøy,
    Karmøy-Utsira, Trondheim-Indre Fosen across the fjord).

"Water" is everything outside the polygons, so the boundaries must cover the land
(lakes belong to municipalities, the sea to none), as Kartverket's and SCB's do.
Two municipalities that touch at a single point (a corner, shorter than
``MIN_BORDER_M``) are not neighbours: they share no border and no water.

A neighbouring country's land is outside the polygons too, so it would pass for
water. Where the boundaries' outline follows a known national land border
(``LAND_BORDERS``: Norway's, from the head of Iddefjorden past the Treriksrøysa
tripoint to the mouth of Jakobselva), a strip of ``FOREIGN_STRIP_M`` on the border's
outer side stands for the foreign land, and a ``gap`` or ``sea`` link whose
straight line runs over it is dropped (Storfjord-Nordreisa across Finland,
Sør-Varanger-Deatnu). Boundaries whose outline does not pass through all anchor
points of a border (another country's, or a part of Norway) get no such strip.

Building the links takes a few seconds for a whole country, so the result is
stored: the bundled boundaries carry theirs (``data/kommuner_avledet.json``, made by
``scripts/build_data.py``) and uploaded boundaries are cached on disk under a key
made of the boundaries' hash and ``ALGORITHM``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

#: Borders shorter than this (metres) are treated as a corner touch, not a border.
MIN_BORDER_M = 1.0
#: Boundaries this close (metres) along at least ``SNAP_BORDER_M`` share a border even
#: where their lines do not coincide (files that are not a clean coverage).
SNAP_M = 50.0
SNAP_BORDER_M = 500.0
#: Municipalities closer than this (metres) across water only are ``gap`` neighbours.
GAP_NEIGHBOUR_M = 5_000.0
#: Municipalities facing each other across open sea within this (metres) are ``sea`` neighbours.
SEA_NEIGHBOUR_M = 25_000.0
#: Coast points are taken at most this far apart (metres) when looking for sea neighbours.
COAST_SPACING_M = 500.0
#: Size of the cells (metres) the sea is divided into among the municipalities.
SEA_CELL_M = 1_000.0
#: Land a water link may cross (metres): slivers where a line leaves a simplified coast.
LAND_TOLERANCE_M = 100.0
#: Known national land borders as anchor points (lon, lat, EPSG:4326) on the outline of
#: the country's land: where the border leaves the coast, a point on the border, and
#: where it reaches the coast again. Norway: head of Iddefjorden (Sweden), the
#: Treriksrøysa tripoint of Norway, Sweden and Finland, the mouth of Jakobselva (Russia).
LAND_BORDERS: dict[str, tuple[tuple[float, float], ...]] = {
    "NO": ((11.4437, 59.0197), (20.5490, 69.0595), (30.8239, 69.7829)),
}
#: How near (metres) the outline must pass each anchor for the border to apply.
ANCHOR_TOLERANCE_M = 3_000.0
#: Width (metres) of the strip beyond a land border that stands for the foreign land.
FOREIGN_STRIP_M = 15_000.0
#: The CRS of the polygons given to ``compute_links`` (the anchors are projected to it).
METRIC_CRS = 25833
#: Version of the rules above; part of every cache key, so a change rebuilds the links.
ALGORITHM = 5

KINDS = ("border", "gap", "sea")


@dataclass(frozen=True)
class Contiguity:
    """Whether a set of units forms one connected area, and over which links."""

    contiguous: bool
    #: Connected groups, largest first (by member count, then population).
    components: tuple[tuple[str, ...], ...]
    #: Members outside the largest group.
    cut_off: tuple[str, ...]
    #: Links across a short stretch of water between members (pairs of numbers).
    gap_links: tuple[tuple[str, str], ...]
    #: Links across open sea between members (pairs of numbers).
    sea_links: tuple[tuple[str, str], ...] = ()
    #: The links that tie the members together, closest kind first: a spanning
    #: forest that uses a gap only where no border will do, and the sea only where
    #: neither will (``(a, b, kind)``).
    used_links: tuple[tuple[str, str, str], ...] = ()

    @property
    def link_kinds(self) -> tuple[str, ...]:
        """The kinds of link the connection needs, in ``KINDS`` order."""
        used = {kind for *_, kind in self.used_links}
        return tuple(kind for kind in KINDS if kind in used)

    @property
    def connection(self) -> str:
        """``land`` (borders only), ``water`` (needs a gap or sea link) or ``none`` (not contiguous)."""
        if not self.contiguous:
            return "none"
        return "land" if set(self.link_kinds) <= {"border"} else "water"


def adjacency(codes: list[str], links: list[dict] | tuple[dict, ...]) -> dict[str, dict[str, str]]:
    """Unit number -> {neighbour number: link kind}, for every unit in ``codes``."""
    adj: dict[str, dict[str, str]] = {str(code): {} for code in codes}
    for link in links:
        adj.setdefault(link["a"], {})[link["b"]] = link["kind"]
        adj.setdefault(link["b"], {})[link["a"]] = link["kind"]
    return adj


def contiguity(codes: list[str], adj: Mapping[str, Mapping[str, str]],
               population: Mapping[str, float | int | None]) -> Contiguity:
    """Connectivity of ``codes`` over shared borders, short water gaps and the sea.

    ``adj`` is the graph (see ``adjacency``); ``population`` orders the groups of a
    region that falls apart (a missing figure counts as 0).
    """
    members = list(dict.fromkeys(codes))
    inside = set(members)
    edges = sorted(
        (KINDS.index(kind), a, b, kind)
        for a in members for b, kind in adj.get(a, {}).items()
        if b in inside and a < b
    )
    # Kruskal: borders first, then gaps, then sea; the forest shows what is needed.
    parent = {code: code for code in members}

    def root(code: str) -> str:
        while parent[code] != code:
            parent[code] = parent[parent[code]]
            code = parent[code]
        return code

    used = []
    for _, a, b, kind in edges:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[ra] = rb
            used.append((a, b, kind))
    groups: dict[str, list[str]] = {}
    for code in members:
        groups.setdefault(root(code), []).append(code)

    def people(comp: tuple[str, ...]) -> int:
        return int(sum(population.get(code) or 0 for code in comp))

    components = sorted((tuple(sorted(group)) for group in groups.values()),
                        key=lambda comp: (-len(comp), -people(comp), comp))
    cut_off = tuple(sorted(code for comp in components[1:] for code in comp))
    return Contiguity(
        contiguous=len(components) <= 1, components=tuple(components), cut_off=cut_off,
        gap_links=tuple((a, b) for _, a, b, kind in edges if kind == "gap"),
        sea_links=tuple((a, b) for _, a, b, kind in edges if kind == "sea"),
        used_links=tuple(sorted(used)),
    )


def boundary_key(codes: list[str], geoms: Any) -> str:
    """A hash of the codes and geometries (WKB), with ``ALGORITHM``: the cache key of the links."""
    import numpy as np
    import shapely

    digest = hashlib.sha256(f"neighbours-v{ALGORITHM}".encode())
    for code, wkb in zip(codes, shapely.to_wkb(np.asarray(geoms, dtype=object), hex=False), strict=True):
        digest.update(str(code).encode())
        digest.update(b"\0")
        digest.update(wkb)
    return digest.hexdigest()


def _land_crossed(segments: np.ndarray, geoms: np.ndarray, tree: Any) -> np.ndarray:
    """Metres of land (any polygon) each segment runs over."""
    import numpy as np
    import shapely

    land = np.zeros(len(segments))
    seg_idx, geom_idx = tree.query(segments, predicate="intersects")
    if len(seg_idx):
        lengths = shapely.length(shapely.intersection(segments[seg_idx], geoms[geom_idx]))
        np.add.at(land, seg_idx, lengths)
    return land


def _foreign_crossed(segments: Any, foreign: Any) -> Any:
    """Metres of each segment over the foreign strip (zeros without one)."""
    import numpy as np
    import shapely

    if foreign is None:
        return np.zeros(len(segments))
    return shapely.length(shapely.intersection(segments, foreign))


def land_border(geoms: Any, country: str = "NO") -> Any:
    """The national land border of ``country`` as a line along the outline of ``geoms``
    (polygons in ``METRIC_CRS``), or None when the outline misses an anchor point."""
    import shapely
    from pyproj import Transformer

    land = shapely.union_all(shapely.make_valid(shapely.buffer(geoms, 0)))
    parts = shapely.get_parts(land)
    if not len(parts):
        return None
    ring = shapely.get_exterior_ring(max(parts, key=shapely.area))
    lon, lat = zip(*LAND_BORDERS[country], strict=True)
    x, y = Transformer.from_crs(4326, METRIC_CRS, always_xy=True).transform(lon, lat)
    anchors = shapely.points(list(zip(x, y, strict=True)))
    if any(shapely.distance(ring, anchor) > ANCHOR_TOLERANCE_M for anchor in anchors):
        return None
    start, middle, end = (float(shapely.line_locate_point(ring, anchor)) for anchor in anchors)
    length = float(shapely.length(ring))
    ahead = (end - start) % length
    if (middle - start) % length > ahead:       # the border runs the other way round
        start, end, ahead = end, start, length - ahead
    pieces = ([shapely.ops.substring(ring, start, start + ahead)] if start + ahead <= length else
              [shapely.ops.substring(ring, start, length), shapely.ops.substring(ring, 0, start + ahead - length)])
    return shapely.line_merge(shapely.union_all(pieces))


def foreign_strip(geoms: Any) -> Any:
    """The land beyond every known national land border along the outline of ``geoms``:
    a strip ``FOREIGN_STRIP_M`` wide on the border's outer side (None without a border)."""
    import shapely
    import shapely.ops  # noqa: F401 - substring in land_border

    strips = []
    for country in LAND_BORDERS:
        border = land_border(geoms, country)
        if border is None:
            continue
        # the side of the line away from the country's land (less that land): abroad
        land = shapely.union_all(geoms)
        sides = [shapely.buffer(border, width, single_sided=True)
                 for width in (FOREIGN_STRIP_M, -FOREIGN_STRIP_M)]
        outer = min(sides, key=lambda side: float(shapely.area(shapely.intersection(side, land))))
        strips.append(shapely.difference(outer, land))
    return shapely.union_all(strips) if strips else None


def compute_links(codes: list[str], geoms: Any) -> list[dict]:
    """All neighbour links between ``codes`` (polygons ``geoms`` in a metric CRS, metres).

    Returns dicts ``{"a", "b", "kind", "distance_m"}`` with ``a < b``, sorted; the
    distance is 0 for borders and the water crossing for ``gap``/``sea`` links.
    """
    import numpy as np
    import shapely

    codes = [str(c) for c in codes]
    geoms = np.asarray(geoms, dtype=object)
    tree = shapely.STRtree(geoms)
    links: dict[tuple[int, int], tuple[str, float]] = {}
    foreign = foreign_strip(geoms)

    # 1. Borders, and the nearest points of close pairs without a border.
    left, right = tree.query(geoms, predicate="dwithin", distance=GAP_NEIGHBOUR_M)
    keep = left < right
    left, right = left[keep], right[keep]
    boundaries = shapely.boundary(geoms)
    shared = shapely.length(shapely.intersection(boundaries[left], boundaries[right]))
    border = shared >= MIN_BORDER_M
    for i, j in zip(left[border], right[border], strict=True):
        links[(int(i), int(j))] = ("border", 0.0)
    gi, gj = left[~border], right[~border]
    if len(gi):
        lines = shapely.shortest_line(geoms[gi], geoms[gj])
        length = shapely.length(lines)
        # Boundaries that are not a clean coverage (overlaps, slivers) share no line
        # exactly; a long stretch of one within SNAP_M of the other is a border too.
        near = np.flatnonzero(length <= SNAP_M)
        if len(near):
            along = shapely.length(shapely.intersection(
                boundaries[gi[near]], shapely.buffer(geoms[gj[near]], SNAP_M)))
            for k, metres in zip(near, along, strict=True):
                if metres >= SNAP_BORDER_M:
                    links[(int(gi[k]), int(gj[k]))] = ("border", 0.0)
        land = _land_crossed(lines, geoms, tree)
        abroad = _foreign_crossed(lines, foreign)
        for i, j, dist, over, out in zip(gi, gj, length, land, abroad, strict=True):
            # touching at a corner only is no border and no water between them
            if (dist >= MIN_BORDER_M and over <= LAND_TOLERANCE_M and out <= LAND_TOLERANCE_M
                    and (int(i), int(j)) not in links):
                links[(int(i), int(j))] = ("gap", float(dist))

    # 2. Facing across open sea: the sea is divided among the municipalities by
    # nearest land (median lines, as sea borders are drawn); two whose parts of
    # the sea meet, within SEA_NEIGHBOUR_M of both together, face each other.
    # A gap stays a gap (its straight line is over water); the cells' estimate of
    # the way over water is never shorter than the pair's true distance.
    borders = [pair for pair, (kind, _) in links.items() if kind == "border"]
    contacts = {pair: dist for pair, dist in _sea_zone_contacts(geoms, boundaries, borders, foreign).items()
                if pair not in links}
    if contacts:
        pairs = np.array(list(contacts), dtype=int).reshape(-1, 2)
        exact = shapely.distance(geoms[pairs[:, 0]], geoms[pairs[:, 1]])
        abroad = _foreign_crossed(shapely.shortest_line(geoms[pairs[:, 0]], geoms[pairs[:, 1]]), foreign)
        for (pair, dist), least, out in zip(contacts.items(), exact, abroad, strict=True):
            if out <= LAND_TOLERANCE_M:
                links[pair] = ("sea", max(dist, float(least)))

    out = []
    for (i, j), (kind, dist) in links.items():
        a, b = sorted((codes[i], codes[j]))
        out.append({"a": a, "b": b, "kind": kind, "distance_m": round(dist, 1)})
    return sorted(out, key=lambda link: (link["a"], link["b"]))


def _grow(mask: np.ndarray, steps: int) -> np.ndarray:
    """``mask`` grown by ``steps`` cells in every direction (a square around each cell)."""
    out = mask
    for axis in (0, 1):
        grown = out.copy()
        for k in range(1, steps + 1):
            if axis == 0:
                grown[k:, :] |= out[:-k, :]
                grown[:-k, :] |= out[k:, :]
            else:
                grown[:, k:] |= out[:, :-k]
                grown[:, :-k] |= out[:, k:]
        out = grown
    return out


def _sea_zone_contacts(geoms: np.ndarray, boundaries: np.ndarray,
                       skip: list[tuple[int, int]] = (), foreign: Any = None) -> dict[tuple[int, int], float]:
    """Pairs (i < j) whose zones of nearest sea touch, with the shortest way over water (metres).

    The sea near the coast is cut into ``SEA_CELL_M`` cells; each cell belongs to the
    municipality with the nearest coast point. Two side-by-side sea cells of different
    municipalities are a contact; its length is the sum of both cells' distances to
    their land, so the way from one to the other runs over water only. Only the
    cells of such pairs are tested for lying on land (which rules the pair out);
    pairs in ``skip`` (already neighbours by a border) are not looked at; cells in
    ``foreign`` (land beyond a national border) count as land.
    """
    import numpy as np
    import shapely
    from scipy.spatial import cKDTree

    parts = [shapely.get_coordinates(shapely.segmentize(b, COAST_SPACING_M)) for b in boundaries]
    if not any(len(p) for p in parts):
        return {}
    points = np.concatenate([p for p in parts if len(p)])
    labels = np.concatenate([np.full(len(p), i) for i, p in enumerate(parts) if len(p)])
    reach = SEA_NEIGHBOUR_M / 2
    cell = SEA_CELL_M
    origin = points.min(axis=0) - reach - cell
    shape = tuple(((points.max(axis=0) + reach + cell - origin) // cell).astype(int) + 1)
    near = np.zeros(shape, dtype=bool)
    ij = ((points - origin) // cell).astype(int)
    near[ij[:, 0], ij[:, 1]] = True
    gx, gy = np.nonzero(_grow(near, int(np.ceil(reach / cell))))
    centres = origin + (np.column_stack([gx, gy]) + 0.5) * cell
    dist, nearest = cKDTree(points).query(centres, distance_upper_bound=reach)
    found = np.isfinite(dist)
    owner = np.full(shape, -1)
    distance = np.full(shape, np.inf)
    owner[gx[found], gy[found]] = labels[nearest[found]]
    distance[gx[found], gy[found]] = dist[found]

    # side-by-side cells of different municipalities, close enough together
    n = len(geoms)
    skip_keys = np.array([min(a, b) * n + max(a, b) for a, b in skip], dtype=np.int64)
    first, second, length = [], [], []
    for dx, dy in ((1, 0), (0, 1)):
        a, b = owner[:shape[0] - dx, :shape[1] - dy], owner[dx:, dy:]
        total = distance[:shape[0] - dx, :shape[1] - dy] + distance[dx:, dy:]
        x, y = np.nonzero((a >= 0) & (b >= 0) & (a != b) & (total <= SEA_NEIGHBOUR_M))
        keys = np.minimum(a[x, y], b[x, y]).astype(np.int64) * n + np.maximum(a[x, y], b[x, y])
        keep = ~np.isin(keys, skip_keys)
        x, y = x[keep], y[keep]
        first.append(x * shape[1] + y)
        second.append((x + dx) * shape[1] + (y + dy))
        length.append(total[x, y])
    first, second, length = np.concatenate(first), np.concatenate(second), np.concatenate(length)
    if not len(length):
        return {}
    # ... both of them at sea
    cells, index = np.unique(np.concatenate([first, second]), return_inverse=True)
    xy = np.column_stack(np.divmod(cells, shape[1]))
    on_land = np.zeros(len(cells), dtype=bool)
    centres_xy = origin + (xy + 0.5) * cell
    inside, _ = shapely.STRtree(geoms).query(shapely.points(centres_xy), predicate="within")
    on_land[inside] = True
    if foreign is not None:     # a neighbouring country's land is no sea either
        on_land |= shapely.contains_xy(foreign, centres_xy[:, 0], centres_xy[:, 1])
    sea = ~on_land[index[:len(first)]] & ~on_land[index[len(first):]]
    i = owner.ravel()[first[sea]]
    j = owner.ravel()[second[sea]]
    lo, hi, length = np.minimum(i, j), np.maximum(i, j), length[sea]
    contacts: dict[tuple[int, int], float] = {}
    for order in np.lexsort((length, hi, lo))[::-1]:
        contacts[(int(lo[order]), int(hi[order]))] = float(length[order])
    return contacts
