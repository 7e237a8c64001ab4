"""Durable, shared workspace state: SQLite by default, PostgreSQL by URL.

See :mod:`kommunestrategi.store.core` for the guarantees (authorisation in the
store, history of every change, optimistic concurrency, commit before return)
and the README sections "Store" and "Multi-user deployment".
"""

from kommunestrategi.store.core import DATASET_KINDS, DEMO_WORKSPACE, Store, council_name
from kommunestrategi.store.types import (
    ROLES,
    SYSTEM,
    AccessCodeInfo,
    Actor,
    Answer,
    ConflictError,
    Council,
    DatasetVersion,
    HistoryEntry,
    InvalidAccessCode,
    PermissionDenied,
    SavedRegion,
    StoreError,
    TooManyAttempts,
    UnknownWorkspace,
    Workspace,
)

__all__ = [
    "DATASET_KINDS", "DEMO_WORKSPACE", "ROLES", "SYSTEM", "AccessCodeInfo", "Actor", "Answer",
    "ConflictError", "Council", "DatasetVersion", "HistoryEntry", "InvalidAccessCode", "PermissionDenied",
    "SavedRegion", "Store", "StoreError", "TooManyAttempts", "UnknownWorkspace", "Workspace",
    "council_name",
]
