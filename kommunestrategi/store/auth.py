"""Access codes as salted scrypt hashes, and the login attempt limit.

Codes are never stored; only ``scrypt(code, salt)`` with a random salt per code.
"""

from __future__ import annotations

import hashlib
import hmac
import os

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
