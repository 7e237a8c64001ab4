"""The web server believes ``X-Forwarded-For`` only from the configured proxies.

uvicorn (the server under ``st.App``) rewrites a connection's client address from
``X-Forwarded-For`` (and its scheme from ``X-Forwarded-Proto``) whenever the peer is
127.0.0.1 or ::1, its default ``FORWARDED_ALLOW_IPS``. Whatever reaches the app over
loopback without rewriting the header - a TCP forwarder, an SSH tunnel, a proxy set
to pass the header through, a user on the server - could then name any address it
likes, and the login limiter would give every forged address a fresh count.

The app has one setting for whom to believe, ``KOMMUNESTRATEGI_TRUSTED_PROXIES``
(see :func:`kommunestrategi.store.auth.client_address`), so uvicorn's middleware is
built with those proxies instead of its default: :func:`use_configured_proxies` is
called from ``app.py`` while uvicorn loads the app, before it wraps it. With nothing
configured, nobody's forwarded headers are believed and the peer is the client.
"""

from __future__ import annotations

from typing import Any

__all__ = ["use_configured_proxies"]


def use_configured_proxies() -> bool:
    """Make uvicorn trust forwarded headers only from ``KOMMUNESTRATEGI_TRUSTED_PROXIES``.

    Returns False when uvicorn is not the server (nothing to change).
    """
    try:
        import uvicorn.config
        from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware
    except ImportError:
        return False
    from kommunestrategi.store.auth import trusted_proxies

    def configured(app: Any, trusted_hosts: Any = None) -> ProxyHeadersMiddleware:
        return ProxyHeadersMiddleware(app, trusted_hosts=[str(net) for net in trusted_proxies()])

    uvicorn.config.ProxyHeadersMiddleware = configured
    return True
