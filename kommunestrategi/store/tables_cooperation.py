"""Store tables of the cooperation register (revision 0004_cooperation).

``cooperation_arrangements`` holds the secretariat's changes to the register: an
arrangement added in the app (``dataset_sha256`` empty) or an edit of an imported
one (the SHA-256 of the imported file it belongs to, so the edit applies again when
the same file is active, and travels with a workspace export). ``data`` is the
whole arrangement as JSON; ``version`` counts its saves (optimistic concurrency);
every save also goes to the history (entity ``cooperation``).
"""

from __future__ import annotations

from sqlalchemy import Column, DateTime, ForeignKey, Integer, String, Table, Text, UniqueConstraint

from kommunestrategi.store.models import metadata

cooperation_arrangements = Table(
    "cooperation_arrangements", metadata,
    Column("id", Integer, primary_key=True),
    Column("workspace_id", Integer, ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False),
    Column("dataset_sha256", String(64), nullable=False, default=""),
    Column("arrangement_id", String(100), nullable=False),
    Column("data", Text, nullable=False),
    Column("version", Integer, nullable=False),
    Column("author", String(200), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("workspace_id", "dataset_sha256", "arrangement_id", name="uq_cooperation_arrangement"),
)
