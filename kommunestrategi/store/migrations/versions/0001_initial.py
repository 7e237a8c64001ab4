"""First schema: workspaces, councils, answers, history, regions, settings, datasets.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _workspace_fk() -> sa.Column:
    return sa.Column("workspace_id", sa.Integer,
                     sa.ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False)


def upgrade() -> None:
    op.create_table(
        "workspaces",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("open_access", sa.Boolean, nullable=False),
    )
    op.create_table(
        "councils",
        sa.Column("id", sa.Integer, primary_key=True),
        _workspace_fk(),
        sa.Column("kommunenummer", sa.String(4), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.UniqueConstraint("workspace_id", "kommunenummer", name="uq_councils_workspace_number"),
    )
    op.create_table(
        "answers",
        sa.Column("id", sa.Integer, primary_key=True),
        _workspace_fk(),
        sa.Column("council", sa.String(4), nullable=False),
        sa.Column("service_area", sa.String(100), nullable=False),
        sa.Column("criterion", sa.String(100), nullable=False),
        sa.Column("field", sa.String(100), nullable=False),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("workspace_id", "council", "service_area", "criterion", "field",
                            name="uq_answers_key"),
    )
    op.create_table(
        "history",
        sa.Column("id", sa.Integer, primary_key=True),
        _workspace_fk(),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("entity", sa.String(50), nullable=False),
        sa.Column("key", sa.Text, nullable=False),
        sa.Column("action", sa.String(50), nullable=False),
        sa.Column("old_value", sa.Text, nullable=True),
        sa.Column("new_value", sa.Text, nullable=True),
        sa.Column("version", sa.Integer, nullable=True),
    )
    op.create_index("ix_history_entity_key", "history", ["workspace_id", "entity", "key"])
    op.create_table(
        "regions",
        sa.Column("id", sa.Integer, primary_key=True),
        _workspace_fk(),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("codes", sa.Text, nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("workspace_id", "name", name="uq_regions_workspace_name"),
    )
    op.create_table(
        "settings",
        sa.Column("id", sa.Integer, primary_key=True),
        _workspace_fk(),
        sa.Column("kind", sa.String(50), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("council", sa.String(4), nullable=False),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("workspace_id", "kind", "name", "council", name="uq_settings_key"),
    )
    op.create_table(
        "dataset_versions",
        sa.Column("id", sa.Integer, primary_key=True),
        _workspace_fk(),
        sa.Column("kind", sa.String(50), nullable=False),
        sa.Column("file_name", sa.String(500), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("counts", sa.Text, nullable=False),
        sa.Column("report", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
    )
    op.create_table(
        "dataset_tables",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("version_id", sa.Integer,
                  sa.ForeignKey("dataset_versions.id", ondelete="CASCADE"), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
        sa.UniqueConstraint("version_id", "name", name="uq_dataset_tables_version_name"),
    )


def downgrade() -> None:
    for name in ("dataset_tables", "dataset_versions", "settings", "regions"):
        op.drop_table(name)
    op.drop_index("ix_history_entity_key", table_name="history")
    for name in ("history", "answers", "councils", "workspaces"):
        op.drop_table(name)
