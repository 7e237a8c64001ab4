"""Countries a workspace can be about: Norway (``NO``, the default) and Sweden (``SE``).

A workspace's country is chosen when it is created and decides its geography
(municipalities, their numbers and facts), which boundary and indicator files
it accepts and which national guidance applies. Norway is the bundled map in
:mod:`kommunestrategi.geo`; Sweden's 290 kommuner are in
:mod:`kommunestrategi.countries.sweden`.
"""

from __future__ import annotations

from typing import Any

COUNTRIES: tuple[str, ...] = ("NO", "SE")
DEFAULT_COUNTRY = "NO"


class UnknownCountry(ValueError):
    """A country code other than NO or SE."""


def normalise_country(value: object) -> str:
    """``NO`` or ``SE`` from any case; UnknownCountry otherwise. None/empty is Norway."""
    if value is None or str(value).strip() == "":
        return DEFAULT_COUNTRY
    code = str(value).strip().upper()
    if code not in COUNTRIES:
        raise UnknownCountry(f"unknown country: {value!r} (expected one of {', '.join(COUNTRIES)})")
    return code


def geography(country: str, boundaries: Any = None, label: str | None = None) -> Any:
    """The geography of a country: bundled, or from imported ``boundaries`` (a GeoDataFrame)."""
    from kommunestrategi import geo

    if normalise_country(country) == "SE":
        from kommunestrategi.countries import sweden

        return sweden.geography(boundaries, label)
    if boundaries is None:
        return geo.bundled()
    return geo.Geography.from_boundaries(boundaries, label or "uploaded")


def municipality_names(country: str) -> dict[str, str]:
    """Number -> name of every municipality of the country (2024 structure for Norway)."""
    if normalise_country(country) == "SE":
        from kommunestrategi.countries import sweden

        units = sweden.load_units()
    else:
        from kommunestrategi import geo

        units = geo.load_facts_2024()
    return dict(zip(units["kommunenummer"], units["name"], strict=True))
