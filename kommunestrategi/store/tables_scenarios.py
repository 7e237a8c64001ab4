"""Tables of the workshop scenarios (revision 0005_scenarios): the scenarios with
their version, each participant's criteria weights and workshop scores."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, DateTime, ForeignKey, Integer, String, Table, Text, UniqueConstraint

from kommunestrategi.store.models import metadata

scenarios = Table(
    "scenarios", metadata,
    Column("id", Integer, primary_key=True),
    Column("workspace_id", Integer, ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(200), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("members", Text, nullable=False),
    Column("origin", String(20), nullable=False),
    Column("details", Text, nullable=False),
    Column("on_board", Boolean, nullable=False, default=True),
    Column("version", Integer, nullable=False),
    Column("author", String(200), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("workspace_id", "name", name="uq_scenarios_workspace_name"),
)

scenario_weights = Table(
    "scenario_weights", metadata,
    Column("id", Integer, primary_key=True),
    Column("workspace_id", Integer, ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False),
    Column("participant", String(200), nullable=False),
    Column("weights", Text, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("workspace_id", "participant", name="uq_scenario_weights_participant"),
)

scenario_scores = Table(
    "scenario_scores", metadata,
    Column("id", Integer, primary_key=True),
    Column("workspace_id", Integer, ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False),
    Column("scenario_id", Integer, ForeignKey("scenarios.id", ondelete="CASCADE"), nullable=False),
    Column("criterion", String(50), nullable=False),
    Column("participant", String(200), nullable=False),
    Column("score", Integer, nullable=False),
    Column("reason", Text, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("scenario_id", "criterion", "participant", name="uq_scenario_scores_key"),
)
