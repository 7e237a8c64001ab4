"""The current store, workspace and participant for every page, and the sidebar that picks them.

* :func:`current_store` is one :class:`~kommunestrategi.store.Store` per database URL
  and process (``st.cache_resource``); all state lives in that database, none only in
  the process, so any app process can serve any participant.
* :func:`current_workspace` is the workspace picked in the sidebar (remembered in the
  URL as ``?arbeidsflate=``), else the open "Demo" workspace. A locked workspace shows
  a login prompt and stops the page until the participant has logged in.
* :func:`current_actor` is who is acting: logged in with an access code, or through
  OIDC (``st.login``) when that is configured in the secrets, or - in an open
  workspace - a secretariat participant under the name typed in the sidebar.

Authorisation itself is enforced in the store; the UI only hides what a role cannot do.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from kommunestrategi import config
from kommunestrategi.formatting import clock, number, timestamp
from kommunestrategi.store import (
    Actor,
    InvalidAccessCode,
    PermissionDenied,
    SavedRegion,
    Store,
    StoreError,
    TooManyAttempts,
    UnknownWorkspace,
    Workspace,
)
from kommunestrategi.store.auth import actor_for_identity, client_address
from ui import participant, session
from ui.textsafe import md_inline

WORKSPACE_KEY = "workspace_id"
LOGINS_KEY = "workspace_logins"  # {workspace_id: Actor}
NAME_KEY = "participant_name"
QUERY_WORKSPACE = "arbeidsflate"
QUERY_REGION = "region"


@st.cache_resource(show_spinner=False)
def _store_for(url: str) -> Store:
    store = Store.shared(url)
    store.ensure_demo_workspace()
    return store


def current_store() -> Store:
    """The store for the configured database (one per URL and process)."""
    return _store_for(config.database_url())


# ------------------------------------------------------------------ OIDC
def oidc_configured() -> bool:
    """Whether ``st.login`` is set up (an ``[auth]`` section in the secrets)."""
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001 - no secrets file at all
        return False


def _oidc_actor() -> Actor | None:
    """The logged-in OIDC user with the role the secrets give their e-mail address.

    ``[kommunestrategi.roles]`` maps an address to ``secretariat``, ``viewer`` or
    ``council:5001``; everybody else gets ``kommunestrategi.default_role`` (viewer).
    """
    if not oidc_configured() or not st.user.is_logged_in:
        return None
    try:
        settings = dict(st.secrets.get("kommunestrategi", {}))
    except Exception:  # noqa: BLE001 - malformed secrets: least privilege
        settings = {}
    return actor_for_identity(str(st.user.get("name") or ""), str(st.user.get("email") or ""), settings)


# ----------------------------------------------------- workspace and actor
def _logins() -> dict[int, Actor]:
    return st.session_state.setdefault(LOGINS_KEY, {})


def _picked_workspace(store: Store) -> Workspace:
    """The workspace picked in this session or named in the URL, else Demo.

    Whichever way it was chosen (the picker, a deep link ``?arbeidsflate=<id>``, a
    newly created or imported workspace), it is remembered in the session and put
    back into the URL on every page: Streamlit drops the query string when the user
    follows a sidebar link, and the session must not fall back to Demo then.
    """
    memo = session.run_memo()
    picked = memo.get("picked_workspace")
    if picked is None:
        picked = memo["picked_workspace"] = _pick_workspace(store)
    return picked


def _pick_workspace(store: Store) -> Workspace:
    wanted: Any = st.session_state.get(WORKSPACE_KEY) or st.query_params.get(QUERY_WORKSPACE)
    if isinstance(wanted, str) and wanted.strip().isdigit():
        wanted = int(wanted)
    if wanted:
        try:
            workspace = store.get_workspace(wanted)
        except UnknownWorkspace:
            st.session_state.pop(WORKSPACE_KEY, None)
        else:
            st.session_state[WORKSPACE_KEY] = workspace.id
            if st.query_params.get(QUERY_WORKSPACE) != str(workspace.id):
                st.query_params[QUERY_WORKSPACE] = str(workspace.id)
            return workspace
    return store.ensure_demo_workspace()


def _actor_for(workspace: Workspace) -> Actor | None:
    logged_in = _logins().get(workspace.id)
    if logged_in is not None:
        return logged_in
    oidc = _oidc_actor()
    if oidc is not None:
        return oidc
    if workspace.open_access:
        name = str(st.session_state.get(NAME_KEY) or "").strip()
        return Actor(name or session.translator()("workspace.guest"), "secretariat")
    return None


def current_workspace() -> Workspace:
    """The workspace of this session; a locked one without login stops the page with a prompt."""
    memo = session.run_memo()
    found = memo.get("workspace")
    if found is not None:
        return found
    workspace = _picked_workspace(current_store())
    if _actor_for(workspace) is None:
        _ = session.translator()
        st.info(_("workspace.locked_prompt", name=md_inline(workspace.name)))
        st.stop()
    memo["workspace"] = workspace
    return workspace


def current_actor() -> Actor:
    """Who acts in the current workspace (see the module docstring)."""
    workspace = current_workspace()
    actor = _actor_for(workspace)
    assert actor is not None  # current_workspace stopped the page otherwise
    return actor


def role_label(actor: Actor, store: Store | None = None, workspace: Workspace | None = None) -> str:
    """``Sekretariat``, ``Kommune 5001 Trondheim`` or ``Observatør`` in the user's language."""
    _ = session.translator()
    if actor.role == "council":
        names = {c.kommunenummer: c.name for c in store.list_councils(workspace.id)} if store and workspace else {}
        return _("workspace.role.council_of", council=md_inline(f"{actor.council} {names.get(actor.council, '')}"))
    return _(f"workspace.role.{actor.role}")


def _client_id() -> str:
    """The client for login attempt limiting: the peer address, or - only when the
    peer is a proxy named in ``KOMMUNESTRATEGI_TRUSTED_PROXIES`` - the client that
    proxy reports in ``X-Forwarded-For`` (see :func:`kommunestrategi.store.auth.client_address`)."""
    try:
        address = _peer_address()
        forwarded = st.context.headers.get("X-Forwarded-For", "")
    except Exception:  # noqa: BLE001 - outside a browser session (tests)
        return "local"
    return client_address(address, forwarded if isinstance(forwarded, str) else "")


def _peer_address() -> str:
    """The address of the connection's peer.

    ``st.context.ip_address`` is None for a loopback peer, so a reverse proxy on the
    same machine (``KOMMUNESTRATEGI_TRUSTED_PROXIES=127.0.0.1``) would not be
    recognised and every participant behind it would share one count; the session's
    client context still holds the loopback address.
    """
    address = getattr(st.context, "ip_address", None)
    if isinstance(address, str) and address:
        return address
    try:
        from streamlit.runtime.context import _get_client_context

        client = _get_client_context()
        remote = getattr(client, "remote_ip", None) if client is not None else None
    except Exception:  # noqa: BLE001 - a Streamlit without the session's client context
        remote = None
    if isinstance(remote, str) and remote:
        return remote
    return "127.0.0.1"  # Streamlit hides only loopback peers


def switch_to(workspace: Workspace) -> None:
    """Make ``workspace`` this session's workspace (and the URL's)."""
    st.session_state[WORKSPACE_KEY] = workspace.id
    st.query_params[QUERY_WORKSPACE] = str(workspace.id)
    session.new_run()  # what this run looked up was about the previous workspace


def log_in(workspace: Workspace, actor: Actor) -> None:
    """Act as ``actor`` in ``workspace`` for the rest of this session (e.g. its creator)."""
    _logins()[workspace.id] = actor


def _switch_workspace() -> None:
    chosen = st.session_state.get("workspace_picker")
    if chosen is not None:
        st.session_state[WORKSPACE_KEY] = int(chosen)
        st.query_params[QUERY_WORKSPACE] = str(chosen)


def _login(store: Store, workspace: Workspace) -> None:
    _ = session.translator()
    code = st.session_state.get("workspace_code", "")
    name = st.session_state.get("workspace_login_name", "") or st.session_state.get(NAME_KEY, "")
    try:
        actor = store.login(workspace.id, code, _client_id(), name=name)
    except TooManyAttempts as exc:
        st.session_state["workspace_login_error"] = _("workspace.login_blocked",
                                                      minutes=max(1, -(-exc.retry_after // 60)))
        return
    except InvalidAccessCode:
        st.session_state["workspace_login_error"] = _("workspace.login_wrong")
        return
    st.session_state.pop("workspace_login_error", None)
    st.session_state["workspace_code"] = ""
    if str(name).strip():
        participant.set_name(str(name))
    _logins()[workspace.id] = actor


def _store_name() -> None:
    participant.set_name(str(st.session_state.get(NAME_KEY) or ""))


def sidebar() -> None:
    """The sidebar block: workspace picker, login with access code (or OIDC), who you are."""
    _ = session.translator()
    try:
        store = current_store()
        workspaces = store.list_workspaces()
        workspace = _picked_workspace(store)
        st.session_state[session.COUNTRY_KEY] = getattr(workspace, "country", "NO")
    except Exception:  # noqa: BLE001 - the rest of the app works without the store
        session.LOG.exception("store unavailable")
        st.sidebar.warning(_("workspace.store_unavailable"))
        return
    if NAME_KEY not in st.session_state:  # a reload or a restarted server: the stored name
        st.session_state[NAME_KEY] = participant.name()
    participant.remember_in_browser()
    box = st.sidebar.container(border=True)
    ids = [w.id for w in workspaces]
    names = {w.id: w.name + ("" if w.open_access else " 🔒") for w in workspaces}
    if st.session_state.get("workspace_picker") != workspace.id:
        st.session_state["workspace_picker"] = workspace.id
    box.selectbox(_("workspace.picker"), ids, format_func=names.__getitem__, key="workspace_picker",
                  on_change=_switch_workspace)
    actor = _actor_for(workspace)
    if oidc_configured():
        if st.user.is_logged_in:
            if box.button(_("workspace.oidc_logout"), key="oidc_logout"):
                st.logout()
        elif box.button(_("workspace.oidc_login"), key="oidc_login"):
            st.login()
    code_login = workspace.id in _logins()
    if actor is not None:
        box.caption(_("workspace.you_are", name=md_inline(actor.name), role=role_label(actor, store, workspace)))
    if workspace.open_access and not code_login:
        box.text_input(_("workspace.your_name"), key=NAME_KEY, max_chars=80, on_change=_store_name)
        box.caption(_("workspace.open_note"))
    if code_login:
        if box.button(_("workspace.logout"), key="workspace_logout"):
            _logins().pop(workspace.id, None)
            st.rerun()
        return
    target = box if actor is None else box.expander(_("workspace.login_with_code"))
    with target.form("workspace_login", clear_on_submit=False, border=False):
        if actor is None:
            if "workspace_login_name" not in st.session_state:
                st.session_state["workspace_login_name"] = st.session_state.get(NAME_KEY, "")
            st.text_input(_("workspace.your_name"), key="workspace_login_name", max_chars=80)
        st.text_input(_("workspace.access_code"), type="password", key="workspace_code")
        st.form_submit_button(_("workspace.login"), on_click=_login, args=(store, workspace))
    error = st.session_state.get("workspace_login_error")
    if error:
        box.error(error)


# ------------------------------------------------------------ saved regions
def local_time(moment: dt.datetime) -> str:
    """A stored UTC time as local Norwegian date and time in the user's language."""
    return timestamp(moment, session.language())


def _open_region(region: SavedRegion) -> None:
    session.set_selection(region.codes)
    st.query_params[QUERY_REGION] = region.name


def saved_regions_panel(codes: list[str]) -> None:
    """"Name the selection and save it", and the workspace's saved regions to open again.

    Saved regions live in the store, so they survive a refresh, a restart and are seen
    by every participant of the workspace. The last opened or saved region is kept in
    the URL (``?region=``) and opened again after a refresh.
    """
    _ = session.translator()
    lang = session.language()
    store = current_store()
    workspace = current_workspace()
    actor = current_actor()
    regions = store.list_regions(workspace.id)
    by_name = {r.name: r for r in regions}

    remembered = st.query_params.get(QUERY_REGION)
    if not codes and remembered in by_name and not st.session_state.get("region_restored"):
        st.session_state["region_restored"] = True
        _open_region(by_name[remembered])
        st.rerun()

    st.subheader(_("workspace.regions.title"))
    st.caption(_("workspace.regions.intro", workspace=md_inline(workspace.name)))
    if actor.role == "secretariat" and codes:
        with st.form("save_region", border=False):
            cols = st.columns([3, 1], vertical_alignment="bottom")
            name = cols[0].text_input(_("workspace.regions.name"), key="region_save_name", max_chars=200,
                                      placeholder=_("workspace.regions.name_placeholder"))
            save = cols[1].form_submit_button(_("workspace.regions.save"), type="primary")
        if save:
            if not name.strip():
                st.warning(_("workspace.regions.need_name"))
            else:
                try:
                    saved = store.save_region(actor, workspace.id, name, codes)
                except PermissionDenied:
                    st.error(_("workspace.permission_denied"))
                except StoreError as exc:
                    st.error(md_inline(str(exc)))
                else:
                    st.query_params[QUERY_REGION] = saved.name
                    st.success(_("workspace.regions.saved", name=md_inline(saved.name),
                                 time=clock(saved.updated_at)))
                    regions = store.list_regions(workspace.id)
    elif actor.role != "secretariat":
        st.caption(_("workspace.regions.read_only"))

    if not regions:
        st.info(_("workspace.regions.none"))
        return
    for region in regions:
        row = st.container(border=True)
        cols = row.columns([4, 1, 1], vertical_alignment="center")
        cols[0].markdown(f"**{md_inline(region.name)}**")
        cols[0].caption(_("workspace.regions.meta", count=number(len(region.codes), lang),
                          author=md_inline(region.author), time=local_time(region.updated_at)))
        cols[1].button(_("workspace.regions.open"), key=f"region_open_{region.id}",
                       on_click=_open_region, args=(region,))
        if actor.role == "secretariat" and cols[2].button(_("workspace.regions.delete"),
                                                          key=f"region_delete_{region.id}"):
            try:
                store.delete_region(actor, workspace.id, region.name)
            except StoreError as exc:
                st.error(md_inline(str(exc)))
            else:
                if st.query_params.get(QUERY_REGION) == region.name:
                    del st.query_params[QUERY_REGION]
                st.rerun()
