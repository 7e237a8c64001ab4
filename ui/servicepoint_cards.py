"""Service-point coverage on a scenario card (one headline line; nothing without service points)."""

from __future__ import annotations

import logging

import streamlit as st

from kommunestrategi.formatting import number
from kommunestrategi.servicepoints.maps import share_text
from kommunestrategi.servicepoints.scenarios import DEFAULT_DISTANCE_KM, active_grid, scenario_coverage
from ui import session
from ui.workspace import current_store, current_workspace

LOG = logging.getLogger("kommunestrategi.ui")


def coverage_line(scenario, geography) -> str | None:
    """``**Service points:** 64 % of the inhabitants within 20 km ...`` for the scenario's
    members, from its own layer or the workspace's; None when there are no service points.
    The distance is the one last chosen on the service-point page (20 km by default)."""
    _ = session.translator()
    lang = session.language()
    try:
        store, ws = current_store(), current_workspace()
        distance = int(st.session_state.get("sp_km") or DEFAULT_DISTANCE_KM)
        grid, _file = active_grid(store, ws.id, geography)
        found = scenario_coverage(store, ws.id, scenario.id, scenario.members, geography,
                                  getattr(ws, "country", "NO"), distance, grid)
    except Exception:  # noqa: BLE001 - the card's other figures still show
        LOG.exception("service-point coverage for scenario %s failed", scenario.id)
        return None
    if found is None:
        return None
    if found.share is None:
        parts = [_("spx.card.share_unknown", km=number(distance, lang))]
    else:
        parts = [_("spx.card.share", share=share_text(found.share, lang, ""), km=number(distance, lang))]
    if found.share is not None and found.method == "centres":
        parts[-1] += " " + _("spx.card.estimated")
    parts.append(_("spx.card.without_centre", count=number(len(found.without_centre), lang),
                   total=number(len(scenario.members), lang))
                 if found.without_centre else _("spx.card.all_centres"))
    parts.append(_(f"spx.card.layer.{found.layer}", points=number(found.points, lang)))
    return f"**{_('spx.card.title')}:** " + " · ".join(parts)
