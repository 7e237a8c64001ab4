"""Checks on a workspace export file before anything of it is stored.

An export file may come from anyone, so its zip is unpacked with hard limits
(members, bytes per member and in total, streamed, whatever the headers say), its
JSON is parsed with a nesting limit and without ``NaN``/``Infinity``, and every
record is checked for type, length and consistency (answers and codes only for
member councils, known roles, visible names). Any problem is one
:class:`~kommunestrategi.store.types.StoreError` line naming the record and field.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import datetime
from typing import Any

from kommunestrategi.codes import normalise_number
from kommunestrategi.io.safety import MemberTooLarge, read_member
from kommunestrategi.store import names
from kommunestrategi.store.types import ROLES, StoreError

#: Largest export file accepted (compressed).
MAX_FILE_BYTES = 512 * 1024 * 1024
#: Most members in the zip.
MAX_MEMBERS = 10_000
#: Largest ``workspace.json`` and dataset table once unpacked, and all members together.
MAX_DOCUMENT_BYTES = 64 * 1024 * 1024
MAX_TABLE_BYTES = 128 * 1024 * 1024
MAX_TOTAL_BYTES = 384 * 1024 * 1024
#: Deepest nesting of JSON arrays/objects anywhere in the document.
MAX_DEPTH = 32
#: Most records of each kind.
MAX_RECORDS = {"councils": 500, "answers": 200_000, "regions": 10_000, "settings": 100_000,
               "datasets": 1_000, "access_codes": 1_000, "history": 1_000_000, "indicators": 5_000,
               "scenarios": 1_000, "scenario_scores": 200_000, "scenario_weights": 10_000,
               "cooperation": 20_000}
MAX_TABLES_PER_DATASET = 100
_TABLE_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,100}$")
_HEX = re.compile(r"^[0-9a-fA-F]{2,512}$")
MAX_TEXT = 200


def _reject_constant(value: str) -> Any:
    raise ValueError(f"{value} is not a number JSON allows")


def parse_json(raw: bytes, what: str) -> Any:
    """Strict JSON: UTF-8, no NaN/Infinity, nested at most :data:`MAX_DEPTH` deep."""
    try:
        value = json.loads(raw.decode("utf-8"), parse_constant=_reject_constant)
    except RecursionError:
        raise StoreError(f"{what} is nested too deeply (at most {MAX_DEPTH} levels)") from None
    except (UnicodeDecodeError, ValueError) as exc:
        reason = str(exc).splitlines()[0][:120]
        raise StoreError(f"{what} is not valid JSON ({reason})") from None
    depth = _depth(value)
    if depth > MAX_DEPTH:
        raise StoreError(f"{what} is nested too deeply ({depth} levels, at most {MAX_DEPTH})")
    return value


def _depth(value: Any) -> int:
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            deepest = max(deepest, level)
            stack.extend((v, level + 1) for v in item.values())
        elif isinstance(item, list):
            deepest = max(deepest, level)
            stack.extend((v, level + 1) for v in item)
    return deepest


def read_archive_limited(data: bytes, document_format: str) -> tuple[dict, dict[str, bytes]]:
    """The document and the dataset tables it names, unpacked within the limits."""
    if len(data) > MAX_FILE_BYTES:
        raise StoreError(f"the workspace export is larger than {MAX_FILE_BYTES // 1048576} MB")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_MEMBERS:
                raise StoreError(f"the workspace export has {len(infos)} files (at most {MAX_MEMBERS})")
            by_name = {info.filename: info for info in infos}
            if "workspace.json" not in by_name:
                raise StoreError("not a workspace export: workspace.json is missing")
            if any(info.flag_bits & 0x1 for info in infos):
                raise StoreError("the workspace export is encrypted")
            raw = read_member(archive, by_name["workspace.json"], MAX_DOCUMENT_BYTES)
            document = parse_json(raw, "workspace.json")
            if not isinstance(document, dict) or document.get("format") != document_format:
                raise StoreError("not a workspace export (unknown format)")
            validate_document(document)
            total = len(raw)
            blobs: dict[str, bytes] = {}
            for dataset in document["datasets"]:
                for table in dataset["tables"]:
                    path = f"datasets/{dataset['ref']}/{table}.json"
                    if path not in by_name:
                        raise StoreError(f"workspace export is missing {path}")
                    blobs[path] = read_member(archive, by_name[path], min(MAX_TABLE_BYTES, MAX_TOTAL_BYTES - total))
                    total += len(blobs[path])
    except MemberTooLarge as exc:
        raise StoreError(f"the workspace export is too large: {exc}") from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, RuntimeError) as exc:  # RuntimeError covers unsupported compression
        reason = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
        raise StoreError(f"not a workspace export: the zip is damaged ({reason})") from None
    return document, blobs


# ----------------------------------------------------------------- records
def _fail(where: str, problem: str) -> None:
    raise StoreError(f"the workspace export is invalid: {where} {problem}")


def _text(record: dict, key: str, where: str, max_length: int = MAX_TEXT, empty: bool = False,
          optional: bool = False) -> None:
    value = record.get(key)
    if value is None and optional:
        return
    if not isinstance(value, str):
        _fail(f"{where}.{key}", "is not text")
    if len(value) > max_length:
        _fail(f"{where}.{key}", f"is {len(value)} characters long (at most {max_length})")
    if not empty and not value.strip():
        _fail(f"{where}.{key}", "is empty")


def _time(record: dict, key: str, where: str) -> None:
    value = record.get(key)
    try:
        datetime.fromisoformat(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        _fail(f"{where}.{key}", "is not a date and time")


def _version(record: dict, key: str, where: str, optional: bool = False) -> None:
    value = record.get(key)
    if value is None and optional:
        return
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 2**31 - 1:
        _fail(f"{where}.{key}", "is not a whole number from 0 to 2147483647")


def _records(document: dict, key: str) -> list[dict]:
    items = document.get(key)
    if not isinstance(items, list):
        _fail(key, "is missing or not a list")
    if len(items) > MAX_RECORDS[key]:
        _fail(key, f"has {len(items)} records (at most {MAX_RECORDS[key]})")
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            _fail(f"{key}[{index}]", "is not an object")
    return items


def validate_document(document: dict) -> None:
    """Every record of ``workspace.json`` checked; :class:`StoreError` at the first problem."""
    meta = document.get("workspace")
    if not isinstance(meta, dict):
        _fail("workspace", "is missing")
    found = names.problem(meta.get("name"))
    if found:
        _fail("workspace.name", found)
    _time(meta, "created_at", "workspace")
    if not isinstance(meta.get("open_access"), bool):
        _fail("workspace.open_access", "is not true or false")
    if meta.get("country") is not None and meta.get("country") not in ("NO", "SE"):
        _fail("workspace.country", "is not NO or SE")

    members: set[str] = set()
    for i, x in enumerate(_records(document, "councils")):
        where = f"councils[{i}]"
        number = x.get("kommunenummer")
        if not isinstance(number, str) or normalise_number(number) != number:
            _fail(f"{where}.kommunenummer", "is not a municipality number")
        if number in members:
            _fail(f"{where}.kommunenummer", f"{number} is listed twice")
        members.add(number)
        _text(x, "name", where)

    def member(value: object, where: str, empty: bool = False) -> None:
        if empty and value in ("", None):
            return
        if value not in members:
            _fail(where, f"{str(value)[:20]!r} is not a member council of the workspace")

    for i, x in enumerate(_records(document, "answers")):
        where = f"answers[{i}]"
        member(x.get("council"), f"{where}.council")
        for key in ("service_area", "criterion", "field"):
            _text(x, key, where, max_length=100)
        _version(x, "version", where)
        _text(x, "author", where, empty=True)
        _time(x, "updated_at", where)
    for i, x in enumerate(_records(document, "regions")):
        where = f"regions[{i}]"
        found = names.problem(x.get("name"), digits_allowed=True)
        if found:
            _fail(f"{where}.name", found)
        codes = x.get("codes")
        if not isinstance(codes, list) or len(codes) > 2_000 or not all(isinstance(c, str) and len(c) <= 10
                                                                        for c in codes):
            _fail(f"{where}.codes", "is not a list of municipality numbers")
        _text(x, "author", where, empty=True)
        _time(x, "updated_at", where)
    for i, x in enumerate(_records(document, "settings")):
        where = f"settings[{i}]"
        _text(x, "kind", where, max_length=50)
        _text(x, "name", where)
        member(x.get("council"), f"{where}.council", empty=True)
        _version(x, "version", where)
        _text(x, "author", where, empty=True)
        _time(x, "updated_at", where)
    refs: set[object] = set()
    for i, x in enumerate(_records(document, "datasets")):
        where = f"datasets[{i}]"
        ref = x.get("ref")
        if isinstance(ref, bool) or not isinstance(ref, int) or not 0 <= ref < MAX_RECORDS["datasets"] or ref in refs:
            _fail(f"{where}.ref", "is not a unique number")
        refs.add(ref)
        _text(x, "kind", where, max_length=50)
        _text(x, "file_name", where, max_length=500)
        sha = x.get("sha256")
        if not isinstance(sha, str) or not re.fullmatch(r"[0-9a-f]{64}", sha):
            _fail(f"{where}.sha256", "is not a SHA-256 in hex")
        _text(x, "author", where, empty=True)
        _time(x, "created_at", where)
        tables = x.get("tables")
        if not isinstance(tables, list) or len(tables) > MAX_TABLES_PER_DATASET \
                or not all(isinstance(t, str) and _TABLE_NAME.match(t) for t in tables):
            _fail(f"{where}.tables", "is not a list of table names")
        if not isinstance(x.get("active"), bool):
            _fail(f"{where}.active", "is not true or false")
    for i, x in enumerate(_records(document, "access_codes")):
        where = f"access_codes[{i}]"
        role = x.get("role")
        if role not in ROLES:
            _fail(f"{where}.role", f"{str(role)[:20]!r} is not one of {', '.join(ROLES)}")
        if role == "council":
            member(x.get("council"), f"{where}.council")
        elif x.get("council") not in ("", None):
            _fail(f"{where}.council", f"is set for the role {role}")
        for key in ("salt", "code_hash"):
            if not isinstance(x.get(key), str) or not _HEX.match(x[key]):
                _fail(f"{where}.{key}", "is not hex bytes")
        _text(x, "author", where, empty=True)
        _time(x, "created_at", where)
    if "indicators" in document:  # a workspace's own indicators (exports before revision 0008 have none)
        seen: set[object] = set()
        for i, x in enumerate(_records(document, "indicators")):
            where = f"indicators[{i}]"
            _text(x, "indicator_id", where, max_length=64)
            if x["indicator_id"] in seen:
                _fail(f"{where}.indicator_id", "is listed twice")
            seen.add(x["indicator_id"])
            if not isinstance(x.get("data"), dict):
                _fail(f"{where}.data", "is not an object")
            _version(x, "version", where)
            _text(x, "author", where, empty=True)
            _time(x, "updated_at", where)
    for i, x in enumerate(_records(document, "history")):
        where = f"history[{i}]"
        _time(x, "at", where)
        _text(x, "author", where, empty=True)
        for key in ("entity", "action"):
            _text(x, key, where, max_length=50)
        _text(x, "key", where, max_length=1000, empty=True)
        for key in ("old_value", "new_value"):
            _text(x, key, where, max_length=1_000_000, empty=True, optional=True)
        _version(x, "version", where, optional=True)
    _validate_workshop(document)


def _validate_workshop(document: dict) -> None:
    """Scenarios, their workshop scores and weights, and the cooperation register
    (exports made before these existed have none of them)."""
    from kommunestrategi.scenarios.model import (
        CRITERIA,
        KINDS,
        ORIGINS,
        ScenarioError,
        check_score,
        check_weights,
    )

    refs: set[object] = set()
    taken: set[str] = set()
    for i, x in enumerate(_records(document, "scenarios") if "scenarios" in document else []):
        where = f"scenarios[{i}]"
        ref = x.get("ref")
        if isinstance(ref, bool) or not isinstance(ref, int) or not 0 <= ref < MAX_RECORDS["scenarios"] or ref in refs:
            _fail(f"{where}.ref", "is not a unique number")
        refs.add(ref)
        found = names.problem(x.get("name"), digits_allowed=True)
        if found:
            _fail(f"{where}.name", found)
        if x["name"].strip().lower() in taken:
            _fail(f"{where}.name", "is used by another scenario")
        taken.add(x["name"].strip().lower())
        if x.get("kind") not in KINDS:
            _fail(f"{where}.kind", f"{str(x.get('kind'))[:20]!r} is not one of {', '.join(KINDS)}")
        if x.get("origin") not in ORIGINS:
            _fail(f"{where}.origin", f"{str(x.get('origin'))[:20]!r} is not one of {', '.join(ORIGINS)}")
        codes = x.get("members")
        if not isinstance(codes, list) or len(codes) > 2_000 \
                or not all(isinstance(c, str) and normalise_number(c) == c for c in codes):
            _fail(f"{where}.members", "is not a list of municipality numbers")
        if not isinstance(x.get("details"), dict):
            _fail(f"{where}.details", "is not an object")
        if not isinstance(x.get("on_board"), bool):
            _fail(f"{where}.on_board", "is not true or false")
        _version(x, "version", where)
        _text(x, "author", where, empty=True)
        _time(x, "updated_at", where)
    for i, x in enumerate(_records(document, "scenario_scores") if "scenario_scores" in document else []):
        where = f"scenario_scores[{i}]"
        if x.get("scenario") not in refs or isinstance(x.get("scenario"), bool):
            _fail(f"{where}.scenario", "names no scenario of the export")
        if x.get("criterion") not in CRITERIA:
            _fail(f"{where}.criterion", f"{str(x.get('criterion'))[:30]!r} is not a criterion")
        _text(x, "participant", where)
        try:
            check_score(x.get("score"))
        except ScenarioError as exc:
            _fail(f"{where}.score", str(exc).replace("score must be", "is not"))
        _text(x, "reason", where, max_length=500, empty=True)
        _time(x, "updated_at", where)
    for i, x in enumerate(_records(document, "scenario_weights") if "scenario_weights" in document else []):
        where = f"scenario_weights[{i}]"
        _text(x, "participant", where)
        weights = x.get("weights")
        if not isinstance(weights, dict) or set(weights) - set(CRITERIA):
            _fail(f"{where}.weights", "is not an object of criteria and weights")
        try:
            check_weights(weights)
        except ScenarioError as exc:
            _fail(f"{where}.weights", f"are invalid: {exc}")
        _time(x, "updated_at", where)
    for i, x in enumerate(_records(document, "cooperation") if "cooperation" in document else []):
        where = f"cooperation[{i}]"
        _text(x, "dataset_sha256", where, max_length=64, empty=True)
        _text(x, "arrangement_id", where, max_length=100)
        data = x.get("data")
        if not isinstance(data, dict):
            _fail(f"{where}.data", "is not an object")
        found = names.problem(data.get("name"), max_length=500, digits_allowed=True) \
            if data.get("name") not in ("", None) else None
        if found:
            _fail(f"{where}.data.name", found)
        _version(x, "version", where)
        _text(x, "author", where, empty=True)
        _time(x, "updated_at", where)
