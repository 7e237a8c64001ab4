"""Access codes as salted scrypt hashes, and the login attempt limit.

Codes are never stored; only ``scrypt(code, salt)`` with a random salt per code.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Mapping
from typing import Any

from kommunestrategi.codes import normalise_number
from kommunestrategi.store.types import Actor

#: scrypt cost parameters (about 16 MB and a few tens of ms per check).
SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
#: At most this many failed logins per workspace and client within the window.
MAX_FAILURES = 5
WINDOW_SECONDS = 600
#: Shortest access code accepted.
MIN_CODE_LENGTH = 6


def hash_code(code: str, salt: bytes | None = None) -> tuple[bytes, bytes]:
    """``(salt, hash)`` for a code; a fresh random salt unless one is given."""
    salt = salt if salt is not None else os.urandom(16)
    digest = hashlib.scrypt(code.strip().encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    return salt, digest


def check_code(code: str, salt: bytes, digest: bytes) -> bool:
    """Whether ``code`` hashes to ``digest`` with ``salt`` (constant-time comparison)."""
    return hmac.compare_digest(hash_code(code, salt)[1], bytes(digest))


def actor_for_identity(name: str, email: str, settings: Mapping[str, Any]) -> Actor:
    """The actor for a user logged in through OIDC, from the ``[kommunestrategi]`` secrets.

    ``settings["roles"]`` maps an e-mail address (case-insensitive) to ``secretariat``,
    ``viewer`` or ``council:<kommunenummer>``; everybody else gets
    ``settings["default_role"]`` (``viewer`` unless set). Anything unrecognised
    gives the least privilege, viewer.
    """
    roles = {str(k).strip().lower(): str(v).strip() for k, v in dict(settings.get("roles", {})).items()}
    role = roles.get(email.strip().lower(), str(settings.get("default_role", "viewer")).strip())
    display = name.strip() or email.strip() or "OIDC"
    if role.startswith("council:"):
        council = normalise_number(role.split(":", 1)[1])
        if council:
            return Actor(display, "council", council)
        return Actor(display, "viewer")
    return Actor(display, role if role in ("secretariat", "viewer") else "viewer")
