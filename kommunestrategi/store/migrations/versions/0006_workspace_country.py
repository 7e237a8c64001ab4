"""A workspace's country (NO or SE), chosen when it is created; existing ones are Norwegian.

Revision ID: 0006_workspace_country
Revises: 0005_scenarios
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_workspace_country"
down_revision = "0005_scenarios"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("workspaces") as batch:
        batch.add_column(sa.Column("country", sa.String(2), nullable=False, server_default="NO"))


def downgrade() -> None:
    with op.batch_alter_table("workspaces") as batch:
        batch.drop_column("country")
