"""Access codes as salted scrypt hashes, and the login attempt limit.

Codes are never stored; only ``scrypt(code, salt)`` with a random salt per code.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import os
from collections.abc import Iterable, Mapping
from typing import Any

from kommunestrategi.codes import normalise_number
from kommunestrategi.store.types import Actor

#: scrypt cost parameters (about 16 MB and a few tens of ms per check).
SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
#: At most this many failed logins per workspace, client and role within the window.
MAX_FAILURES = 5
#: At most this many failed logins per workspace and role within the window, over all
#: clients (forged or changing client addresses get no fresh budget).
MAX_WORKSPACE_FAILURES = 30
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


def trusted_proxies(setting: str | None = None) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """The reverse proxies whose ``X-Forwarded-For`` is believed.

    From ``KOMMUNESTRATEGI_TRUSTED_PROXIES`` (comma-separated addresses or networks,
    e.g. ``127.0.0.1, 10.0.0.0/8``); empty by default: no forwarded header is
    trusted. Malformed entries are ignored.
    """
    raw = os.environ.get("KOMMUNESTRATEGI_TRUSTED_PROXIES", "") if setting is None else setting
    networks = []
    for part in raw.replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        try:
            networks.append(ipaddress.ip_network(part, strict=False))
        except ValueError:
            continue
    return networks


def _address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # [v6]:port
        value = value[1:value.index("]")]
    elif value.count(":") == 1:  # v4:port
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    mapped = getattr(address, "ipv4_mapped", None)
    return mapped or address


def client_address(peer: str | None, forwarded_for: str | None,
                   trusted: Iterable[ipaddress.IPv4Network | ipaddress.IPv6Network] | None = None) -> str:
    """The client's address for the attempt limiter.

    ``peer`` is the address of the connection. Only when the peer is a trusted proxy
    is ``X-Forwarded-For`` read, from the right: proxies append the address they
    received from, so the first entry that is not itself a trusted proxy is the
    client (everything left of it could be forged). Without a trusted proxy the
    peer address is the client, whatever the header says.
    """
    networks = list(trusted_proxies() if trusted is None else trusted)
    peer_address = _address(peer or "")
    if peer_address is None:
        return "unknown"

    def is_trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
        return any(address.version == net.version and address in net for net in networks)

    if not is_trusted(peer_address) or not forwarded_for:
        return str(peer_address)
    client = peer_address
    for entry in reversed(forwarded_for.split(",")):
        address = _address(entry)
        if address is None:
            return str(client)  # a malformed entry: stop at the last proxy we trust
        client = address
        if not is_trusted(address):
            break
    return str(client)
