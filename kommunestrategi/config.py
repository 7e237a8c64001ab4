"""Where the app keeps its files and store, from environment variables with defaults.

* ``KOMMUNESTRATEGI_DATA_DIR``: the writable data folder (default ``./var`` beside
  the app). It holds the SQLite store, caches and uploaded files.
* ``KOMMUNESTRATEGI_DATABASE_URL``: an SQLAlchemy URL; default is a SQLite file
  ``kommunestrategi.sqlite`` in the data folder. Set a ``postgresql+psycopg://`` URL
  to use PostgreSQL.
* ``KOMMUNESTRATEGI_MAX_UPLOAD_MB``: the upload size limit (default 50).
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
#: Bundled default data (read-only, in the repository).
BUNDLED_DATA_DIR = PROJECT_DIR / "data"


def data_dir() -> Path:
    """The writable data folder, created on first use."""
    path = Path(os.environ.get("KOMMUNESTRATEGI_DATA_DIR", PROJECT_DIR / "var"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def database_url() -> str:
    """The store's SQLAlchemy URL (SQLite in the data folder unless set)."""
    url = os.environ.get("KOMMUNESTRATEGI_DATABASE_URL", "").strip()
    if url:
        return url
    return f"sqlite:///{data_dir() / 'kommunestrategi.sqlite'}"


def max_upload_bytes() -> int:
    """The size limit for uploaded files in bytes."""
    return int(float(os.environ.get("KOMMUNESTRATEGI_MAX_UPLOAD_MB", "50")) * 1024 * 1024)
