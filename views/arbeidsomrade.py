"""Workspace admin (secretariat): workspaces, member councils, access codes, history, export/import."""

import json
import re
import secrets

import pandas as pd
import streamlit as st

from kommunestrategi import countries, history_text
from kommunestrategi.formatting import number
from kommunestrategi.i18n import catalogue
from kommunestrategi.store import ROLES, Actor, PermissionDenied, Store, StoreError, Workspace
from ui import session, workspace
from ui.textsafe import md_inline

HISTORY_LIMIT = 500
VALUE_CHARS = 120


def _municipalities(country: str = "NO") -> dict[str, str]:
    return countries.municipality_names(country)


def _short(value: object) -> str:
    if value is None:
        return ""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= VALUE_CHARS else text[: VALUE_CHARS - 1] + "…"


def _file_stem(name: str) -> str:
    """A workspace name as a download file name: no path separators or control characters."""
    stem = re.sub(r'[\x00-\x1f\x7f/\\:*?"<>|]+', "_", name).strip(" ._")
    return stem[:100] or "arbeidsflate"


def _label(prefix: str, name: str) -> str:
    """The translated label of a history entity or action; the raw name when there is none."""
    key = f"{prefix}.{name}"
    return session.translator()(key) if key in catalogue() else name


def _fail(exc: Exception) -> None:
    _ = session.translator()
    st.error(_("workspace.permission_denied") if isinstance(exc, PermissionDenied) else md_inline(str(exc)))


def _workspaces_tab(store: Store, actor: Actor) -> None:
    _ = session.translator()
    lang = session.language()
    rows = [{
        _("store.admin.col.name"): w.name,
        _("store.admin.col.access"): _("store.admin.open") if w.open_access else _("store.admin.locked"),
        _("country.label"): _(f"country.{w.country}"),
        _("store.admin.col.councils"): number(len(store.list_councils(w.id)), lang),
        _("store.admin.col.created"): workspace.local_time(w.created_at),
    } for w in store.list_workspaces()]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    if actor.role != "secretariat":
        return
    st.subheader(_("store.admin.create"))
    country = st.radio(_("country.label"), countries.COUNTRIES, format_func=lambda c: _(f"country.{c}"),
                       horizontal=True, key="ws_create_country", help=_("country.help"))
    names = _municipalities(country)
    with st.form("create_workspace"):
        name = st.text_input(_("store.admin.col.name"), max_chars=200, placeholder=_("store.admin.name_placeholder"),
                             key="ws_create_name")
        councils = st.multiselect(_("store.admin.col.councils"), list(names),
                                  format_func=lambda c: f"{c} {names[c]}", key="ws_create_councils",
                                  placeholder=_("store.admin.pick_councils"))
        open_access = st.checkbox(_("store.admin.create_open"), key="ws_create_open")
        code = st.text_input(_("store.admin.create_code"), type="password",
                             help=_("store.admin.create_code_help"), key="ws_create_code")
        submitted = st.form_submit_button(_("store.admin.create_button"), type="primary")
    if not submitted:
        return
    if not open_access and len(code.strip()) < 6:
        st.warning(_("store.admin.create_code_needed"))
        return
    try:
        created = store.create_workspace(actor, name, councils, open_access=open_access, country=country)
        if code.strip():
            store.set_access_code(actor, created.id, "secretariat", code)
    except StoreError as exc:
        _fail(exc)
        return
    workspace.log_in(created, actor)
    workspace.switch_to(created)
    st.success(_("store.admin.created", name=md_inline(created.name)))
    st.rerun()


def _councils_tab(store: Store, ws: Workspace, actor: Actor) -> None:
    _ = session.translator()
    members = store.list_councils(ws.id)
    st.dataframe(pd.DataFrame([{_("common.kommunenummer"): c.kommunenummer, _("common.municipality"): c.name}
                               for c in members]), hide_index=True, width="stretch")
    if actor.role != "secretariat":
        return
    names = _municipalities(ws.country)
    current = {c.kommunenummer for c in members}
    cols = st.columns(2)
    with cols[0].form("add_councils"):
        add = st.multiselect(_("store.admin.add_councils"), [c for c in names if c not in current],
                             format_func=lambda c: f"{c} {names[c]}", placeholder=_("store.admin.pick_councils"))
        if st.form_submit_button(_("store.admin.add")) and add:
            try:
                for code in add:
                    store.add_council(actor, ws.id, code)
            except StoreError as exc:
                _fail(exc)
            else:
                st.rerun()
    with cols[1].form("remove_council"):
        remove = st.selectbox(_("store.admin.remove_council"), sorted(current), index=None,
                              format_func=lambda c: f"{c} {names.get(c, '')}", placeholder=_("store.admin.pick_one"))
        st.caption(_("store.admin.remove_note"))
        if st.form_submit_button(_("store.admin.remove")) and remove:
            try:
                store.remove_council(actor, ws.id, remove)
            except StoreError as exc:
                _fail(exc)
            else:
                st.rerun()


def _access_tab(store: Store, ws: Workspace, actor: Actor) -> None:
    _ = session.translator()
    codes = store.list_access_codes(ws.id)
    names = {c.kommunenummer: c.name for c in store.list_councils(ws.id)}
    st.markdown(_("store.admin.access_open") if ws.open_access else _("store.admin.access_locked"))
    if codes:
        st.dataframe(pd.DataFrame([{
            _("store.admin.col.role"): _(f"workspace.role.{c.role}"),
            _("store.admin.col.council"): f"{c.council} {names.get(c.council, '')}" if c.council else "",
            _("store.admin.col.set_at"): workspace.local_time(c.created_at),
            _("store.admin.col.set_by"): c.author,
        } for c in codes]), hide_index=True, width="stretch")
    else:
        st.info(_("store.admin.no_codes"))
    if actor.role != "secretariat":
        return
    has_secretariat_code = any(c.role == "secretariat" for c in codes)
    if ws.open_access:
        if st.button(_("store.admin.lock"), disabled=not has_secretariat_code, type="primary", key="ws_lock"):
            try:
                store.set_open_access(actor, ws.id, False)
            except StoreError as exc:
                _fail(exc)
            else:
                workspace.log_in(ws, actor)
                st.rerun()
        if not has_secretariat_code:
            st.caption(_("store.admin.lock_needs_code"))
    elif st.button(_("store.admin.unlock"), key="ws_unlock"):
        try:
            store.set_open_access(actor, ws.id, True)
        except StoreError as exc:
            _fail(exc)
        else:
            st.rerun()

    st.subheader(_("store.admin.set_code"))
    role = st.selectbox(_("store.admin.col.role"), ROLES, format_func=lambda r: _(f"workspace.role.{r}"),
                        key="code_role")
    council = None
    if role == "council":
        if not names:
            st.info(_("store.admin.no_councils"))
            return
        council = st.selectbox(_("store.admin.col.council"), list(names),
                               format_func=lambda c: f"{c} {names[c]}", key="code_council")
    with st.form("set_code"):
        code = st.text_input(_("workspace.access_code"), type="password", help=_("store.admin.code_help"),
                             key="ws_code_value")
        submitted = st.form_submit_button(_("store.admin.set_code_button"), type="primary")
    if submitted:
        generated = not code.strip()
        code = code.strip() or secrets.token_urlsafe(9)
        try:
            store.set_access_code(actor, ws.id, role, code, council=council)
        except StoreError as exc:
            _fail(exc)
        else:
            st.success(_("store.admin.code_set"))
            if generated:
                st.code(code, language=None)
                st.caption(_("store.admin.code_generated"))
    removable = [(c.role, c.council) for c in codes]
    if removable:
        with st.form("remove_code"):
            chosen = st.selectbox(_("store.admin.remove_code"), removable, index=None,
                                  placeholder=_("store.admin.pick_one"),
                                  format_func=lambda rc: _(f"workspace.role.{rc[0]}") + (f" {rc[1]}" if rc[1] else ""))
            if st.form_submit_button(_("store.admin.remove")) and chosen:
                try:
                    store.remove_access_code(actor, ws.id, chosen[0], chosen[1])
                except StoreError as exc:
                    _fail(exc)
                else:
                    st.rerun()


def _history_tab(store: Store, ws: Workspace) -> None:
    _ = session.translator()
    people = store.participants(ws.id)
    st.subheader(_("store.admin.participants"))
    st.dataframe(pd.DataFrame([{
        _("store.admin.col.who"): name,
        _("store.admin.col.changes"): number(count, session.language()),
        _("store.admin.col.last"): workspace.local_time(last),
    } for name, count, last in people]), hide_index=True, width="stretch")
    st.subheader(_("store.admin.changes"))
    entries = store.history(ws.id, limit=HISTORY_LIMIT)
    kinds = sorted({e.entity for e in entries})
    chosen = st.multiselect(_("store.admin.history_filter"), kinds, key="history_kinds",
                            format_func=lambda k: _label("store.entity", k),
                            placeholder=_("store.admin.history_all"))
    rows = [{
        _("store.admin.col.when"): workspace.local_time(e.at),
        _("store.admin.col.who"): e.author,
        _("store.admin.col.what"): _label("store.entity", e.entity),
        _("store.admin.col.key"): history_text.describe_key(e.entity, e.key, session.language()),
        _("store.admin.col.action"): _label("store.action", e.action),
        _("store.admin.col.old"): _short(history_text.describe_value(e.entity, e.key, e.old_value,
                                                                     session.language())),
        _("store.admin.col.new"): _short(history_text.describe_value(e.entity, e.key, e.new_value,
                                                                     session.language())),
        _("store.admin.col.version"): "" if e.version is None else number(e.version, session.language()),
    } for e in entries if not chosen or e.entity in chosen]
    st.caption(_("store.admin.history_note", count=number(len(rows), session.language())))
    if rows:
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


def _files_tab(store: Store, ws: Workspace, actor: Actor) -> None:
    _ = session.translator()
    if actor.role != "secretariat":  # the file holds the access-code hashes
        st.info(_("store.admin.export_secretariat_only"))
        return
    st.subheader(_("store.admin.export"))
    st.caption(_("store.admin.export_note"))
    if st.button(_("store.admin.export_prepare"), key="export_prepare"):
        st.session_state["workspace_export"] = (ws.id, store.export_workspace(ws.id))
    prepared = st.session_state.get("workspace_export")
    if prepared and prepared[0] == ws.id:
        st.download_button(_("store.admin.export_download"), prepared[1],
                           file_name=_file_stem(ws.name) + ".kommunestrategi.zip", mime="application/zip",
                           type="primary", key="export_download")
    st.subheader(_("store.admin.import"))
    with st.form("import_workspace"):
        upload = st.file_uploader(_("store.admin.import_file"), type=["zip"])
        name = st.text_input(_("store.admin.import_name"), max_chars=200, key="ws_import_name")
        submitted = st.form_submit_button(_("store.admin.import_button"), type="primary")
    if submitted and upload is not None:
        try:
            imported = store.import_workspace(actor, upload.getvalue(), name=name.strip() or None)
        except StoreError as exc:
            _fail(exc)
        else:
            workspace.log_in(imported, actor)
            st.success(_("store.admin.imported", name=md_inline(imported.name)))


def render() -> None:
    _ = session.translator()
    store = workspace.current_store()
    ws = workspace.current_workspace()
    actor = workspace.current_actor()
    st.title(_("store.admin.title"))
    st.caption(_("store.admin.intro", name=md_inline(ws.name)))
    if actor.role != "secretariat":
        st.info(_("store.admin.read_only"))
    tabs = st.tabs([_("store.admin.tab.workspaces"), _("store.admin.tab.councils"), _("store.admin.tab.access"),
                    _("store.admin.tab.history"), _("store.admin.tab.files")])
    with tabs[0]:
        _workspaces_tab(store, actor)
    with tabs[1]:
        _councils_tab(store, ws, actor)
    with tabs[2]:
        _access_tab(store, ws, actor)
    with tabs[3]:
        _history_tab(store, ws)
    with tabs[4]:
        _files_tab(store, ws, actor)


session.guarded(render)
