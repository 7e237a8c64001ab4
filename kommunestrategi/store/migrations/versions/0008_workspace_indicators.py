"""A workspace's own indicators: new indicators for unmapped SSB content codes and the
kinds confirmed for an uploaded file's unknown indicators.

Revision ID: 0008_workspace_indicators
Revises: 0007_login_limits
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_workspace_indicators"
down_revision = "0007_login_limits"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "workspace_indicators",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("workspace_id", sa.Integer,
                  sa.ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False),
        sa.Column("indicator_id", sa.String(64), nullable=False),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("workspace_id", "indicator_id", name="uq_workspace_indicator"),
    )


def downgrade() -> None:
    op.drop_table("workspace_indicators")
