"""Answer widgets that save to the store on every change.

Each widget is bound to one stored answer (workspace, council, service area,
criterion, field). When the user changes it, the widget's callback calls
``store.save_answer`` with the version the editor started from; only after that
call has returned does the field show "Lagret 12:03". The browser session keeps
nothing but the widget's current text and the version it was loaded at, so a
refresh, a new tab or a restarted server shows exactly what the store holds.

If someone else saved the same answer in between, the store raises
``ConflictError`` and nothing is written; the field then shows both texts and lets
the user keep theirs, overwrite with their own, or merge by editing.

Every answer has a history (newest first) with restore; restoring is itself a new
change in the store.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import streamlit as st

from kommunestrategi import criteria as cr
from kommunestrategi import formatting, geo
from kommunestrategi.formatting import timestamp
from kommunestrategi.i18n import Translator
from kommunestrategi.store import ConflictError, PermissionDenied, StoreError
from kommunestrategi.strategy import display_value
from ui import workspace
from ui.textsafe import break_autolinks, md_inline

TARGET_PARTS = ("indicator", "baseline", "target", "year")
MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~=$])")


def as_text(value: str) -> str:
    """User text for ``st.markdown``: every markdown/HTML character escaped, line breaks kept,
    so answers such as ``<script>`` or ``=SUM(A1)`` show exactly as typed."""
    escaped = break_autolinks(MARKDOWN_SPECIAL.sub(r"\\\1", value))
    return "  \n".join(escaped.splitlines()) if escaped else escaped


local = formatting.local
clock = formatting.clock


def slug(*parts: object) -> str:
    """A key safe for widget keys and CSS classes (``st-key-...``)."""
    return re.sub(r"[^A-Za-z0-9_-]", "_", "-".join(str(p) for p in parts))


@dataclass(frozen=True)
class AnswerRef:
    """Where one answer lives in the store."""

    workspace_id: int
    council: str
    service_area: str
    criterion: str
    field: str

    @property
    def slug(self) -> str:
        return slug(self.workspace_id, self.council, self.service_area, self.criterion, self.field)

    def args(self) -> tuple:
        return (self.workspace_id, self.council, self.service_area, self.criterion, self.field)


# --- value <-> widget -----------------------------------------------------------


def _widget_keys(ref: AnswerRef, item: cr.Field) -> dict[str, str]:
    if item.type == "indicator_target":
        return {part: f"w.{ref.slug}.{part}" for part in TARGET_PARTS}
    return {"": f"w.{ref.slug}"}


#: Units whose numbers are whole (kroner, months).
WHOLE_UNITS = ("nok", "months")


def _number_text(value: Any, lang: str, decimals: int) -> str:
    """A stored number as the text of its input box, in the language's format."""
    return formatting.input_number(_as_number(value), lang, decimals)


def _to_widget(item: cr.Field, value: Any, lang: str = "nb") -> dict[str, Any]:
    kind = item.type
    if kind == "indicator_target":
        value = value if isinstance(value, Mapping) else {}
        return {
            "indicator": str(value.get("indicator") or ""),
            **{part: _number_text(value.get(part), lang, 1) for part in ("baseline", "target")},
            "year": int(value["year"]) if isinstance(value.get("year"), int | float) else None,
        }
    if kind in ("text", "long_text"):
        return {"": "" if value is None else str(value)}
    if kind == "date":
        return {"": cr.parse_date(value)}
    if kind == "number":
        return {"": _number_text(value, lang, 0 if item.unit in WHOLE_UNITS else 1)}
    if kind in ("multi_choice", "municipalities"):
        return {"": [str(v) for v in value] if isinstance(value, list) else []}
    if kind == "choice":
        return {"": value if value in item.option_ids() else None}
    return {"": value if isinstance(value, str) and value else None}


def _as_number(value: Any) -> float | int | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return value


def _from_widget(item: cr.Field, parts: Mapping[str, Any], lang: str = "nb") -> Any:
    """The value to store from the widgets; ``ValueError`` for a number that is not one."""
    kind = item.type
    if kind == "indicator_target":
        target = {
            "indicator": (parts.get("indicator") or "").strip() or None,
            "baseline": formatting.parse_number(parts.get("baseline"), lang),
            "target": formatting.parse_number(parts.get("target"), lang),
            "year": int(parts["year"]) if parts.get("year") is not None else None,
        }
        return target if any(v is not None for v in target.values()) else None
    value = parts.get("")
    if kind in ("text", "long_text"):
        return value if isinstance(value, str) and value.strip() else None
    if kind == "date":
        return value.isoformat() if isinstance(value, dt.date) else None
    if kind in ("multi_choice", "municipalities"):
        return list(value) if value else None
    if kind == "number":
        number = formatting.parse_number(value, lang) if isinstance(value, str) else _as_number(value)
        if number is not None and ((item.min is not None and number < item.min)
                                   or (item.max is not None and number > item.max)):
            raise ValueError(f"out of range: {number}")
        if number is not None and number.is_integer() and item.unit in WHOLE_UNITS:
            return int(number)
        return number
    return value


# --- the editor --------------------------------------------------------------------

#: Set by a save that changed what the page around the fields shows.
_OUTER_STALE = "autosave.outer_stale"


@st.fragment
def _field_fragment(editor: AnswerEditor, criterion: str, item: cr.Field, choices: tuple[str, ...] | None) -> None:
    """One field as a fragment (see ``AnswerEditor.outer_key``)."""
    editor._field(criterion, item, choices)


class AnswerEditor:
    """Renders autosaving widgets for one council and service area.

    ``answers`` maps ``(criterion, field)`` to the stored ``Answer`` as read at the
    start of this run (one ``get_answers`` call per page run).
    """

    def __init__(self, store: Any, actor: Any, workspace_id: int, council: str, service_area: str,
                 answers: Mapping[tuple[str, str], Any], lang: str, readonly: bool = False,
                 values: Mapping[str, Mapping[str, Any]] | None = None,
                 outer_key: Callable[[Mapping[str, Mapping[str, Any]]], Any] | None = None) -> None:
        self.store = store
        self.actor = actor
        self.workspace_id = workspace_id
        self.council = council
        self.service_area = service_area
        self.answers = answers
        self.lang = lang
        self._ = Translator(lang)
        self.readonly = readonly
        # With ``outer_key`` every field is a fragment of its own: an edit reruns that
        # field alone, and the page around it only when ``outer_key(values)`` (what the
        # page shows of the answers: statuses, warnings, choices) changed with it.
        self.values = {criterion: dict(fields) for criterion, fields in (values or {}).items()}
        self.outer_key = outer_key
        self._drawing = False  # the page is drawing its fields (else: one field's fragment reruns alone)

    @contextmanager
    def drawing(self) -> Iterator[None]:
        """The page draws its fields inside this block; a field drawn outside it is a
        field's fragment rerunning alone, which reads its own answer afresh."""
        self._drawing = True
        try:
            yield
        finally:
            self._drawing = False

    def ref(self, criterion: str, field_id: str) -> AnswerRef:
        return AnswerRef(self.workspace_id, self.council, self.service_area, criterion, field_id)

    # state helpers ---------------------------------------------------------------

    def _sync(self, ref: AnswerRef, item: cr.Field) -> None:
        """Load the stored value into the widgets unless the user has a pending conflict.

        Reloads when the widget is new in this session or the store holds a newer
        version than the one the widget was loaded at (another participant saved).
        """
        state = st.session_state
        if f"conflict.{ref.slug}" in state:
            return
        current = self.answers.get((ref.criterion, ref.field))
        version = current.version if current is not None else None
        keys = _widget_keys(ref, item)
        base_key = f"base.{ref.slug}"
        if base_key not in state or state[base_key] != version or any(k not in state for k in keys.values()):
            shown = current.value if current is not None else self._default(ref)
            for part, value in _to_widget(item, shown, self.lang).items():
                state[keys[part]] = value
            state[base_key] = version

    def _save(self, ref: AnswerRef, item: cr.Field, value: Any | None = None, *, expected: int | None = None,
              use_widget: bool = True) -> None:
        """Write to the store; on success remember the new version and the time."""
        state = st.session_state
        keys = _widget_keys(ref, item)
        if use_widget:
            try:
                value = _from_widget(item, {part: state.get(key) for part, key in keys.items()}, self.lang)
            except ValueError:
                state[f"error.{ref.slug}"] = "autosave.bad_number"
                return
        base = state.get(f"base.{ref.slug}") if expected is None else expected
        try:
            saved = self.store.save_answer(self.actor, *ref.args(), value, expected_version=base)
        except ConflictError as exc:
            state[f"conflict.{ref.slug}"] = {"theirs": exc.current, "mine": value}
            state.pop(f"saved.{ref.slug}", None)
            return
        except PermissionDenied:
            state[f"error.{ref.slug}"] = "autosave.denied"
            self._reload(ref, item)
            return
        except StoreError:
            state[f"error.{ref.slug}"] = "autosave.failed"
            return
        state.pop(f"error.{ref.slug}", None)
        state.pop(f"conflict.{ref.slug}", None)
        state.pop(f"merge.{ref.slug}", None)
        state[f"base.{ref.slug}"] = saved.version
        state[f"saved.{ref.slug}"] = (saved.updated_at, saved.version)
        self._note_value(ref, saved.value)
        if not use_widget:
            for part, widget_value in _to_widget(item, saved.value, self.lang).items():
                state[keys[part]] = widget_value

    def _note_value(self, ref: AnswerRef, value: Any) -> None:
        """Keep ``values`` current; mark the page stale when what it shows of them changed."""
        if self.outer_key is None:
            return
        before = self.outer_key(self.values)
        fields = dict(self.values.get(ref.criterion, {}))
        if value is None:
            fields.pop(ref.field, None)
        else:
            fields[ref.field] = value
        self.values = {**self.values, ref.criterion: fields}
        if self.outer_key(self.values) != before:
            st.session_state[_OUTER_STALE] = True

    @staticmethod
    def _default(ref: AnswerRef) -> Any | None:
        """What an unanswered field shows: the legal-form helper's "Legislation" is the
        workspace's own country's (Sweden for a Swedish workspace, Norway otherwise), as
        the helper assumes; nothing is saved until the user changes it."""
        if (ref.criterion, ref.field) == (cr.HELPER_ID, "country"):
            from ui.session import country

            return "se" if country() == "SE" else "no"
        return None

    def _reload(self, ref: AnswerRef, item: cr.Field) -> None:
        current = self.store.get_answer(*ref.args())
        keys = _widget_keys(ref, item)
        shown = current.value if current is not None else self._default(ref)
        for part, value in _to_widget(item, shown, self.lang).items():
            st.session_state[keys[part]] = value
        st.session_state[f"base.{ref.slug}"] = current.version if current is not None else None

    def _keep_theirs(self, ref: AnswerRef, item: cr.Field) -> None:
        conflict = st.session_state.pop(f"conflict.{ref.slug}", None)
        if conflict:
            theirs = conflict["theirs"]
            keys = _widget_keys(ref, item)
            for part, value in _to_widget(item, theirs.value if theirs else None, self.lang).items():
                st.session_state[keys[part]] = value
            st.session_state[f"base.{ref.slug}"] = theirs.version if theirs else None

    def _overwrite(self, ref: AnswerRef, item: cr.Field, merged_key: str | None = None) -> None:
        conflict = st.session_state.get(f"conflict.{ref.slug}")
        if not conflict:
            return
        theirs = conflict["theirs"]
        value = st.session_state.get(merged_key) if merged_key else conflict["mine"]
        if merged_key and item.type not in ("text", "long_text"):
            value = conflict["mine"]
        st.session_state.pop(f"conflict.{ref.slug}", None)
        self._save(ref, item, value, expected=theirs.version if theirs else None, use_widget=False)

    # rendering -------------------------------------------------------------------

    def field(self, criterion: str, item: cr.Field, choices: Sequence[str] | None = None) -> None:
        """One labelled, autosaving widget with its saved/conflict/error status.

        ``choices`` limits a municipality picker (the host among the partners); a
        stored value outside them stays selectable so nothing is lost."""
        if self.outer_key is not None:
            _field_fragment(self, criterion, item, None if choices is None else tuple(choices))
        else:
            self._field(criterion, item, choices)

    def _field(self, criterion: str, item: cr.Field, choices: Sequence[str] | None) -> None:
        ref = self.ref(criterion, item.id)
        alone = self.outer_key is not None and not self._drawing
        if alone:
            # this field's fragment alone is running: the answers read when the page was
            # drawn may be old (this user's earlier saves, another participant's)
            key = (criterion, item.id)
            self.answers = {**self.answers, key: self.store.get_answer(*ref.args())}
        self._sync(ref, item)
        conflict = st.session_state.get(f"conflict.{ref.slug}")
        # Not disabled during a conflict: changing ``disabled`` would make Streamlit
        # treat it as a new widget and blank the user's unsaved text.
        disabled = self.readonly
        label = cr.text(item.label, self.lang) + (" *" if item.required else "")
        help_text = cr.text(item.help, self.lang) if item.help else None
        keys = _widget_keys(ref, item)
        on_change: Callable[[], None] = lambda: self._save(ref, item)  # noqa: E731
        self._widget(item, label, help_text, keys, disabled, on_change, choices)
        self._status(ref, item, conflict)
        if alone and st.session_state.pop(_OUTER_STALE, False):
            st.rerun(scope="app")  # the page shows something this save changed

    def _widget(self, item: cr.Field, label: str, help_text: str | None, keys: dict[str, str], disabled: bool,
                on_change: Callable[[], None], choices: Sequence[str] | None = None) -> None:
        _ = self._
        kind = item.type
        common = {"disabled": disabled, "on_change": on_change, "help": help_text}
        if kind == "text":
            st.text_input(label, key=keys[""], **common)
        elif kind == "long_text":
            st.text_area(label, key=keys[""], height=120, **common)
        elif kind == "date":
            st.date_input(label, key=keys[""], format="DD.MM.YYYY", min_value=dt.date(2000, 1, 1),
                          max_value=dt.date(2100, 12, 31), **common)
        elif kind == "number":
            # a text box, so the figure shows the Norwegian way (18 500 000, 78,0)
            st.text_input(label, key=keys[""], placeholder=_("autosave.number_placeholder"), **common)
        elif kind == "choice":
            st.selectbox(label, item.option_ids(), key=keys[""], format_func=lambda o: item.option_label(o, self.lang),
                         placeholder=_("autosave.choose"), **common)
        elif kind == "multi_choice":
            st.multiselect(label, item.option_ids(), key=keys[""],
                           format_func=lambda o: item.option_label(o, self.lang),
                           placeholder=_("autosave.choose"), **common)
        elif kind in ("municipalities", "municipality"):
            labels = municipality_labels()
            if kind == "municipalities":
                st.multiselect(label, list(labels), key=keys[""], format_func=lambda c: labels.get(c, c),
                               placeholder=_("autosave.choose_municipalities"), **common)
            else:
                options = list(labels)
                if choices is not None:
                    current = st.session_state.get(keys[""])
                    options = list(dict.fromkeys([*choices, *([current] if current else [])]))
                st.selectbox(label, options, key=keys[""], format_func=lambda c: labels.get(c, c),
                             placeholder=_("autosave.choose"), **common)
        elif kind == "legal_form":
            # the workspace's own country's forms first (a Swedish workspace: kommunalförbund ...)
            from ui.session import country

            home = "se" if country() == "SE" else "no"
            forms = sorted(cr.catalogue().forms, key=lambda f: (f.country != home, f.historic))
            st.selectbox(label, [f.id for f in forms], key=keys[""],
                         format_func=lambda f: cr.text(cr.catalogue().form(f).name, self.lang),
                         placeholder=_("autosave.choose"), **common)
        elif kind == "indicator_target":
            st.markdown(f"**{as_text(label)}**")
            if help_text:
                st.caption(help_text)
            cols = st.columns([3, 1, 1, 1])
            cols[0].text_input(_("autosave.target.indicator"), key=keys["indicator"], disabled=disabled,
                               on_change=on_change)
            cols[1].text_input(_("autosave.target.baseline"), key=keys["baseline"], disabled=disabled,
                               on_change=on_change)
            cols[2].text_input(_("autosave.target.target"), key=keys["target"], disabled=disabled,
                               on_change=on_change)
            cols[3].number_input(_("autosave.target.year"), key=keys["year"], disabled=disabled,
                                 on_change=on_change, min_value=2000, max_value=2100, step=1, format="%d")

    def _status(self, ref: AnswerRef, item: cr.Field, conflict: Mapping[str, Any] | None) -> None:
        _ = self._
        state = st.session_state
        error = state.get(f"error.{ref.slug}")
        if error:
            st.error(_(error))
        if conflict is not None:
            self._conflict(ref, item, conflict)
            return
        saved = state.get(f"saved.{ref.slug}")
        current = self.answers.get((ref.criterion, ref.field))
        if saved is not None:
            moment, version = saved
            with st.container(key=f"saved-{ref.slug}-v{version}"):
                st.caption(":material/check: " + _("autosave.saved", time=clock(moment)))
        elif current is not None:
            st.caption(_("autosave.last_changed", author=md_inline(current.author), time=timestamp(local(current.updated_at), self.lang)))

    def _conflict(self, ref: AnswerRef, item: cr.Field, conflict: Mapping[str, Any]) -> None:
        _ = self._
        theirs = conflict["theirs"]
        with st.container(border=True, key=f"conflict-{ref.slug}"):
            st.warning(_("autosave.conflict", author=md_inline(theirs.author) if theirs else "?",
                         time=clock(theirs.updated_at) if theirs else ""))
            left, right = st.columns(2)
            theirs_text = display_value(item, theirs.value if theirs else None, self.lang)
            mine_text = display_value(item, conflict["mine"], self.lang)
            left.text_area(_("autosave.theirs"), theirs_text, disabled=True, key=f"theirs.{ref.slug}", height=120)
            right.text_area(_("autosave.mine"), mine_text, disabled=True, key=f"mine.{ref.slug}", height=120)
            buttons = st.columns(2)
            buttons[0].button(_("autosave.keep_theirs"), key=f"keep.{ref.slug}",
                              on_click=self._keep_theirs, args=(ref, item), width="stretch")
            buttons[1].button(_("autosave.overwrite"), key=f"overwrite.{ref.slug}",
                              on_click=self._overwrite, args=(ref, item), width="stretch")
            if item.type in ("text", "long_text"):
                merged_key = f"merge.{ref.slug}"
                if merged_key not in st.session_state:
                    st.session_state[merged_key] = f"{theirs_text}\n\n{mine_text}".strip()
                st.text_area(_("autosave.merge_label"), key=merged_key, height=160)
                st.button(_("autosave.save_merged"), key=f"savemerge.{ref.slug}",
                          on_click=self._overwrite, args=(ref, item, merged_key))

    def history(self, criterion: cr.Criterion) -> None:
        """Pick a field of the criterion and see its changes, each with restore."""
        _ = self._
        fields = {f.id: f for f in criterion.fields}
        field_id = st.selectbox(_("autosave.history_field"), list(fields), index=None,
                                format_func=lambda f: cr.text(fields[f].label, self.lang),
                                key=slug("hist", self.workspace_id, self.council, self.service_area, criterion.id),
                                placeholder=_("autosave.choose"))
        if field_id is None:
            return
        item = fields[field_id]
        ref = self.ref(criterion.id, field_id)
        entries = self.store.answer_history(*ref.args())
        if not entries:
            st.caption(_("autosave.history_empty"))
            return
        for entry in entries:
            with st.container(border=True):
                cols = st.columns([2, 5, 1])
                cols[0].caption(f"{timestamp(local(entry.at), self.lang)} · {md_inline(entry.author)}")
                cols[1].text(display_value(item, entry.new_value, self.lang) or _("autosave.empty_value"))
                cols[2].button(_("autosave.restore"), key=f"restore.{ref.slug}.{entry.id}",
                               disabled=self.readonly, on_click=self._restore, args=(ref, item, entry.id))

    def _restore(self, ref: AnswerRef, item: cr.Field, history_id: int) -> None:
        try:
            restored = self.store.restore_answer(self.actor, *ref.args(), history_id)
        except PermissionDenied:
            st.session_state[f"error.{ref.slug}"] = "autosave.denied"
            return
        keys = _widget_keys(ref, item)
        for part, value in _to_widget(item, restored.value, self.lang).items():
            st.session_state[keys[part]] = value
        st.session_state.pop(f"conflict.{ref.slug}", None)
        st.session_state[f"base.{ref.slug}"] = restored.version
        st.session_state[f"saved.{ref.slug}"] = (restored.updated_at, restored.version)

    def apply(self, criterion: str, item: cr.Field, value: Any) -> None:
        """Save a value chosen elsewhere (a saved region, the decision helper)."""
        ref = self.ref(criterion, item.id)
        self._save(ref, item, value, use_widget=False)


@dataclass(frozen=True)
class PageContext:
    """What the checklist and strategy pages start from."""

    store: Any
    workspace: Any
    actor: Any
    councils: dict[str, str]


def page_context(_: Translator) -> PageContext | None:
    """The store, workspace, actor and member councils (number -> name); None, with a
    message to the user, when the workspace has no councils yet."""
    store = workspace.current_store()
    ws = workspace.current_workspace()
    actor = workspace.current_actor()
    councils = {c.kommunenummer: c.name for c in store.list_councils(ws.id)}
    if not councils:
        st.info(_("checklist.no_councils"))
        return None
    return PageContext(store, ws, actor, councils)


@st.cache_data(show_spinner=False)
def municipality_labels() -> dict[str, str]:
    """``{"5001": "5001 Trondheim", ...}`` for pickers."""
    units = geo.load_units()
    return {code: f"{code} {name}" for code, name in zip(units["kommunenummer"], units["name"], strict=True)}
