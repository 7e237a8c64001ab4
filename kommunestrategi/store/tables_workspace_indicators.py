"""Store table of a workspace's own indicators (revision 0008_workspace_indicators).

``workspace_indicators`` holds indicators the secretariat added to the catalogue for
one workspace: a new indicator defined on the Data page for an SSB content code the
bundled catalogue does not map, or the kind (count, mean, ratio, index) confirmed for
an indicator of an uploaded file. ``data`` is the definition as JSON (name, unit,
dimension, sector, direction, aggregation rule, ...); ``version`` counts its saves;
every save also goes to the history (entity ``indicator``).
"""

from __future__ import annotations

from sqlalchemy import Column, DateTime, ForeignKey, Integer, String, Table, Text, UniqueConstraint

from kommunestrategi.store.models import metadata

workspace_indicators = Table(
    "workspace_indicators", metadata,
    Column("id", Integer, primary_key=True),
    Column("workspace_id", Integer, ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False),
    Column("indicator_id", String(64), nullable=False),
    Column("data", Text, nullable=False),
    Column("version", Integer, nullable=False),
    Column("author", String(200), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("workspace_id", "indicator_id", name="uq_workspace_indicator"),
)
