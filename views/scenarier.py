"""Workshop scenarios: the board, each participant's weights and scores, the combined
ranking with its sensitivity, region proposals, scenario management and presenter mode."""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
import streamlit as st

from kommunestrategi import criteria as cr
from kommunestrategi.formatting import number, percent
from kommunestrategi.scenarios import proposals, service
from kommunestrategi.scenarios.model import COMMITTEE, COOPERATION, CRITERIA, KINDS, MEASURED, METHODS
from kommunestrategi.store import ConflictError, PermissionDenied, StoreError
from kommunestrategi.store import scenarios as store_scenarios
from kommunestrategi.textsafe import plotly_figure
from ui import scenario_board as sb
from ui import servicepoint_cards, session, urlstate, workspace
from ui.geography import current_geography
from ui.textsafe import error, md_inline

VIEWS = ("board", "weights", "combined", "proposals", "manage")
PROPOSAL_KEY = "scenario_proposal"  # (URL form of its parameters, the proposal)
PROPOSAL_PARAM = "forslag"


# ------------------------------------------------------------------------- board
def _card(assessment, index: int, geography) -> None:
    _ = session.translator()
    scenario = assessment.scenarios[index]
    figs = assessment.figures[index]
    box = st.container(border=True)
    place = sb.place_of(assessment, index)
    head = f"{place}. " if place is not None else ""
    box.markdown(f"##### {head}{md_inline(scenario.name)}")
    box.caption(f"{sb.kind_label(scenario.kind)} – {_(f'scenarios.kind_help.{scenario.kind}')}")
    box.plotly_chart(plotly_figure(sb.members_map(geography, scenario.members, height=200)), config=sb.TOPOJSON_CONFIG,
                     width="stretch", key=f"card_map_{scenario.id}")
    box.markdown(f"**{_('scenarios.members')}:** " + md_inline(", ".join(figs.names[c] for c in figs.members)))
    details = sb.details_text(scenario.details, figs.names)
    if details:
        box.markdown(details)
    for line in sb.figure_lines(figs):
        box.markdown(line)
    if coverage := servicepoint_cards.coverage_line(scenario, geography):
        box.markdown(coverage)


def _scores(assessment, order: list[int]) -> None:
    """The scenarios' scores side by side (both groups of criteria), then per scenario how
    each score was found: formula, value, rule, source and year, the workshop's count, or
    why a criterion does not apply."""
    _ = session.translator()
    names = [f"{n + 1}. {assessment.scenarios[i].name}" for n, i in enumerate(order)]
    # short column heads (the number matches the card), so three scenarios fit at 1024 px
    heads = [name if len(name) <= 18 else name[:17].rstrip() + "…" for name in names]
    if len(set(heads)) < len(heads):
        heads = names
    st.subheader(_("scenarios.scores_side_by_side"))
    config = {head: st.column_config.TextColumn(head, width="small", help=md_inline(name))
              for head, name in zip(heads, names, strict=True)}
    for group, criteria in (("committee", COMMITTEE), ("cooperation", COOPERATION)):
        st.markdown(f"**{_(f'scenarios.group.{group}')}**")
        st.dataframe(sb.score_matrix(assessment, order, heads, criteria), hide_index=True, width="stretch",
                     column_config=config, key=f"score_matrix_{group}")
    st.markdown(f"**{_('scenarios.basis_title')}**")
    for n, index in enumerate(order):
        scenario = assessment.scenarios[index]
        with st.expander(md_inline(names[n])):
            for group, criteria in (("committee", COMMITTEE), ("cooperation", COOPERATION)):
                st.markdown(f"**{_(f'scenarios.group.{group}')}**")
                # a static table wraps the long basis texts (formula, rule, source) instead of cutting them
                st.table(sb.criteria_table(assessment.cells[index], scenario.kind, criteria).set_index(
                    _("scenarios.col.criterion")))


def _board(assessment, geography) -> None:
    _ = session.translator()
    if not assessment.scenarios:
        st.info(_("scenarios.none"))
        return
    st.caption(_("scenarios.criteria_source_all"))
    if assessment.waiting:
        st.caption(_("scenarios.waiting", criteria=", ".join(sb.criterion_name(c) for c in assessment.waiting)))
    if assessment.not_applicable:
        st.caption(_("scenarios.not_applicable_list",
                     criteria=", ".join(sb.criterion_name(c) for c in assessment.not_applicable)))
    order = list(range(len(assessment.scenarios)))
    if assessment.mean is not None:
        order = list(np.argsort(assessment.mean.places, kind="stable"))
    columns = st.columns(min(3, len(order)))
    for n, index in enumerate(order):
        with columns[n % len(columns)]:
            _card(assessment, int(index), geography)
    _scores(assessment, [int(i) for i in order])


# ------------------------------------------------------------- weights and scores
def _weights(assessment, actor, ws) -> None:
    _ = session.translator()
    lang = session.language()
    if actor.role == "viewer":
        st.info(_("scenarios.viewer_note"))
        return
    if sb.needs_name(actor):
        st.warning(_("scenarios.name_needed"))
        return
    store = workspace.current_store()
    mine = store_scenarios.all_weights(store, ws.id).get(actor.name.strip())
    st.subheader(_("scenarios.weights_title"))
    st.caption(_("scenarios.weights_intro", name=md_inline(actor.name)))
    with st.form("scenario_weights", border=True):
        values = {}
        for group, criteria in (("committee", COMMITTEE), ("cooperation", COOPERATION)):
            st.markdown(f"**{_(f'scenarios.group.{group}')}**")
            columns = st.columns(2)
            for n, criterion in enumerate(criteria):
                default = int(round(mine[criterion])) if mine and criterion in mine else 5
                values[criterion] = columns[n % 2].slider(sb.criterion_name(criterion), 0, 10, min(10, default),
                                                          key=f"weight_{criterion}")
        submitted = st.form_submit_button(_("scenarios.weights_save"), type="primary")
    if submitted:
        try:
            store_scenarios.save_weights(store, actor, ws.id, values)
        except (StoreError, PermissionDenied) as exc:
            error(exc)
        else:
            st.success(_("scenarios.weights_saved", time=sb.now_text()))
            mine = values
    if mine and sum(mine.values()) > 0:
        total = sum(mine.values())
        st.caption(_("scenarios.weights_share", shares=", ".join(
            f"{sb.criterion_name(c)} {percent(mine[c] / total, lang, 0)}" for c in CRITERIA if mine.get(c))))

    judged_by = [[c for c in CRITERIA if cells[c].applicable and cells[c].method == "workshop"]
                 for cells in assessment.cells]
    if not assessment.scenarios or not any(judged_by):
        return
    st.subheader(_("scenarios.scores_title"))
    st.caption(_("scenarios.scores_intro"))
    given = {(s.scenario_id, s.criterion): s for s in store_scenarios.list_scores(store, ws.id)
             if s.participant == actor.name.strip()}
    options = [0, 1, 2, 3, 4, 5]
    for scenario, judged in zip(assessment.scenarios, judged_by, strict=True):
        if not judged:
            continue
        with (st.expander(f"{md_inline(scenario.name)} ({sb.kind_label(scenario.kind)})"),
              st.form(f"scores_{scenario.id}", border=False)):
            entered = {}
            for criterion in judged:
                old = given.get((scenario.id, criterion))
                cols = st.columns([2, 1, 3], vertical_alignment="bottom")
                cols[0].markdown(sb.criterion_name(criterion))
                score = cols[1].selectbox(_("scenarios.col.score"), options,
                                          index=options.index(old.score) if old else 0,
                                          format_func=lambda v: "–" if v == 0 else str(v),
                                          key=f"score_{scenario.id}_{criterion}")
                reason = cols[2].text_input(_("scenarios.reason"), value=old.reason if old else "",
                                            max_chars=200, key=f"reason_{scenario.id}_{criterion}")
                entered[criterion] = (score, reason)
            if st.form_submit_button(_("scenarios.scores_save")):
                try:
                    for criterion, (score, reason) in entered.items():
                        store_scenarios.save_score(store, actor, ws.id, scenario.id, criterion,
                                                   score or None, reason)
                except (StoreError, PermissionDenied) as exc:
                    error(exc)
                else:
                    st.success(_("scenarios.scores_saved", name=md_inline(scenario.name)))


# ------------------------------------------------------------------ combined view
def _combined(assessment) -> None:
    _ = session.translator()
    lang = session.language()
    if not assessment.scenarios:
        st.info(_("scenarios.none"))
        return
    if assessment.mean is None:
        st.info(_("scenarios.nothing_ranked"))
        return
    st.subheader(_("scenarios.combined_title"))
    if assessment.equal_weights:
        st.info(_("scenarios.equal_weights"))
    else:
        st.caption(_("scenarios.participants_count", count=len(assessment.participants),
                     names=md_inline(", ".join(assessment.participants))))
    if assessment.waiting:
        st.caption(_("scenarios.waiting", criteria=", ".join(sb.criterion_name(c) for c in assessment.waiting)))
    if assessment.not_applicable:
        st.caption(_("scenarios.not_applicable_list",
                     criteria=", ".join(sb.criterion_name(c) for c in assessment.not_applicable)))
    st.dataframe(sb.ranking_frame(assessment), hide_index=True, width="stretch", key="combined_ranking")
    st.caption(_("scenarios.topsis_note"))
    if assessment.participant_rankings:
        st.markdown(f"**{_('scenarios.per_participant')}**")
        st.dataframe(pd.DataFrame([{_("scenarios.col.participant"): r.label,
                                    **{s.name: int(r.places[i]) for i, s in enumerate(assessment.scenarios)}}
                                   for r in assessment.participant_rankings]), hide_index=True, width="stretch")
        st.markdown(f"**{_('scenarios.spread_title')}**")
        st.dataframe(pd.DataFrame([{
            _("scenarios.col.criterion"): sb.criterion_name(c),
            _("scenarios.col.min"): percent(s.minimum, lang, 0), _("scenarios.col.q1"): percent(s.q1, lang, 0),
            _("scenarios.col.median"): percent(s.median, lang, 0), _("scenarios.col.q3"): percent(s.q3, lang, 0),
            _("scenarios.col.max"): percent(s.maximum, lang, 0), _("scenarios.col.mean"): percent(s.mean, lang, 0),
        } for c, s in assessment.spread.items()]), hide_index=True, width="stretch")
    _sensitivity(assessment)


def _sensitivity(assessment) -> None:
    _ = session.translator()
    lang = session.language()
    leader = int(np.argmin(assessment.mean.places))
    names = [s.name for s in assessment.scenarios]
    st.subheader(_("scenarios.sensitivity_title"))
    st.caption(_("scenarios.sensitivity_intro", leader=md_inline(names[leader])))
    if len(names) > 1:
        st.dataframe(pd.DataFrame([{
            _("scenarios.col.criterion"): sb.criterion_name(assessment.criteria[r.criterion]),
            _("scenarios.col.weight_now"): percent(r.current, lang, 1),
            _("scenarios.col.leads_from"): percent(r.low, lang, 1),
            _("scenarios.col.leads_to"): percent(r.high, lang, 1),
            _("scenarios.col.then"): ", ".join(names[i] for i in (r.low_rival, r.high_rival) if i is not None) or "–",
        } for r in assessment.leader_ranges]), hide_index=True, width="stretch", key="sensitivity_table")
    flip = assessment.flip
    if flip is None:
        st.caption(_("scenarios.no_flip"))
        return
    st.info(_("scenarios.flip", criterion=sb.criterion_name(assessment.criteria[flip.criterion]),
              now=percent(flip.current, lang, 1), at=percent(flip.at, lang, 1),
              change=("+" if flip.change > 0 else "") + number(flip.change * 100, lang, 1),
              first=md_inline(names[flip.first]), second=md_inline(names[flip.second])))


# ----------------------------------------------------------------------- proposals
def proposal_spec(minimum: int, area: str) -> str:
    """The URL form of a proposal's parameters: ``<threshold>:<area>`` (a county, ``all``,
    or municipality numbers comma-separated for a selection)."""
    return f"{int(minimum)}:{area}"


def parse_proposal_spec(text: str, geography) -> tuple[int, str, list[str]] | None:
    """Threshold, area and municipalities of a ``?forslag=`` value (None when unusable)."""
    minimum, sep, area = (text or "").partition(":")
    if not sep or not area.strip():
        return None
    try:
        threshold = int(minimum)
        codes = proposals.area_codes(area, geography)
    except (ValueError, KeyError, LookupError):
        return None
    if threshold < 0 or not codes:
        return None
    return threshold, area, codes


def _make_proposal(codes, minimum: int, geography, ws):
    try:
        found = service.register(workspace.current_store(), ws.id)
    except Exception:  # noqa: BLE001 - proposals work without the register
        found = None
    return proposals.propose(codes, geography, int(minimum), service.affinity(found))


def _current_proposal(geography, ws, labels: dict[str, str], options: list[str]):
    """The proposal the URL names (``?forslag=``), made again when the session does not
    hold it (a reload, a shared link): the method is deterministic, so the same
    parameters give the same regions. A proposal the session holds but the URL lost
    (back from another page) is put back in the URL."""
    _ = session.translator()
    lang = session.language()
    text = st.query_params.get(PROPOSAL_PARAM)
    held = st.session_state.get(PROPOSAL_KEY)
    if not text:
        if held is None:
            return None
        st.query_params[PROPOSAL_PARAM] = held[0]
        return held[1]
    if held is not None and held[0] == text:
        return held[1]
    parsed = parse_proposal_spec(text, geography)
    if parsed is None:
        del st.query_params[PROPOSAL_PARAM]
        st.session_state.pop(PROPOSAL_KEY, None)
        return None
    minimum, area, codes = parsed
    proposal = _make_proposal(codes, minimum, geography, ws)
    st.session_state[PROPOSAL_KEY] = (text, proposal)
    where = labels.get(area) or (area if area in options else _("scenarios.area_selection"))
    st.caption(_("scenarios.proposal_from_link", area=md_inline(where), minimum=number(minimum, lang)))
    return proposal


def _proposals(geography, actor, ws) -> None:
    _ = session.translator()
    lang = session.language()
    st.caption(_("scenarios.proposals_intro"))
    units = geography.units
    counties = sorted({str(c) for c in units["county"] if str(c)})
    options = ["selection", "all", *counties]
    labels = {"selection": _("scenarios.area_selection"), "all": _("scenarios.area_all")}
    default = "Trøndelag" if "Trøndelag" in counties else options[0]
    urlstate.widget("proposal_area", "omrade", options=options, default=default)
    cols = st.columns([2, 1, 1], vertical_alignment="bottom")
    area = cols[0].selectbox(_("scenarios.area"), options, format_func=lambda v: labels.get(v, v),
                             key="proposal_area")
    urlstate.widget("proposal_min", "minst", default=15_000, parse=int)
    minimum = cols[1].number_input(_("scenarios.min_population"), min_value=0, max_value=1_000_000,
                                   step=1_000, key="proposal_min")
    if cols[2].button(_("scenarios.propose"), type="primary", key="proposal_run"):
        codes = session.selection() if area == "selection" else proposals.area_codes(area, geography)
        if not codes:
            st.warning(_("scenarios.need_members"))
        else:
            spec = proposal_spec(int(minimum), ",".join(codes) if area == "selection" else area)
            st.session_state[PROPOSAL_KEY] = (spec, _make_proposal(codes, int(minimum), geography, ws))
            st.query_params[PROPOSAL_PARAM] = spec
    proposal = _current_proposal(geography, ws, labels, options)
    if proposal is None:
        return
    names = dict(zip(units["kommunenummer"], units["name"], strict=True))
    st.success(_("scenarios.proposal_summary", regions=len(proposal.regions), count=len(proposal.area),
                 seconds=number(proposal.seconds, lang, 2)))
    below = [r for r in proposal.regions if not r.meets_threshold]
    if below:
        st.warning(_("scenarios.proposal_below", names=md_inline("; ".join(
            ", ".join(names.get(c, c) for c in r.members) for r in below))))
    left, right = st.columns([3, 2])
    with left:
        st.plotly_chart(plotly_figure(sb.regions_map(geography, proposal.region_of())), config=sb.TOPOJSON_CONFIG,
                        width="stretch", key="proposal_map")
    with right:
        st.dataframe(pd.DataFrame([{
            _("scenarios.col.region"): i + 1,
            _("common.population"): number(r.population, lang),
            _("scenarios.col.largest"): names.get(r.largest, r.largest),
            _("scenarios.col.distance"): number(r.max_distance_km, lang, 1),
            _("scenarios.members"): ", ".join(names.get(c, c) for c in r.members),
        } for i, r in enumerate(proposal.regions)]), hide_index=True, width="stretch", height=420)
    if actor.role == "viewer":
        return
    index = st.selectbox(_("scenarios.adopt_region"), list(range(len(proposal.regions))),
                         format_func=lambda i: _("scenarios.region_label", n=i + 1) + ": " + ", ".join(
                             names.get(c, c) for c in proposal.regions[i].members), key="proposal_region")
    region = proposal.regions[index]
    with st.form("proposal_adopt", border=True):
        cols = st.columns([1, 2, 1], vertical_alignment="bottom")
        kind = cols[0].selectbox(_("scenarios.kind"), ["merger", "cooperation"], format_func=sb.kind_label)
        name = cols[1].text_input(_("scenarios.name"), max_chars=200)
        adopt = cols[2].form_submit_button(_("scenarios.adopt"), type="primary")
    if adopt:
        label = name.strip() or f"{sb.kind_label(kind)}: {names.get(region.largest, region.largest)}"
        try:
            saved = store_scenarios.save_scenario(workspace.current_store(), actor, ws.id, label, kind,
                                                  list(region.members), origin="proposal")
        except (StoreError, PermissionDenied) as exc:
            error(exc)
        else:
            st.success(_("scenarios.adopted", name=md_inline(saved.name)))
    cols = st.columns(2)
    if cols[0].button(_("scenarios.discard"), key="proposal_discard"):
        st.session_state.pop(PROPOSAL_KEY, None)
        if PROPOSAL_PARAM in st.query_params:
            del st.query_params[PROPOSAL_PARAM]
        st.rerun()
    if cols[1].button(_("scenarios.edit_in_map"), key="proposal_edit"):
        session.set_selection(list(region.members))
        st.switch_page("views/region.py")


# -------------------------------------------------------------------------- manage
def _members_from(source: str, ws, store, geography) -> tuple[list[str], dict]:
    _ = session.translator()
    units = geography.units
    labels = dict(zip(units["kommunenummer"], units["kommunenummer"] + " " + units["name"], strict=True))
    if source == "councils":
        return [c.kommunenummer for c in store.list_councils(ws.id)], {}
    if source == "selection":
        return st.multiselect(_("scenarios.members"), list(labels), default=[c for c in session.selection()
                                                                            if c in labels],
                              format_func=labels.__getitem__, key="new_scenario_members"), {}
    if source == "region":
        saved = store.list_regions(ws.id)
        if not saved:
            st.caption(_("workspace.regions.none"))
            return [], {}
        pick = st.selectbox(_("scenarios.saved_region"), [r.name for r in saved], key="new_scenario_region")
        return next(r.codes for r in saved if r.name == pick), {}
    found = None
    try:
        found = service.register(store, ws.id)
    except Exception:  # noqa: BLE001 - the register is optional
        found = None
    if found is None:
        st.caption(_("scenarios.no_arrangements"))
        return [], {}
    arrangements = list(found)
    chosen = st.multiselect(_("scenarios.arrangements_pick"), [a.id for a in arrangements],
                            format_func=lambda i: next(a.name for a in arrangements if a.id == i),
                            key="new_scenario_arrangements")
    picked = [a for a in arrangements if a.id in chosen]
    members = list(dict.fromkeys(c for a in picked for c in a.members))
    details = {"service_areas": sorted({a.service_area for a in picked if a.service_area}),
               "legal_form": next((a.legal_form for a in picked if a.legal_form), ""),
               "host": next((a.host for a in picked if a.host), ""),
               "arrangements": [a.id for a in picked]}
    return members, details


def _edit_form(box, scenario, geography, store, actor, ws) -> None:
    """Change a scenario's name, kind and members (secretariat), from the version shown."""
    _ = session.translator()
    units = geography.units
    labels = dict(zip(units["kommunenummer"], units["kommunenummer"] + " " + units["name"], strict=True))
    with box.expander(_("scenarios.edit")), st.form(f"edit_{scenario.id}", border=False):
        cols = st.columns([2, 1])
        name = cols[0].text_input(_("scenarios.name"), value=scenario.name, max_chars=200)
        kind = cols[1].selectbox(_("scenarios.kind"), KINDS, index=KINDS.index(scenario.kind),
                                 format_func=sb.kind_label)
        members = st.multiselect(_("scenarios.members"), list(labels),
                                 default=[c for c in scenario.members if c in labels], format_func=labels.__getitem__)
        if st.form_submit_button(_("scenarios.save_changes")):
            if not members:
                st.warning(_("scenarios.need_members"))
                return
            try:
                store_scenarios.save_scenario(store, actor, ws.id, name, kind, members, origin=scenario.origin,
                                              details=scenario.details, scenario_id=scenario.id,
                                              expected_version=scenario.version)
            except ConflictError:
                st.error(_("scenarios.conflict"))
            except (StoreError, PermissionDenied) as exc:
                error(exc)
            else:
                st.rerun()


def _manage(assessment, geography, actor, ws) -> None:
    _ = session.translator()
    lang = session.language()
    store = workspace.current_store()
    if actor.role == "viewer":
        st.info(_("scenarios.read_only"))
    else:
        st.subheader(_("scenarios.new_title"))
        st.caption(_("scenarios.council_proposes"))
        cat = cr.catalogue()
        cols = st.columns([2, 1, 2])
        name = cols[0].text_input(_("scenarios.name"), max_chars=200, key="new_scenario_name")
        kind = cols[1].selectbox(_("scenarios.kind"), KINDS, format_func=sb.kind_label, key="new_scenario_kind")
        source = cols[2].selectbox(_("scenarios.from"), ["councils", "selection", "region", "arrangements"],
                                   format_func=lambda v: _(f"scenarios.from.{v}"), key="new_scenario_source")
        members, details = _members_from(source, ws, store, geography)
        if kind == "cooperation":
            cols = st.columns(3)
            areas = [a.id for a in cat.service_areas]
            details["service_areas"] = cols[0].multiselect(
                _("scenarios.service_areas"), areas, default=[a for a in details.get("service_areas", [])
                                                              if a in areas],
                format_func=lambda i: cr.text(cat.service_area(i).name, lang), key="new_scenario_areas")
            forms = ["", *[f.id for f in cat.forms if f.cooperation]]
            details["legal_form"] = cols[1].selectbox(
                _("scenarios.legal_form"), forms, index=forms.index(details["legal_form"])
                if details.get("legal_form") in forms else 0,
                format_func=lambda i: cr.text(cat.form(i).name, lang) if i else "–", key="new_scenario_form")
            names = dict(zip(geography.units["kommunenummer"], geography.units["name"], strict=True))
            hosts = ["", *members]
            details["host"] = cols[2].selectbox(
                _("scenarios.host"), hosts, index=hosts.index(details["host"]) if details.get("host") in hosts else 0,
                format_func=lambda c: names.get(c, c) if c else "–", key="new_scenario_host")
        note = st.text_input(_("scenarios.note"), max_chars=300, key="new_scenario_note")
        if note.strip():
            details["note"] = note.strip()
        if st.button(_("scenarios.create"), type="primary", key="new_scenario_save"):
            if not members:
                st.warning(_("scenarios.need_members"))
            else:
                label = name.strip() or sb.kind_label(kind)
                try:
                    saved = store_scenarios.save_scenario(store, actor, ws.id, label, kind, members,
                                                          origin=source, details=details)
                except (StoreError, PermissionDenied) as exc:
                    error(exc)
                else:
                    key = "scenarios.created" if saved.on_board else "scenarios.created_proposal"
                    st.success(_(key, name=md_inline(saved.name)))

    st.subheader(_("scenarios.all_title"))
    secretariat = actor.role == "secretariat"
    for scenario in store_scenarios.list_scenarios(store, ws.id):
        box = st.container(border=True)
        cols = box.columns([4, 2, 1], vertical_alignment="center")
        cols[0].markdown(f"**{md_inline(scenario.name)}** – {sb.kind_label(scenario.kind)}")
        cols[0].caption(_("scenarios.meta", version=scenario.version, author=md_inline(scenario.author),
                          time=workspace.local_time(scenario.updated_at)))
        board = cols[1].toggle(_("scenarios.on_board"), value=scenario.on_board, disabled=not secretariat,
                               key=f"board_{scenario.id}")
        if secretariat and board != scenario.on_board:
            try:
                store_scenarios.set_on_board(store, actor, ws.id, scenario.id, board)
            except ConflictError:
                box.error(_("scenarios.conflict"))
            st.rerun()
        if secretariat and cols[2].button(_("scenarios.delete"), key=f"delete_{scenario.id}"):
            store_scenarios.delete_scenario(store, actor, ws.id, scenario.id)
            st.rerun()
        if secretariat:
            _edit_form(box, scenario, geography, store, actor, ws)
        with box.expander(_("scenarios.history")):
            for entry in store_scenarios.scenario_history(store, ws.id, scenario.id):
                st.text(_("scenarios.history_line", time=workspace.local_time(entry.at), author=entry.author,
                          action=_(f"scenarios.action.{entry.action}")))

    if secretariat:
        st.subheader(_("scenarios.methods_title"))
        st.caption(_("scenarios.methods_intro"))
        with st.form("scenario_methods", border=True):
            chosen = {}
            for criterion in MEASURED:
                chosen[criterion] = st.radio(sb.criterion_name(criterion), METHODS,
                                             index=METHODS.index(assessment.methods[criterion]),
                                             format_func=lambda m: _(f"scenarios.method.{m}"), horizontal=True,
                                             key=f"method_{criterion}")
            if st.form_submit_button(_("scenarios.methods_save")):
                store_scenarios.save_methods(store, actor, ws.id, chosen)
                st.rerun()


# -------------------------------------------------------------------------- presenter
@session.fragment(run_every=sb.PRESENTER_POLL_SECONDS)
def _presenter_live(workspace_id: int, geography) -> None:
    """The combined ranking and the leader's map; reads the store every few seconds."""
    _ = session.translator()
    lang = session.language()
    assessment, _fingerprint = sb.assessment(workspace_id)
    if not assessment.scenarios or assessment.mean is None:
        st.markdown(f"<div class='presenter-big'>{html.escape(_('scenarios.none'))}</div>", unsafe_allow_html=True)
        return
    order = list(np.argsort(assessment.mean.places, kind="stable"))
    leader = int(order[0])
    left, right = st.columns([1, 1])
    with left:
        rows = "".join(
            f"<li><span class='presenter-name'>{html.escape(assessment.scenarios[i].name)}</span> "
            f"<span class='presenter-score'>{number(assessment.mean.scores[i], lang, 2)}</span></li>"
            for i in order)
        st.markdown(f"<ol class='presenter-ranking' data-testid='presenter-ranking'>{rows}</ol>",
                    unsafe_allow_html=True)
        if assessment.flip is not None:
            flip = assessment.flip
            st.markdown("<div class='presenter-note'>"
                        + html.escape(_("scenarios.flip", criterion=sb.criterion_name(assessment.criteria[flip.criterion]),
                                      now=percent(flip.current, lang, 1), at=percent(flip.at, lang, 1),
                                      change=("+" if flip.change > 0 else "") + number(flip.change * 100, lang, 1),
                                      first=assessment.scenarios[flip.first].name,
                                      second=assessment.scenarios[flip.second].name))
                        + "</div>", unsafe_allow_html=True)
        st.caption(_("scenarios.presenter_note", seconds=sb.PRESENTER_POLL_SECONDS, time=sb.now_text())
                   + " · " + _("scenarios.participants_count", count=len(assessment.participants),
                               names=md_inline(", ".join(assessment.participants) or "–")))
    with right:
        st.plotly_chart(plotly_figure(sb.members_map(geography, assessment.scenarios[leader].members, height=680)),
                        config=sb.TOPOJSON_CONFIG, width="stretch", key="presenter_map")


PRESENTER_CSS = """
<style>
.presenter-ranking { padding-left: 3rem; }
.presenter-ranking li, .presenter-ranking li span { font-size: clamp(1.3rem, 2.4vw, 2.8rem) !important;
  line-height: 1.4; word-break: normal; overflow-wrap: break-word; }
.presenter-ranking li:first-child { font-weight: 700; }
.presenter-score { color: #555; font-variant-numeric: tabular-nums; margin-left: 0.6rem; }
.presenter-note { font-size: clamp(1rem, 1.6vw, 1.5rem); margin-top: 1rem; }
.presenter-big { font-size: 2rem; }
h1 { font-size: clamp(2rem, 3.5vw, 3.2rem) !important; }
</style>
"""


def _presenter(ws, geography) -> None:
    _ = session.translator()
    st.markdown(PRESENTER_CSS, unsafe_allow_html=True)
    cols = st.columns([5, 1], vertical_alignment="center")
    cols[0].title(f"{_('scenarios.title')} – {md_inline(ws.name)}")
    if cols[1].button(_("scenarios.presenter_close"), key="presenter_close"):
        del st.query_params["presenter"]
        st.rerun()
    _presenter_live(ws.id, geography)


# ------------------------------------------------------------------------------ page
def render() -> None:
    _ = session.translator()
    ws = workspace.current_workspace()
    actor = workspace.current_actor()
    geography = current_geography()
    if st.query_params.get("presenter") == "1":
        _presenter(ws, geography)
        return
    st.title(_("scenarios.title"))
    st.caption(_("scenarios.intro"))
    urlstate.widget("scenario_view", "visning", options=VIEWS, default="board")
    view = st.segmented_control(_("scenarios.view"), VIEWS, format_func=lambda v: _(f"scenarios.view.{v}"),
                                key="scenario_view") or "board"
    with st.container(horizontal=True, gap="small", vertical_alignment="center"):
        presenter = st.button(_("scenarios.presenter_open"), key="presenter_open", icon=":material/slideshow:")
        urlstate.copy_link_button("scenario_copy_link")
    if presenter:
        st.query_params["presenter"] = "1"
        st.rerun()
    assessment, _fingerprint = sb.assessment(ws.id)
    if view == "board":
        _board(assessment, geography)
    elif view == "weights":
        _weights(assessment, actor, ws)
    elif view == "combined":
        _combined(assessment)
    elif view == "proposals":
        _proposals(geography, actor, ws)
    else:
        _manage(assessment, geography, actor, ws)


session.guarded(render)
