"""Participants: who a browser is across reloads and server restarts (name shown in the history)."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Integer, String, Table

from kommunestrategi.store.models import metadata

participants = Table(
    "participants", metadata,
    Column("id", Integer, primary_key=True),
    # SHA-256 of the browser's random token (the token itself lives only in the browser's cookie)
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("name", String(200), nullable=False, default=""),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)
