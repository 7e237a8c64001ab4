"""Store functions for workshop scenarios, participants' weights and workshop scores.

Like the rest of the store every write checks the actor's role, runs in one
transaction with a history row (who, when, old, new) and commits before it
returns. Roles: the **secretariat** creates, edits and deletes scenarios and
decides which are on the board; a **council** may propose a scenario (stored off
the board until the secretariat puts it there); every participant except a
**viewer** sets their own weights and workshop scores, stored under their name
(the actor's name), so a reload or a restarted server loses nothing.
Scenario edits use optimistic concurrency like answers (``expected_version``).
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import delete, func, insert, select, update

from kommunestrategi.codes import normalise_number
from kommunestrategi.scenarios.model import (
    CRITERIA,
    KINDS,
    ORIGINS,
    Scenario,
    ScenarioError,
    WorkshopScore,
    check_score,
    check_weights,
    methods_from,
)
from kommunestrategi.store import names
from kommunestrategi.store.core import Store, _aware, _dump, _now
from kommunestrategi.store.tables_scenarios import scenario_scores, scenario_weights, scenarios
from kommunestrategi.store.types import Actor, ConflictError, PermissionDenied, StoreError

METHODS_KIND = "scenario_methods"
MAX_REASON = 500


def _scenario(row: Any) -> Scenario:
    return Scenario(row.id, row.name, row.kind, tuple(json.loads(row.members)), row.origin, bool(row.on_board),
                    json.loads(row.details), row.version, row.author, _aware(row.updated_at))


def _participant(actor: Actor) -> str:
    if actor.role == "viewer":
        raise PermissionDenied("role viewer may not give weights or scores")
    name = actor.name.strip()
    if not name:
        raise StoreError("a participant needs a name")
    return name[:200]


def list_scenarios(store: Store, workspace_id: int, board_only: bool = False) -> list[Scenario]:
    """The workspace's scenarios in the order they were created (only the board's if asked)."""
    query = select(scenarios).where(scenarios.c.workspace_id == workspace_id)
    if board_only:
        query = query.where(scenarios.c.on_board)
    with store._read() as conn:
        return [_scenario(r) for r in conn.execute(query.order_by(scenarios.c.id)).all()]


def get_scenario(store: Store, workspace_id: int, scenario_id: int) -> Scenario:
    with store._read() as conn:
        row = conn.execute(select(scenarios).where(scenarios.c.workspace_id == workspace_id,
                                                   scenarios.c.id == scenario_id)).first()
    if row is None:
        raise StoreError(f"no scenario {scenario_id} in this workspace")
    return _scenario(row)


def _members(codes: list[str]) -> list[str]:
    out = []
    for code in codes:
        number = normalise_number(code)
        if number is None:
            raise StoreError(f"not a municipality number: {code!r}")
        out.append(number)
    out = list(dict.fromkeys(out))
    if not out:
        raise StoreError("a scenario needs at least one municipality")
    return out


def save_scenario(store: Store, actor: Actor, workspace_id: int, name: str, kind: str, members: list[str],
                  *, origin: str = "selection", details: dict[str, Any] | None = None,
                  on_board: bool | None = None, scenario_id: int | None = None,
                  expected_version: int | None = None) -> Scenario:
    """Create a scenario, or change scenario ``scenario_id`` if nobody changed it since
    ``expected_version`` (else :class:`ConflictError`, nothing written).

    A council's new scenario is a proposal: stored off the board. Only the
    secretariat edits existing scenarios or puts them on the board.
    """
    if actor.role == "viewer" or (actor.role == "council" and scenario_id is not None):
        raise PermissionDenied(f"role {actor.role} may not change scenarios")
    if kind not in KINDS:
        raise StoreError(f"unknown scenario kind: {kind!r}")
    if origin not in ORIGINS:
        raise StoreError(f"unknown scenario origin: {origin!r}")
    name = str(name or "").strip()[:200]
    if not name:
        raise StoreError("a scenario needs a name")
    name = names.checked(name, "scenario name", digits_allowed=True)  # no control or invisible characters
    codes = _members(members)
    board = bool(on_board if on_board is not None else True) and actor.role == "secretariat"
    values = {"name": name, "kind": kind, "members": _dump(codes), "origin": origin,
              "details": _dump(details or {}), "author": actor.name, "updated_at": _now()}
    with store._write() as conn:
        ws = store._get_workspace(conn, workspace_id)
        taken = conn.execute(select(scenarios.c.id).where(
            scenarios.c.workspace_id == ws.id, func.lower(scenarios.c.name) == name.lower())).first()
        if taken is not None and taken.id != scenario_id:
            raise StoreError(f"a scenario named {name!r} exists")
        if scenario_id is None:
            new_id = conn.execute(insert(scenarios).values(
                workspace_id=ws.id, on_board=board, version=1, **values)).inserted_primary_key[0]
            store._history(conn, ws.id, actor, "scenario", str(new_id), "create", None,
                           _dump({k: values[k] for k in ("name", "kind", "members", "origin", "details")}),
                           1, values["updated_at"])
            row = conn.execute(select(scenarios).where(scenarios.c.id == new_id)).one()
            return _scenario(row)
        row = conn.execute(select(scenarios).where(scenarios.c.workspace_id == ws.id,
                                                   scenarios.c.id == scenario_id)).first()
        if row is None:
            raise StoreError(f"no scenario {scenario_id} in this workspace")
        if expected_version is not None and row.version != expected_version:
            raise ConflictError(_scenario(row), values)
        old = _dump({"name": row.name, "kind": row.kind, "members": row.members, "origin": row.origin,
                     "details": row.details, "on_board": bool(row.on_board)})
        board_now = bool(row.on_board) if on_board is None else bool(on_board)
        conn.execute(update(scenarios).where(scenarios.c.id == row.id).values(
            version=row.version + 1, on_board=board_now, **values))
        store._history(conn, ws.id, actor, "scenario", str(row.id), "update", old,
                       _dump({k: values[k] for k in ("name", "kind", "members", "origin", "details")}
                             | {"on_board": board_now}), row.version + 1, values["updated_at"])
        return _scenario(conn.execute(select(scenarios).where(scenarios.c.id == row.id)).one())


def set_on_board(store: Store, actor: Actor, workspace_id: int, scenario_id: int, on_board: bool) -> Scenario:
    """Put a scenario on the board or take it off (secretariat only)."""
    store._require_secretariat(actor, "decide what is on the board")
    current = get_scenario(store, workspace_id, scenario_id)
    return save_scenario(store, actor, workspace_id, current.name, current.kind, list(current.members),
                         origin=current.origin, details=current.details, on_board=on_board,
                         scenario_id=scenario_id, expected_version=current.version)


def delete_scenario(store: Store, actor: Actor, workspace_id: int, scenario_id: int) -> None:
    """Delete a scenario and its workshop scores (secretariat only); the history keeps it."""
    store._require_secretariat(actor, "delete scenarios")
    with store._write() as conn:
        row = conn.execute(select(scenarios).where(scenarios.c.workspace_id == workspace_id,
                                                   scenarios.c.id == scenario_id)).first()
        if row is None:
            raise StoreError(f"no scenario {scenario_id} in this workspace")
        conn.execute(delete(scenario_scores).where(scenario_scores.c.scenario_id == row.id))
        conn.execute(delete(scenarios).where(scenarios.c.id == row.id))
        store._history(conn, workspace_id, actor, "scenario", str(row.id), "delete",
                       _dump({"name": row.name, "kind": row.kind, "members": row.members}), None, None, _now())


def scenario_history(store: Store, workspace_id: int, scenario_id: int) -> list:
    """Every change of one scenario, newest first."""
    return [e for e in store.history(workspace_id, limit=10_000, entity="scenario") if e.key == str(scenario_id)]


# ------------------------------------------------------------------- weights
def save_weights(store: Store, actor: Actor, workspace_id: int, weights: dict[str, Any]) -> dict[str, float]:
    """Store the acting participant's weights for every criterion (replacing earlier ones)."""
    participant = _participant(actor)
    try:
        clean = check_weights(weights)
    except ScenarioError as exc:
        raise StoreError(str(exc)) from None
    new = _dump(clean)
    at = _now()
    with store._write() as conn:
        ws = store._get_workspace(conn, workspace_id)
        row = conn.execute(select(scenario_weights).where(
            scenario_weights.c.workspace_id == ws.id, scenario_weights.c.participant == participant)).first()
        if row is not None and row.weights == new:
            return clean
        if row is None:
            conn.execute(insert(scenario_weights).values(workspace_id=ws.id, participant=participant,
                                                         weights=new, updated_at=at))
        else:
            conn.execute(update(scenario_weights).where(scenario_weights.c.id == row.id)
                         .values(weights=new, updated_at=at))
        store._history(conn, ws.id, actor, "scenario_weights", participant, "save",
                       None if row is None else row.weights, new, None, at)
    return clean


def all_weights(store: Store, workspace_id: int) -> dict[str, dict[str, float]]:
    """Every participant's weights: ``{participant: {criterion: weight}}``."""
    with store._read() as conn:
        rows = conn.execute(select(scenario_weights.c.participant, scenario_weights.c.weights)
                            .where(scenario_weights.c.workspace_id == workspace_id)
                            .order_by(scenario_weights.c.participant)).all()
    return {r.participant: {c: float(v) for c, v in json.loads(r.weights).items() if c in CRITERIA}
            for r in rows}


def remove_weights(store: Store, actor: Actor, workspace_id: int, participant: str) -> None:
    """Take a participant's weights out of the combined view (the secretariat, or themselves)."""
    if actor.role != "secretariat" and _participant(actor) != participant:
        raise PermissionDenied("only the secretariat may remove another participant's weights")
    with store._write() as conn:
        row = conn.execute(select(scenario_weights).where(
            scenario_weights.c.workspace_id == workspace_id, scenario_weights.c.participant == participant)).first()
        if row is None:
            return
        conn.execute(delete(scenario_weights).where(scenario_weights.c.id == row.id))
        store._history(conn, workspace_id, actor, "scenario_weights", participant, "delete", row.weights, None,
                       None, _now())


# -------------------------------------------------------------------- scores
def save_score(store: Store, actor: Actor, workspace_id: int, scenario_id: int, criterion: str,
               score: int | None, reason: str = "") -> WorkshopScore | None:
    """Store (or with ``score=None`` withdraw) the participant's 1-5 score with a one-line reason."""
    participant = _participant(actor)
    if criterion not in CRITERIA:
        raise StoreError(f"unknown criterion: {criterion!r}")
    value = None
    if score is not None:
        try:
            value = check_score(score)
        except ScenarioError as exc:
            raise StoreError(str(exc)) from None
    reason = " ".join(str(reason or "").split())[:MAX_REASON]
    at = _now()
    t = scenario_scores
    key = _dump([scenario_id, criterion, participant])
    with store._write() as conn:
        ws = store._get_workspace(conn, workspace_id)
        if conn.execute(select(scenarios.c.id).where(scenarios.c.workspace_id == ws.id,
                                                     scenarios.c.id == scenario_id)).first() is None:
            raise StoreError(f"no scenario {scenario_id} in this workspace")
        row = conn.execute(select(t).where(t.c.scenario_id == scenario_id, t.c.criterion == criterion,
                                           t.c.participant == participant)).first()
        old = None if row is None else _dump({"score": row.score, "reason": row.reason})
        if value is None:
            if row is not None:
                conn.execute(delete(t).where(t.c.id == row.id))
                store._history(conn, ws.id, actor, "scenario_score", key, "delete", old, None, None, at)
            return None
        new = _dump({"score": value, "reason": reason})
        if old != new:
            if row is None:
                conn.execute(insert(t).values(workspace_id=ws.id, scenario_id=scenario_id, criterion=criterion,
                                              participant=participant, score=value, reason=reason, updated_at=at))
            else:
                conn.execute(update(t).where(t.c.id == row.id).values(score=value, reason=reason, updated_at=at))
            store._history(conn, ws.id, actor, "scenario_score", key, "save", old, new, None, at)
    return WorkshopScore(scenario_id, criterion, participant, value, reason, at)


def list_scores(store: Store, workspace_id: int) -> list[WorkshopScore]:
    t = scenario_scores
    with store._read() as conn:
        rows = conn.execute(select(t).where(t.c.workspace_id == workspace_id)
                            .order_by(t.c.scenario_id, t.c.criterion, t.c.participant)).all()
    return [WorkshopScore(r.scenario_id, r.criterion, r.participant, r.score, r.reason, _aware(r.updated_at))
            for r in rows]


# ------------------------------------------------------------------- methods
def get_methods(store: Store, workspace_id: int) -> dict[str, str]:
    """Measured or workshop per criterion (the workspace's choice over the defaults)."""
    return methods_from(store.get_setting(workspace_id, METHODS_KIND, "methods", default={}))


def save_methods(store: Store, actor: Actor, workspace_id: int, methods: dict[str, str]) -> dict[str, str]:
    """Choose measured or workshop per criterion (secretariat only)."""
    clean = methods_from(methods)
    store.save_setting(actor, workspace_id, METHODS_KIND, "methods", clean)
    return clean


def fingerprint(store: Store, workspace_id: int) -> tuple:
    """A cheap value that changes whenever scenarios, weights, scores or methods change
    (for the presenter view, which polls it every few seconds)."""
    from kommunestrategi.store import models as m

    parts = []
    with store._read() as conn:
        for table in (scenarios, scenario_weights, scenario_scores):
            parts.append(tuple(conn.execute(select(func.count(), func.max(table.c.updated_at))
                                            .where(table.c.workspace_id == workspace_id)).one()))
        parts.append(conn.execute(select(func.max(m.history.c.id)).where(
            m.history.c.workspace_id == workspace_id,
            m.history.c.entity.in_(["scenario", "scenario_weights", "scenario_score", METHODS_KIND]))).scalar())
    return tuple(parts)


# ------------------------------------------------------------ workspace export
def archive_rows(conn: Any, workspace_id: int) -> dict[str, list[dict[str, Any]]]:
    """The workspace's scenarios (with their workshop scores) and weights for the
    workspace export (no database ids: scores name their scenario by position)."""
    from kommunestrategi.store.archive import _time

    rows = conn.execute(select(scenarios).where(scenarios.c.workspace_id == workspace_id)
                        .order_by(scenarios.c.id)).all()
    position = {row.id: n for n, row in enumerate(rows)}
    t = scenario_scores
    scores = conn.execute(select(t).where(t.c.workspace_id == workspace_id)
                          .order_by(t.c.scenario_id, t.c.criterion, t.c.participant)).all()
    weights = conn.execute(select(scenario_weights).where(scenario_weights.c.workspace_id == workspace_id)
                           .order_by(scenario_weights.c.participant)).all()
    return {
        "scenarios": [{"ref": position[r.id], "name": r.name, "kind": r.kind, "members": json.loads(r.members),
                       "origin": r.origin, "details": json.loads(r.details), "on_board": bool(r.on_board),
                       "version": r.version, "author": r.author, "updated_at": _time(r.updated_at)} for r in rows],
        "scenario_scores": [{"scenario": position[s.scenario_id], "criterion": s.criterion,
                             "participant": s.participant, "score": s.score, "reason": s.reason,
                             "updated_at": _time(s.updated_at)} for s in scores if s.scenario_id in position],
        "scenario_weights": [{"participant": w.participant, "weights": json.loads(w.weights),
                              "updated_at": _time(w.updated_at)} for w in weights],
    }


def restore_rows(conn: Any, workspace_id: int, document: dict[str, Any]) -> None:
    """Recreate what :func:`archive_rows` wrote (exports without scenarios have none)."""
    from kommunestrategi.store.archive import _parse_time

    ids: dict[int, int] = {}
    for x in document.get("scenarios", []):
        ids[int(x["ref"])] = conn.execute(insert(scenarios).values(
            workspace_id=workspace_id, name=x["name"], kind=x["kind"], members=_dump(x["members"]),
            origin=x["origin"], details=_dump(x["details"]), on_board=bool(x["on_board"]),
            version=int(x["version"]), author=x["author"],
            updated_at=_parse_time(x["updated_at"]))).inserted_primary_key[0]
    for x in document.get("scenario_scores", []):
        conn.execute(insert(scenario_scores).values(
            workspace_id=workspace_id, scenario_id=ids[int(x["scenario"])], criterion=x["criterion"],
            participant=x["participant"], score=int(x["score"]), reason=x["reason"],
            updated_at=_parse_time(x["updated_at"])))
    for x in document.get("scenario_weights", []):
        conn.execute(insert(scenario_weights).values(
            workspace_id=workspace_id, participant=x["participant"], weights=_dump(x["weights"]),
            updated_at=_parse_time(x["updated_at"])))
