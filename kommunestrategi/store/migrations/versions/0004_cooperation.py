"""The cooperation register: arrangements added or edited in the app.

Revision ID: 0004_cooperation
Revises: 0003_participants
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_cooperation"
down_revision = "0003_participants"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cooperation_arrangements",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("workspace_id", sa.Integer,
                  sa.ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False),
        sa.Column("dataset_sha256", sa.String(64), nullable=False),
        sa.Column("arrangement_id", sa.String(100), nullable=False),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("workspace_id", "dataset_sha256", "arrangement_id",
                            name="uq_cooperation_arrangement"),
    )


def downgrade() -> None:
    op.drop_table("cooperation_arrangements")
