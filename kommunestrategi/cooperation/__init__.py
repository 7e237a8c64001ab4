"""The cooperation register: what each municipality already shares, with whom, in which form.

Public API (used by the Cooperation page, the checklist, the region builder, the
scenarios, the strategy export and the ``cooperation`` command):

* :func:`arrangements_for` - the register of a workspace (imported + app changes);
* :func:`coherence` - inside/crossing counts of a region or selection;
* :mod:`~kommunestrategi.cooperation.analysis` - counts, pairs, flags, overviews;
* :mod:`~kommunestrategi.cooperation.register` - add, edit and end arrangements.
"""

from __future__ import annotations

from typing import Any

from kommunestrategi.cooperation.analysis import (
    FLAGS,
    Coherence,
    MunicipalitySummary,
    coherence,
    counts_table,
    flags,
    for_service,
    overview_rows,
    pair_counts,
    pair_matrix,
    summary,
)
from kommunestrategi.cooperation.model import REGISTER_FIELDS, Arrangement, Register, from_dict, from_tables
from kommunestrategi.cooperation.register import register_for


def arrangements_for(workspace: Any, store: Any = None, *, include_ended: bool = False) -> Register:
    """The register of a workspace (a ``Workspace``, its name or its id).

    Running arrangements only unless ``include_ended``. ``store`` defaults to the
    process's shared store for the configured database.
    """
    if store is None:
        from kommunestrategi.store import Store

        store = Store.shared()
    workspace_id = workspace.id if hasattr(workspace, "id") else store.get_workspace(workspace).id
    register = register_for(store, workspace_id)
    return register if include_ended else register.active()


__all__ = [
    "FLAGS", "REGISTER_FIELDS", "Arrangement", "Coherence", "MunicipalitySummary", "Register", "arrangements_for",
    "coherence", "counts_table", "flags", "for_service", "from_dict", "from_tables", "overview_rows",
    "pair_counts", "pair_matrix", "register_for", "summary",
]
