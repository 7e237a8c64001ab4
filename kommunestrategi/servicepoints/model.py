"""Service points and mobile stops: plain values with their checks."""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, field, replace
from typing import Any

#: centre: a service centre where several agencies meet citizens; fixed: a fixed
#: service point; mobile: a mobile service point visiting its stops on a schedule.
KINDS: tuple[str, ...] = ("centre", "fixed", "mobile")
#: Agencies a point can host, per country (labels: ``servicepoints.agency.<id>``).
AGENCIES: dict[str, tuple[str, ...]] = {
    "NO": ("kommune", "nav", "skatteetaten", "politi", "kartverket", "bibliotek"),
    "SE": ("kommun", "arbetsformedlingen", "skatteverket", "forsakringskassan", "pensionsmyndigheten",
           "migrationsverket", "polisen"),
}
MAX_NAME = 200
MAX_TEXT = 500
MAX_POINTS = 2000
MAX_STOPS = 50


class ServicePointError(ValueError):
    """A service point that cannot be stored as given.

    ``code`` names the problem (message ``report.sp_error_<code>`` in every language)
    and ``params`` fill it; ``str()`` is a plain English fallback for logs.
    """

    def __init__(self, code: str, fallback: str, **params: object) -> None:
        super().__init__(fallback)
        self.code = code
        self.params = {k: str(v) for k, v in params.items()}

    @property
    def message_key(self) -> str:
        return f"report.sp_error_{self.code}"


@dataclass(frozen=True)
class Stop:
    """A stop of a mobile service point."""

    name: str
    lat: float
    lon: float
    schedule: str = ""


@dataclass(frozen=True)
class ServicePoint:
    """One point of the layer. ``lat``/``lon`` (WGS84) or only ``kommunenummer`` (then the
    point stands at the municipality's centre). A mobile point has its stops."""

    id: str
    name: str
    kind: str
    agencies: tuple[str, ...] = ()
    hours: str = ""
    lat: float | None = None
    lon: float | None = None
    kommunenummer: str = ""
    stops: tuple[Stop, ...] = field(default_factory=tuple)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["agencies"] = list(self.agencies)
        data["stops"] = [asdict(s) for s in self.stops]
        return data

    def moved(self, lat: float, lon: float) -> ServicePoint:
        return replace(self, lat=float(lat), lon=float(lon))


def _coordinate(value: Any, low: float, high: float, what: str) -> float | None:
    if value is None or value == "":
        return None
    try:
        number = float(str(value).replace(",", ".")) if not isinstance(value, (int, float)) else float(value)
    except ValueError:
        raise ServicePointError("not_number", f"{what} is not a number: {value!r}", value=value) from None
    if math.isnan(number):
        return None
    if not low <= number <= high:
        raise ServicePointError("out_of_range", f"{what} {number} is outside {low}..{high}", value=number)
    return number


def _text(value: Any, limit: int) -> str:
    text = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", str(value or "")).strip()
    return text[:limit]


def point_from_dict(data: dict[str, Any], country: str = "NO") -> ServicePoint:
    """A checked point from stored or entered values (unknown agencies are refused)."""
    name = _text(data.get("name"), MAX_NAME)
    if not name:
        raise ServicePointError("no_name", "a service point needs a name")
    kind = str(data.get("kind") or "").strip().lower()
    if kind not in KINDS:
        raise ServicePointError("bad_kind", f"unknown kind {kind!r}", kind=kind)
    known = AGENCIES.get(country, AGENCIES["NO"])
    agencies = tuple(dict.fromkeys(str(a).strip().lower() for a in (data.get("agencies") or []) if str(a).strip()))
    unknown = [a for a in agencies if a not in known]
    if unknown:
        raise ServicePointError("bad_agency", f"unknown agency {unknown[0]!r}", agency=unknown[0],
                                known=", ".join(known))
    lat = _coordinate(data.get("lat"), -90, 90, "latitude")
    lon = _coordinate(data.get("lon"), -180, 180, "longitude")
    if (lat is None) != (lon is None):
        raise ServicePointError("half_position", "give both latitude and longitude, or neither")
    code = str(data.get("kommunenummer") or "").strip()
    if code and not re.fullmatch(r"\d{3,4}", code):
        raise ServicePointError("bad_number", f"not a municipality number: {code!r}", value=code)
    code = code.zfill(4) if code else ""
    stops = []
    for raw in (data.get("stops") or [])[:MAX_STOPS]:
        s_lat = _coordinate(raw.get("lat"), -90, 90, "latitude")
        s_lon = _coordinate(raw.get("lon"), -180, 180, "longitude")
        if s_lat is None or s_lon is None:
            raise ServicePointError("stop_position", "a stop needs latitude and longitude")
        stops.append(Stop(_text(raw.get("name"), MAX_NAME) or name, s_lat, s_lon, _text(raw.get("schedule"), MAX_TEXT)))
    if lat is None and not code and not stops:
        raise ServicePointError("no_position", "a service point needs a position or a municipality")
    return ServicePoint(id=_text(data.get("id"), 40) or "", name=name, kind=kind, agencies=agencies,
                        hours=_text(data.get("hours"), MAX_TEXT), lat=lat, lon=lon, kommunenummer=code,
                        stops=tuple(stops))


def with_ids(points: list[ServicePoint]) -> list[ServicePoint]:
    """Points with a unique id each (``p1``, ``p2``, ...) where they have none or share one."""
    seen: set[str] = set()
    taken = {p.id for p in points if p.id}
    counter = 1
    out = []
    for point in points:
        ident = point.id
        if not ident or ident in seen:
            while f"p{counter}" in taken or f"p{counter}" in seen:
                counter += 1
            ident = f"p{counter}"
        seen.add(ident)
        out.append(replace(point, id=ident))
    return out
