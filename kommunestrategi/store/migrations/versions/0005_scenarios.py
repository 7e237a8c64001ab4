"""Workshop scenarios, each participant's criteria weights and workshop scores.

Revision ID: 0005_scenarios
Revises: 0004_cooperation
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_scenarios"
down_revision = "0004_cooperation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "scenarios",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("workspace_id", sa.Integer,
                  sa.ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("members", sa.Text, nullable=False),
        sa.Column("origin", sa.String(20), nullable=False),
        sa.Column("details", sa.Text, nullable=False),
        sa.Column("on_board", sa.Boolean, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("workspace_id", "name", name="uq_scenarios_workspace_name"),
    )
    op.create_table(
        "scenario_weights",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("workspace_id", sa.Integer,
                  sa.ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False),
        sa.Column("participant", sa.String(200), nullable=False),
        sa.Column("weights", sa.Text, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("workspace_id", "participant", name="uq_scenario_weights_participant"),
    )
    op.create_table(
        "scenario_scores",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("workspace_id", sa.Integer,
                  sa.ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False),
        sa.Column("scenario_id", sa.Integer,
                  sa.ForeignKey("scenarios.id", ondelete="CASCADE"), nullable=False),
        sa.Column("criterion", sa.String(50), nullable=False),
        sa.Column("participant", sa.String(200), nullable=False),
        sa.Column("score", sa.Integer, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("scenario_id", "criterion", "participant", name="uq_scenario_scores_key"),
    )


def downgrade() -> None:
    op.drop_table("scenario_scores")
    op.drop_table("scenario_weights")
    op.drop_table("scenarios")
