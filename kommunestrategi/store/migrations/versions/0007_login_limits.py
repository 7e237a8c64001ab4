"""Login limits per role: the role (and council) a successful attempt logged into,
and an index for counting a workspace's attempts across clients.

Revision ID: 0007_login_limits
Revises: 0006_workspace_country
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_login_limits"
down_revision = "0006_workspace_country"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("login_attempts") as batch:
        batch.add_column(sa.Column("role", sa.String(40), nullable=False, server_default=""))
    op.create_index("ix_login_attempts_at", "login_attempts", ["workspace_id", "at"])


def downgrade() -> None:
    op.drop_index("ix_login_attempts_at", table_name="login_attempts")
    with op.batch_alter_table("login_attempts") as batch:
        batch.drop_column("role")
