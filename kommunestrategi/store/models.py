"""The store's tables (SQLAlchemy Core) at the newest migration.

The schema itself is created and changed only by the Alembic revisions in
``migrations/versions``; these definitions are what the queries use, and a test
checks that they match what the migrations build.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

workspaces = Table(
    "workspaces", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("open_access", Boolean, nullable=False, default=False),
    # Revision 0003: NO or SE, chosen at creation.
    Column("country", String(2), nullable=False, server_default="NO"),
)

councils = Table(
    "councils", metadata,
    Column("id", Integer, primary_key=True),
    Column("workspace_id", Integer, ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False),
    Column("kommunenummer", String(4), nullable=False),
    Column("name", String(200), nullable=False),
    UniqueConstraint("workspace_id", "kommunenummer", name="uq_councils_workspace_number"),
)

answers = Table(
    "answers", metadata,
    Column("id", Integer, primary_key=True),
    Column("workspace_id", Integer, ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False),
    Column("council", String(4), nullable=False),
    Column("service_area", String(100), nullable=False),
    Column("criterion", String(100), nullable=False),
    Column("field", String(100), nullable=False),
    Column("value", Text, nullable=False),
    Column("version", Integer, nullable=False),
    Column("author", String(200), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("workspace_id", "council", "service_area", "criterion", "field",
                     name="uq_answers_key"),
)

history = Table(
    "history", metadata,
    Column("id", Integer, primary_key=True),
    Column("workspace_id", Integer, ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("author", String(200), nullable=False),
    Column("entity", String(50), nullable=False),
    Column("key", Text, nullable=False),
    Column("action", String(50), nullable=False),
    Column("old_value", Text, nullable=True),
    Column("new_value", Text, nullable=True),
    Column("version", Integer, nullable=True),
    Index("ix_history_entity_key", "workspace_id", "entity", "key"),
)

regions = Table(
    "regions", metadata,
    Column("id", Integer, primary_key=True),
    Column("workspace_id", Integer, ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(200), nullable=False),
    Column("codes", Text, nullable=False),
    Column("author", String(200), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("workspace_id", "name", name="uq_regions_workspace_name"),
)

settings = Table(
    "settings", metadata,
    Column("id", Integer, primary_key=True),
    Column("workspace_id", Integer, ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(50), nullable=False),
    Column("name", String(200), nullable=False),
    Column("council", String(4), nullable=False, default=""),
    Column("value", Text, nullable=False),
    Column("version", Integer, nullable=False),
    Column("author", String(200), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("workspace_id", "kind", "name", "council", name="uq_settings_key"),
)

dataset_versions = Table(
    "dataset_versions", metadata,
    Column("id", Integer, primary_key=True),
    Column("workspace_id", Integer, ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(50), nullable=False),
    Column("file_name", String(500), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("counts", Text, nullable=False),
    Column("report", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("author", String(200), nullable=False),
    Column("active", Boolean, nullable=False, default=False),
)

dataset_tables = Table(
    "dataset_tables", metadata,
    Column("id", Integer, primary_key=True),
    Column("version_id", Integer, ForeignKey("dataset_versions.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(200), nullable=False),
    Column("data", LargeBinary, nullable=False),
    UniqueConstraint("version_id", "name", name="uq_dataset_tables_version_name"),
)

# Revision 0002: access codes per role (and council) and login attempts.
access_codes = Table(
    "access_codes", metadata,
    Column("id", Integer, primary_key=True),
    Column("workspace_id", Integer, ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False),
    Column("role", String(20), nullable=False),
    Column("council", String(4), nullable=False, default=""),
    Column("salt", LargeBinary, nullable=False),
    Column("code_hash", LargeBinary, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("author", String(200), nullable=False),
    UniqueConstraint("workspace_id", "role", "council", name="uq_access_codes_role"),
)

login_attempts = Table(
    "login_attempts", metadata,
    Column("id", Integer, primary_key=True),
    Column("workspace_id", Integer, ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False),
    Column("client", String(200), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("success", Boolean, nullable=False),
    # Revision 0007: the role key (``secretariat``, ``viewer``, ``council:5001``) a
    # successful attempt logged into; empty for failures and attempts being checked.
    Column("role", String(40), nullable=False, default="", server_default=""),
    Index("ix_login_attempts_client", "workspace_id", "client", "at"),
    Index("ix_login_attempts_at", "workspace_id", "at"),
)

# Tables of later features live in their own modules on the same ``metadata``.
from kommunestrategi.store import (  # noqa: E402
    tables_cooperation,  # noqa: F401
    tables_participants,  # noqa: F401
    tables_scenarios,  # noqa: F401
    tables_workspace_indicators,  # noqa: F401
)
