"""A light Streamlit client: one WebSocket speaking Streamlit's own protocol, no browser.

It does what the browser's frontend does for a session - opens a page, keeps the
widgets' states, reports the messages it has cached (so the server sends references
instead of repeats, as it does to a browser) and asks for reruns with changed widget
values or another page - and counts the bytes the server sends. Thirty of these fit
on a machine where thirty Chromiums do not. It does not draw anything, so it measures
the server and the network, not the browser.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

DONE = {ForwardMsg.ScriptFinishedStatus.Value("FINISHED_SUCCESSFULLY"),
        ForwardMsg.ScriptFinishedStatus.Value("FINISHED_WITH_COMPILE_ERROR"),
        ForwardMsg.ScriptFinishedStatus.Value("FINISHED_FRAGMENT_RUN_SUCCESSFULLY")}


@dataclass
class Widget:
    id: str
    kind: str  # the element type, e.g. "text_area", "plotly_chart", "selectbox"
    label: str
    options: list[str] = field(default_factory=list)
    fragment: str = ""  # the fragment it was drawn in: changing it reruns only that fragment


@dataclass
class Run:
    bytes: int
    seconds: float
    messages: int


class StreamlitClient:
    def __init__(self, base_url: str) -> None:
        self.ws_url = base_url.replace("http://", "ws://").rstrip("/") + "/_stcore/stream"
        self.ws = None
        self.states: dict[str, WidgetState] = {}
        self.widgets: dict[str, Widget] = {}  # by user key (the part after the last "-" of the id)
        self.cached: dict[str, ForwardMsg] = {}  # what the browser keeps: hash -> message
        self.pages: dict[str, str] = {}  # url path -> page script hash
        self.page_hash = ""
        self.texts: list[str] = []
        self.total_bytes = 0

    async def connect(self) -> None:
        self.ws = await websockets.connect(self.ws_url, subprotocols=["streamlit"], max_size=None,
                                           open_timeout=120, ping_interval=None)

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()

    def _key(self, widget_id: str) -> str:
        return widget_id.rsplit("-", 1)[-1] if widget_id.startswith("$$ID") else widget_id

    def _note(self, msg: ForwardMsg) -> None:
        if msg.WhichOneof("type") == "ref_hash" and msg.ref_hash in self.cached:
            cached = ForwardMsg()
            cached.CopyFrom(self.cached[msg.ref_hash])
            cached.metadata.CopyFrom(msg.metadata)
            msg = cached  # a reference to a message the client has: read it from the cache
        elif msg.metadata.cacheable and msg.hash:
            self.cached[msg.hash] = msg
        kind = msg.WhichOneof("type")
        if kind == "navigation":
            for page in msg.navigation.app_pages:
                self.pages[page.url_pathname] = page.page_script_hash
            self.page_hash = msg.navigation.page_script_hash or self.page_hash
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            element = msg.delta.new_element
            etype = element.WhichOneof("type")
            inner = getattr(element, etype) if etype else None
            if inner is not None and hasattr(inner, "id") and getattr(inner, "id", ""):
                options = list(getattr(inner, "options", [])) if hasattr(inner, "options") else []
                previous = self.widgets.get(self._key(inner.id))
                if previous is not None and previous.id != inner.id:
                    # the same widget drawn anew (e.g. a chart with a new figure): the browser
                    # forgets the old one's state
                    self.states.pop(previous.id, None)
                self.widgets[self._key(inner.id)] = Widget(inner.id, etype, getattr(inner, "label", ""), options,
                                                           msg.delta.fragment_id)
            for attr in ("body", "label"):
                if inner is not None and hasattr(inner, attr) and isinstance(getattr(inner, attr), str):
                    self.texts.append(getattr(inner, attr))

    async def rerun(self, *, page: str | None = None, query: str = "", changed: Widget | None = None,
                    timeout: float = 180) -> Run:
        """Ask for a rerun (of ``page`` if given) with the current widget states; wait until it finished.

        ``changed`` is the widget the user changed: inside a fragment, as the browser
        does, only that fragment is rerun.
        """
        self.texts = []
        back = BackMsg()
        state = back.rerun_script
        state.query_string = query
        if page is not None:
            state.page_script_hash = self.pages.get(page, "")
            state.page_name = page
        else:
            state.page_script_hash = self.page_hash
        if changed is not None and changed.fragment:
            state.fragment_id = changed.fragment
        state.widget_states.widgets.extend(self.states.values())
        state.cached_message_hashes.extend(sorted(self.cached))
        start = time.perf_counter()
        await self.ws.send(back.SerializeToString())
        return await self._until_finished(start, timeout)

    async def _until_finished(self, start: float, timeout: float) -> Run:
        received = messages = 0
        deadline = time.monotonic() + timeout
        while True:
            frame = await asyncio.wait_for(self.ws.recv(), max(1.0, deadline - time.monotonic()))
            received += len(frame)
            messages += 1
            msg = ForwardMsg()
            msg.ParseFromString(frame)
            self._note(msg)
            if msg.WhichOneof("type") == "script_finished" and msg.script_finished in DONE:
                self.total_bytes += received
                return Run(received, time.perf_counter() - start, messages)

    async def open(self, path: str, query: str = "") -> Run:
        """The first page load of a session (what a browser does after loading the app's files)."""
        await self.connect()
        back = BackMsg()
        back.rerun_script.query_string = query
        back.rerun_script.page_name = path
        start = time.perf_counter()
        await self.ws.send(back.SerializeToString())
        return await self._until_finished(start, 180)

    # --------------------------------------------------------------- widgets
    def widget(self, key: str) -> Widget:
        return self.widgets[key]

    def find(self, kind: str, label_part: str) -> Widget:
        for widget in self.widgets.values():
            if widget.kind == kind and label_part in widget.label:
                return widget
        raise KeyError(f"no {kind} labelled {label_part!r}")

    def set_string(self, widget: Widget, value: str) -> None:
        state = WidgetState(id=widget.id)
        state.string_value = value
        self.states[widget.id] = state

    def set_strings(self, widget: Widget, values: list[str]) -> None:
        state = WidgetState(id=widget.id)
        state.string_array_value.data.extend(values)
        self.states[widget.id] = state

    def set_numbers(self, widget: Widget, values: list[float]) -> None:
        state = WidgetState(id=widget.id)
        state.double_array_value.data.extend(values)
        self.states[widget.id] = state

    def click_map(self, widget: Widget, code: str, index: int) -> None:
        """What the browser sends when a municipality is clicked on the map."""
        self.set_string(widget, json.dumps({"selection": {
            "points": [{"curve_number": 0, "point_number": index, "point_index": index, "location": code}],
            "point_indices": [index], "box": [], "lasso": []}}))

    def forget_page_widgets(self) -> None:
        """On a page switch the browser drops the old page's widget states."""
        self.states.clear()
        self.widgets.clear()
