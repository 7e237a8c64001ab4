"""Streamlit glue for the scenario page: the assessment (cached per store change),
scenario cards, small maps and the presenter view."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from kommunestrategi import charts, geo
from kommunestrategi.formatting import local_zone, number, percent
from kommunestrategi.i18n import LANGUAGES, t
from kommunestrategi.scenarios import service
from kommunestrategi.scenarios.board import Assessment, CriterionScore
from kommunestrategi.scenarios.model import CRITERIA, NOT_APPLICABLE_SCORE
from kommunestrategi.scenarios.proxies import Figures
from kommunestrategi.store import Actor
from kommunestrategi.store import scenarios as store_scenarios
from ui import session
from ui.textsafe import md_inline
from ui.workspace import current_store

TOPOJSON_CONFIG = {**charts.BASE_CONFIG, "topojsonURL": "/app/static/", "displayModeBar": False}
#: Seconds between the presenter view's looks at the store.
PRESENTER_POLL_SECONDS = 3
#: Ten distinguishable colours for proposed regions (colour-blind safe "Tableau 10").
REGION_COLOURS = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
                  "#9c755f", "#bab0ac")


@st.cache_resource(max_entries=16, show_spinner=False)
def _assessment(url: str, workspace_id: int, fingerprint: tuple) -> Assessment:
    """One assessment per store state (the fingerprint changes with every save)."""
    return service.workspace_assessment(current_store(), workspace_id)


def assessment(workspace_id: int) -> tuple[Assessment, tuple]:
    """The board of the workspace as stored now, and the fingerprint it was built for."""
    store = current_store()
    fingerprint = store_scenarios.fingerprint(store, workspace_id)
    return _assessment(str(store.url), workspace_id, fingerprint), fingerprint


def needs_name(actor: Actor) -> bool:
    """Whether the participant still acts under the default guest name."""
    return actor.name.strip() in {t("workspace.guest", lang) for lang in LANGUAGES}


def criterion_name(criterion: str) -> str:
    return session.translator()(f"scenarios.criterion.{criterion}")


def kind_label(kind: str) -> str:
    return session.translator()(f"scenarios.kind.{kind}")


# ----------------------------------------------------------------------------- maps
def members_map(geography: geo.Geography, members: tuple[str, ...] | list[str], *, height: int = 220,
                highlight: tuple[str, ...] = ()) -> Any:
    """A map of the members and their neighbours (members coloured by population)."""
    _ = session.translator()
    lang = session.language()
    graph = geography.neighbour_graph
    shown = set(members)
    for code in members:
        if code in graph:
            shown |= set(graph[code])
    geojson = {"type": "FeatureCollection",
               "features": [f for f in geography.display["features"] if f["id"] in shown]}
    units = geography.units.set_index("kommunenummer")
    values = units["population"].astype(float).where(units.index.isin(list(members)))
    fig = charts.national_map(geojson, values, units["name"], measure_label=_("common.population"),
                              unit=_("common.unit.inhabitants"), lang=lang, selected=list(highlight or members),
                              log_scale=True, focus=list(members), height=height)
    fig.update_traces(showscale=False)
    fig.update_layout(margin={"l": 0, "r": 0, "t": 0, "b": 0})
    return fig


def regions_map(geography: geo.Geography, region_of: dict[str, int], *, height: int = 520) -> Any:
    """A map colouring each municipality by the number of its proposed region."""
    _ = session.translator()
    units = geography.units.set_index("kommunenummer")
    area = list(region_of)
    geojson = {"type": "FeatureCollection",
               "features": [f for f in geography.display["features"] if f["id"] in region_of]}
    palette = REGION_COLOURS
    k = len(palette)
    values = pd.Series({code: float(i + 1) for code, i in region_of.items()})
    fig = charts.national_map(geojson, values, units["name"], measure_label=_("scenarios.col.region"), unit="",
                              lang=session.language(), focus=area, height=height)
    # one colour per region (repeating after ten), steps instead of a gradient
    steps = [[edge, colour] for i, colour in enumerate(palette) for edge in (i / k, (i + 1) / k)]
    fig.update_traces(z=[None if pd.isna(v) else (int(v) - 1) % k + 0.5 for v in fig.data[0].z],
                      zmin=0, zmax=k, colorscale=steps, showscale=False, selector={"name": ""})
    return fig


# ---------------------------------------------------------------------------- cards
def _change(value: float, lang: str) -> str:
    sign = "+" if value > 0 else ""
    return sign + percent(value, lang)


def figure_lines(figs: Figures) -> list[str]:
    """The card's headline figures as short lines of text (names escaped)."""
    _ = session.translator()
    lang = session.language()
    lines = [f"**{_('scenarios.fig.population')}:** {number(figs.population, lang)} ({figs.population_year})"]
    if figs.trend:
        first, last, change = figs.trend
        lines[-1] += " · " + _("scenarios.fig.trend", first=first, last=last, change=_change(change, lang))
    if figs.share_80 is not None:
        text = f"**{_('scenarios.fig.share_80')}:** {percent(figs.share_80 / 100, lang)} ({figs.share_80_year})"
        if figs.growth_80:
            first, last, change = figs.growth_80
            text += " · " + _("scenarios.fig.growth_80", first=first, last=last, change=_change(change, lang))
        lines.append(text)
    text = (f"**{_('scenarios.fig.area')}:** {number(figs.area_km2, lang)} {_('common.unit.km2')} · "
            f"**{_('scenarios.fig.distance')}:** {number(figs.max_distance_km, lang, 1)} {_('common.unit.km')}")
    if figs.max_travel_min is not None:
        text += " · " + _("scenarios.fig.travel", minutes=number(figs.max_travel_min, lang))
    lines.append(text)
    if figs.max_distance_km is None:  # no centres: a Swedish workspace before a boundary import
        lines.append(_("region.contiguous_unknown"))
    elif figs.contiguous:
        kinds = ", ".join(_(f"scenarios.fig.link.{k}") for k in figs.link_kinds
                          if f"scenarios.fig.link.{k}" in _catalogue()) or "–"
        lines.append(_("scenarios.fig.contiguous", kinds=kinds))
    else:
        lines.append(_("scenarios.fig.not_contiguous",
                       names=md_inline(", ".join(figs.names.get(c, c) for c in figs.cut_off))))
    if figs.cost_need_index is not None:
        lines.append(f"**{_('scenarios.fig.cost_need')}:** {number(figs.cost_need_index, lang, 3)} "
                     f"({figs.cost_need_year})")
    if session.country() != "SE":  # ROBEK is a Norwegian register
        lines.append(_("scenarios.fig.robek", names=md_inline(", ".join(figs.names.get(c, c) for c in figs.robek)))
                     if figs.robek else _("scenarios.fig.robek_none"))
    if figs.arrangements_inside is not None:
        lines.append(_("scenarios.fig.arrangements", inside=number(figs.arrangements_inside, lang),
                       crossing=number(figs.arrangements_crossing, lang)))
    return lines


def _catalogue() -> dict:
    from kommunestrategi.i18n import catalogue

    return catalogue()


def basis_text(cell: CriterionScore, kind: str = "", criterion: str = "") -> str:
    """How a score was found, in words: formula, value, rule and source, or the workshop
    count; why a criterion does not apply, or why a measured one is judged instead."""
    _ = session.translator()
    lang = session.language()
    if not cell.applicable:
        return _("scenarios.na_basis", reason=_(f"scenarios.na.{kind}.{criterion}"),
                 score=number(NOT_APPLICABLE_SCORE, lang))
    if cell.method == "workshop":
        text = _("scenarios.workshop_basis", count=cell.count) if cell.count else _("scenarios.workshop_none")
        return f"{_(f'scenarios.fallback.{cell.fallback}')}. {text}" if cell.fallback else text
    proxy = cell.proxy
    if proxy is None or proxy.value is None:
        return _("scenarios.proxy_missing")
    if proxy.unit == "inhabitants":
        value = number(proxy.value, lang)
    elif proxy.unit == "share":
        value = percent(proxy.value, lang)
    elif proxy.unit == "percent":
        value = f"{number(proxy.value, lang, 1)} %"
    elif proxy.unit == "km":
        value = f"{number(proxy.value, lang, 1)} km"
    else:
        value = f"{number(proxy.value, lang)} min"
    source = proxy.source
    if source in ("travel", "centres", "register"):
        source = _(f"scenarios.source.{source}")
        if proxy.detail.get("register_source"):
            source += f" ({proxy.detail['register_source']})"
    if proxy.year:
        source = f"{source}, {proxy.year}" if str(proxy.year) not in source else source
    if "inside" in proxy.detail:
        value += " (" + _("scenarios.partners_counts", inside=number(proxy.detail["inside"], lang),
                          crossing=number(proxy.detail["crossing"], lang)) + ")"
    text = _("scenarios.proxy_basis", formula=_(f"scenarios.formula.{proxy.formula}"), value=value,
             rule=_(f"scenarios.rule.{proxy.rule}"), source=source)
    if "projected" in proxy.detail:
        text += "; " + _("scenarios.proxy_projected", year=proxy.detail["projected_year"],
                         value=number(proxy.detail["projected"], lang))
    return text


def score_text(cell: CriterionScore) -> str:
    _ = session.translator()
    if not cell.applicable:
        return _("scenarios.na_short")
    return "–" if cell.score is None else number(cell.score, session.language(), 1)


def criteria_table(cells: dict[str, CriterionScore], kind: str = "",
                   criteria: tuple[str, ...] = CRITERIA) -> pd.DataFrame:
    """One scenario's scores on ``criteria`` (default all): score, method and basis."""
    _ = session.translator()
    return pd.DataFrame([{
        _("scenarios.col.criterion"): criterion_name(c),
        _("scenarios.col.score"): score_text(cells[c]),
        _("scenarios.col.method"): _(f"scenarios.method.{cells[c].method}") if cells[c].applicable else "–",
        _("scenarios.col.basis"): basis_text(cells[c], kind, c),
    } for c in criteria])


def score_matrix(assessment: Assessment, order: list[int], heads: list[str],
                 criteria: tuple[str, ...]) -> pd.DataFrame:
    """Criteria (rows) by scenarios (columns, in ``order`` headed ``heads``): the scores,
    with how each criterion is assessed (measured / judged; "does not apply" per cell)."""
    _ = session.translator()
    rows = []
    for c in criteria:
        cells = [assessment.cells[i][c] for i in order]
        methods = sorted({cell.method for cell in cells if cell.applicable})
        row = {_("scenarios.col.criterion"): criterion_name(c),
               _("scenarios.col.method"): " / ".join(_(f"scenarios.method_short.{m}") for m in methods) or "–"}
        row.update({head: score_text(cell) for head, cell in zip(heads, cells, strict=True)})
        rows.append(row)
    return pd.DataFrame(rows)


def details_text(details: dict[str, Any], names: dict[str, str]) -> str | None:
    """Service areas, legal form and host of a cooperation, in words (or None)."""
    if not details or not any(details.get(k) for k in ("service_areas", "legal_form", "host")):
        return None
    from kommunestrategi import criteria as cr

    _ = session.translator()
    lang = session.language()
    cat = cr.catalogue()
    areas = []
    for area in details.get("service_areas") or []:
        try:
            areas.append(cr.text(cat.service_area(area).name, lang))
        except KeyError:
            areas.append(str(area))
    form = details.get("legal_form") or ""
    if form and cat.has_form(form):
        form = cr.text(cat.form(form).name, lang)
    host = names.get(details.get("host") or "", details.get("host") or "")
    return _("scenarios.details", areas=md_inline(", ".join(areas) or "–"), form=md_inline(form or "–"),
             host=md_inline(host or "–"))


def place_of(assessment: Assessment, index: int) -> int | None:
    if assessment.mean is None:
        return None
    return int(assessment.mean.places[index])


def ranking_frame(assessment: Assessment) -> pd.DataFrame:
    """The combined ranking: places and scores from mean and median weights, and TOPSIS."""
    _ = session.translator()
    lang = session.language()
    assert assessment.mean is not None and assessment.median is not None
    order = np.argsort(assessment.mean.places, kind="stable")
    return pd.DataFrame([{
        _("scenarios.col.place_mean"): int(assessment.mean.places[i]),
        _("scenarios.col.scenario"): assessment.scenarios[i].name,
        _("scenarios.col.score_mean"): number(assessment.mean.scores[i], lang, 2),
        _("scenarios.col.place_median"): int(assessment.median.places[i]),
        _("scenarios.col.score_median"): number(assessment.median.scores[i], lang, 2),
        _("scenarios.col.topsis"): "–" if assessment.topsis is None else number(assessment.topsis[i], lang, 3),
    } for i in order])


def now_text() -> str:
    return dt.datetime.now(local_zone()).strftime("%H:%M:%S")
