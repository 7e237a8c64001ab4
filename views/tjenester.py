"""Service points: centres and fixed and mobile points, and how many inhabitants they reach."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from kommunestrategi import charts
from kommunestrategi.formatting import number
from kommunestrategi.servicepoints import AGENCIES, KINDS, compute_coverage
from kommunestrategi.servicepoints.importing import read_points_file
from kommunestrategi.servicepoints.layers import BASE_LAYER, load_layer, save_layer, scenario_layer
from kommunestrategi.servicepoints.maps import add_click_layer, clicked_position, coverage_map, share_text
from kommunestrategi.servicepoints.model import ServicePoint, ServicePointError, point_from_dict, with_ids
from kommunestrategi.servicepoints.scenarios import active_grid
from kommunestrategi.store import PermissionDenied, StoreError
from kommunestrategi.textsafe import plotly_figure
from ui import session, urlstate
from ui.geography import current_geography
from ui.textsafe import md_inline
from ui.workspace import current_actor, current_store, current_workspace

TOPOJSON_CONFIG = {**charts.BASE_CONFIG, "topojsonURL": "/app/static/"}
DISTANCES = (1, 2, 5, 10, 15, 20, 25, 30, 40, 50, 75, 100)


def _layers(store, workspace_id: int) -> dict[str, str]:
    """Layer name -> label: the base layer and one per scenario."""
    _ = session.translator()
    out = {BASE_LAYER: _("sp.layer.base")}
    try:
        from kommunestrategi.store.scenarios import list_scenarios

        for scenario in list_scenarios(store, workspace_id):
            out[scenario_layer(scenario.id)] = _("sp.layer.scenario", name=scenario.name)
    except Exception:  # noqa: BLE001 - without scenarios the base layer still works
        pass
    return out


def _error(exc: ServicePointError) -> None:
    """The problem in the user's language (values the user typed are escaped)."""
    params = {k: md_inline(v) for k, v in exc.params.items()}
    st.error(session.translator()(exc.message_key, **params))


def _draft_key(workspace_id: int, layer: str) -> str:
    return f"sp_draft_{workspace_id}_{layer}"


def _agency_label(agency: str) -> str:
    return session.translator()(f"sp.agency.{agency}")


def _place_from_click(draft_key: str, country: str, chart_key: str) -> None:
    """A click on the map in placement mode: a what-if point at that position, at once."""
    position = clicked_position(st.session_state.get(chart_key))
    if position is None:
        return
    _ = session.translator()
    kind = st.session_state.get("sp_place_kind") or "fixed"
    draft = [point_from_dict(d, country) for d in st.session_state.get(draft_key, [])]
    label = _(f"sp.kind.{kind}")
    number_of = 1 + sum(1 for p in draft if p.name.startswith(label))
    new = point_from_dict({"name": f"{label} {number_of}", "kind": kind, "lat": position[0], "lon": position[1]},
                          country)
    st.session_state[draft_key] = [p.as_dict() for p in with_ids([*draft, new])]
    # a new chart key: the next click is a new selection even at the same spot
    st.session_state["sp_map_n"] = st.session_state.get("sp_map_n", 0) + 1
    st.session_state["sp_placed"] = new.name


def _points_table(points: list[ServicePoint], names: dict[str, str]) -> pd.DataFrame:
    _ = session.translator()
    return pd.DataFrame([{
        _("sp.col.name"): p.name,
        _("sp.col.kind"): _(f"sp.kind.{p.kind}"),
        _("sp.col.municipality"): f"{p.kommunenummer} {names.get(p.kommunenummer, '')}".strip(),
        _("sp.col.agencies"): ", ".join(_agency_label(a) for a in p.agencies),
        _("sp.col.hours"): p.hours,
        _("sp.col.position"): (f"{p.lat:.4f}, {p.lon:.4f}" if p.lat is not None else
                               _("sp.position.stops", count=len(p.stops)) if p.stops else _("sp.position.centre")),
    } for p in points])


def _point_form(country: str, geography, names: dict[str, str], clicked: str | None) -> dict | None:
    """The 'add a point' form; a municipality picked on the map places it at that centre."""
    _ = session.translator()
    codes = list(names)
    centre = None
    if clicked and getattr(geography, "has_boundaries", True) and clicked in geography.centres.index:
        centre = geography.centres.loc[clicked]
    with st.form("sp_add", clear_on_submit=True):
        cols = st.columns([3, 2, 3])
        name = cols[0].text_input(_("sp.col.name"), max_chars=200, key="sp_add_name")
        kind = cols[1].selectbox(_("sp.col.kind"), KINDS, format_func=lambda k: _(f"sp.kind.{k}"), key="sp_add_kind")
        municipality = cols[2].selectbox(_("sp.col.municipality"), [""] + codes,
                                         index=(codes.index(clicked) + 1) if clicked in codes else 0,
                                         format_func=lambda c: f"{c} {names[c]}" if c else _("sp.none"),
                                         key=f"sp_add_municipality_{clicked}")
        cols = st.columns(2)
        lat = cols[0].number_input(_("sp.col.lat"), -90.0, 90.0, value=float(centre["lat"]) if centre is not None
                                   else None, format="%.5f", key=f"sp_add_lat_{clicked}")
        lon = cols[1].number_input(_("sp.col.lon"), -180.0, 180.0, value=float(centre["lon"]) if centre is not None
                                   else None, format="%.5f", key=f"sp_add_lon_{clicked}")
        agencies = st.multiselect(_("sp.col.agencies"), AGENCIES[country], format_func=_agency_label,
                                  key="sp_add_agencies", placeholder=_("autosave.choose"))
        hours = st.text_input(_("sp.col.hours_or_schedule"), max_chars=500, key="sp_add_hours")
        submitted = st.form_submit_button(_("sp.add"), type="primary")
    if not submitted:
        return None
    return {"name": name, "kind": kind, "kommunenummer": municipality, "lat": lat, "lon": lon,
            "agencies": agencies, "hours": hours}


def _edit_controls(points: list[ServicePoint], country: str) -> list[ServicePoint] | None:
    """Move or remove one point, or add a stop to a mobile one; returns the changed list."""
    _ = session.translator()
    if not points:
        return None
    ids = [p.id for p in points]
    label = {p.id: f"{p.name} ({_(f'sp.kind.{p.kind}')})" for p in points}
    chosen = st.selectbox(_("sp.edit.pick"), ids, format_func=label.__getitem__, key="sp_edit_pick")
    point = points[ids.index(chosen)]
    cols = st.columns(3, vertical_alignment="bottom")
    lat = cols[0].number_input(_("sp.col.lat"), -90.0, 90.0, value=point.lat, format="%.5f",
                               key=f"sp_edit_lat_{chosen}")
    lon = cols[1].number_input(_("sp.col.lon"), -180.0, 180.0, value=point.lon, format="%.5f",
                               key=f"sp_edit_lon_{chosen}")
    if cols[2].button(_("sp.edit.move"), key="sp_edit_move", disabled=lat is None or lon is None):
        return [p.moved(lat, lon) if p.id == chosen else p for p in points]
    if point.kind == "mobile":
        with st.expander(_("sp.edit.stops", count=len(point.stops))):
            for i, stop in enumerate(point.stops):
                row = st.columns([3, 1])
                row[0].text(f"{stop.name}: {stop.lat:.4f}, {stop.lon:.4f} {stop.schedule}".strip())
                if row[1].button(_("sp.edit.remove_stop"), key=f"sp_stop_rm_{chosen}_{i}"):
                    data = point.as_dict()
                    data["stops"] = [s for j, s in enumerate(data["stops"]) if j != i]
                    return _replace(points, chosen, data, country)
            row = st.columns(4, vertical_alignment="bottom")
            s_name = row[0].text_input(_("sp.stop.name"), max_chars=200, key=f"sp_stop_name_{chosen}")
            s_lat = row[1].number_input(_("sp.col.lat"), -90.0, 90.0, value=None, format="%.5f",
                                        key=f"sp_stop_lat_{chosen}")
            s_lon = row[2].number_input(_("sp.col.lon"), -180.0, 180.0, value=None, format="%.5f",
                                        key=f"sp_stop_lon_{chosen}")
            s_when = row[3].text_input(_("sp.stop.schedule"), max_chars=500, key=f"sp_stop_when_{chosen}")
            if st.button(_("sp.stop.add"), key=f"sp_stop_add_{chosen}", disabled=s_lat is None or s_lon is None):
                data = point.as_dict()
                data["stops"] = [*data["stops"], {"name": s_name or point.name, "lat": s_lat, "lon": s_lon,
                                                  "schedule": s_when}]
                return _replace(points, chosen, data, country)
    if st.button(_("sp.edit.remove"), key="sp_edit_remove"):
        return [p for p in points if p.id != chosen]
    return None


def _replace(points: list[ServicePoint], ident: str, data: dict, country: str) -> list[ServicePoint] | None:
    try:
        new = point_from_dict(data, country)
    except ServicePointError as exc:
        _error(exc)
        return None
    return [new if p.id == ident else p for p in points]


def _coverage_table(result, before, names: dict[str, str], lang: str, members: list[str]) -> pd.DataFrame:
    _ = session.translator()
    missing = _("sp.unknown")
    rows = []
    for row in result.rows:
        if members and row.kommunenummer not in members:
            continue
        old = before.row(row.kommunenummer) if before is not None else None
        change = None if old is None or row.share is None or old.share is None else (row.share - old.share) * 100
        rows.append({
            _("common.kommunenummer"): row.kommunenummer,
            _("common.municipality"): names.get(row.kommunenummer, row.name),
            _("sp.col.has_centre"): _("sp.yes") if row.has_centre else _("sp.no"),
            _("sp.col.points"): row.points,
            _("common.population"): number(row.population, lang) if row.population is not None else missing,
            _("sp.col.share"): share_text(row.share, lang, missing),
            _("sp.col.change"): "" if change is None or abs(change) < 0.05 else
            f"{'+' if change > 0 else ''}{number(change, lang, 1)}",
        })
    return pd.DataFrame(rows)


def render() -> None:
    _ = session.translator()
    lang = session.language()
    store, ws, actor = current_store(), current_workspace(), current_actor()
    country = getattr(ws, "country", "NO")
    geography = current_geography()
    names = dict(zip(geography.units["kommunenummer"], geography.units["name"].astype(str), strict=True))
    st.title(_("sp.title"))
    st.caption(_("sp.intro"))

    layers = _layers(store, ws.id)
    controls = st.columns([2, 1])
    urlstate.widget("sp_layer", "lag", options=list(layers), default=BASE_LAYER)
    layer = controls[0].selectbox(_("sp.layer"), list(layers), format_func=layers.__getitem__, key="sp_layer")
    urlstate.widget("sp_km", "km", options=list(DISTANCES), default=20, parse=int)
    distance = controls[1].select_slider(_("sp.distance"), DISTANCES, key="sp_km",
                                         format_func=lambda km: f"{km} km")
    urlstate.copy_link_button("sp_copy_link")

    saved = load_layer(store, ws.id, layer, country)
    key = _draft_key(ws.id, layer)
    if key not in st.session_state:
        st.session_state[key] = [p.as_dict() for p in saved]
    draft = with_ids([point_from_dict(d, country) for d in st.session_state[key]])
    changed = [p.as_dict() for p in draft] != [p.as_dict() for p in saved]

    grid, grid_file = active_grid(store, ws.id, geography)
    result = compute_coverage(geography, draft, distance, grid)
    before = compute_coverage(geography, saved, distance, grid) if changed else None
    if result.method == "grid":
        st.caption(_("sp.method.grid", file=md_inline(grid_file or ""), km=distance))
    elif result.method == "centres":
        st.info(_("sp.method.centres", km=distance))
    else:
        st.warning(_("sp.method.none"))
    if result.unplaced:
        st.warning(_("sp.unplaced", count=len(result.unplaced)))

    members = [c.kommunenummer for c in store.list_councils(ws.id) if c.kommunenummer in names]
    scope = members or None
    cols = st.columns(3)
    share = result.total_share(scope)
    old_share = before.total_share(scope) if before is not None else None
    delta = None if share is None or old_share is None else f"{(share - old_share) * 100:+.1f} pp".replace(".", ",")
    cols[0].metric(_("sp.metric.share", km=distance), share_text(share, lang, _("sp.unknown")), delta=delta,
                   help=_("sp.metric.share_help"))
    without = result.without_centre(scope)
    listed = ", ".join(names.get(c, c) for c in without[:20]) + (" …" if len(without) > 20 else "")
    cols[1].metric(_("sp.metric.without_centre"), number(len(without), lang),
                   help=_("sp.metric.without_centre_help", names=md_inline(listed)) if without
                   else _("sp.metric.without_centre_none"))
    cols[2].metric(_("sp.metric.points"), number(len(draft), lang))
    if changed:
        st.info(_("sp.draft_note"))

    clicked = None
    if getattr(geography, "has_boundaries", True) and geography.display.get("features"):
        placed = st.session_state.pop("sp_placed", None)
        if placed:
            st.success(_("spx.place.added", name=md_inline(placed)))
        row = st.columns([3, 2, 2], vertical_alignment="bottom")
        placing = row[0].toggle(_("spx.place.toggle"), key="sp_place", help=_("spx.place.toggle_help"))
        row[1].selectbox(_("spx.place.kind"), KINDS, format_func=lambda k: _(f"sp.kind.{k}"), key="sp_place_kind",
                         disabled=not placing)
        labels = {"share": _("sp.map.share"), "centre": _("sp.kind.centre"), "fixed": _("sp.kind.fixed"),
                  "mobile": _("sp.kind.mobile"), "missing": _("sp.unknown")}
        fig = coverage_map(geography, result, draft, labels=labels, lang=lang, selected=members,
                           focus=members or None, height=560)
        chart_key = f"sp_map_{st.session_state.get('sp_map_n', 0)}"
        if placing:
            spacing = add_click_layer(fig, _("spx.place.hover"))
            event = st.plotly_chart(plotly_figure(fig), config=TOPOJSON_CONFIG, selection_mode="points", key=chart_key,
                                    width="stretch", on_select=lambda: _place_from_click(key, country, chart_key))
            st.caption(_("spx.place.help", km=number(spacing, lang, 1)))
        else:
            event = st.plotly_chart(plotly_figure(fig), config=TOPOJSON_CONFIG, on_select="rerun", selection_mode="points",
                                    key=chart_key, width="stretch")
            st.caption(_("sp.map.help"))
        picked = [p.get("location") for p in (event or {}).get("selection", {}).get("points", []) if p.get("location")]
        clicked = picked[0] if picked else None
    else:
        st.info(_("sp.map.no_boundaries"))

    editable = actor.role == "secretariat"
    tabs = st.tabs([_("sp.tab.points"), _("sp.tab.coverage"), _("sp.tab.import")])
    with tabs[0]:
        if draft:
            st.dataframe(_points_table(draft, names), hide_index=True, width="stretch")
        else:
            st.info(_("sp.empty"))
        st.subheader(_("sp.add_title"))
        entered = _point_form(country, geography, names, clicked)
        if entered is not None:
            try:
                new = point_from_dict(entered, country)
            except ServicePointError as exc:
                _error(exc)
            else:
                st.session_state[key] = [p.as_dict() for p in with_ids([*draft, new])]
                st.rerun()
        st.subheader(_("sp.edit_title"))
        edited = _edit_controls(draft, country)
        if edited is not None:
            st.session_state[key] = [p.as_dict() for p in with_ids(edited)]
            st.rerun()
        buttons = st.columns(2)
        if buttons[0].button(_("sp.save"), type="primary", disabled=not changed or not editable, key="sp_save"):
            try:
                save_layer(store, actor, ws.id, draft, layer)
            except ServicePointError as exc:
                _error(exc)
            except PermissionDenied:
                st.error(_("workspace.permission_denied"))
            except StoreError as exc:
                st.error(md_inline(str(exc)))
            else:
                st.success(_("sp.saved"))
                st.rerun()
        if buttons[1].button(_("sp.discard"), disabled=not changed, key="sp_discard"):
            st.session_state[key] = [p.as_dict() for p in saved]
            st.rerun()
        if not editable:
            st.caption(_("sp.read_only"))
    with tabs[1]:
        st.dataframe(_coverage_table(result, before, names, lang, members), hide_index=True, width="stretch")
        if members:
            st.caption(_("sp.coverage.members_only"))
    with tabs[2]:
        st.caption(_("sp.import.help"))
        upload = st.file_uploader(_("sp.import.label"), type=["csv", "xlsx", "txt"], key="sp_upload")
        if upload is not None:
            points, report = read_points_file(upload.getvalue(), upload.name, country, geography)
            for line in report.lines:
                (st.error if line.severity == "error" else st.warning)(md_inline(line.message(lang)))
            if points and report.ok:
                st.success(_("sp.import.found", count=len(points)))
                if st.button(_("sp.import.add"), key="sp_import_add"):
                    st.session_state[key] = [p.as_dict() for p in with_ids([*draft, *points])]
                    st.rerun()
        st.caption(_("sp.import.grid_help"))


session.guarded(render)
