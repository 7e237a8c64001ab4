"""kommunestrategi: run with ``streamlit run app.py``.

This file is both the app's script and its web server's entry point:

- imported by the server (no script run going on), it makes the ``st.App`` that
  Streamlit serves. The addition to Streamlit's own server is
  :class:`kommunestrategi.webcompress.CompressedStatic`: Streamlit's JavaScript
  bundles and the map's boundary file are sent gzip-compressed from a cache, which
  brings a cold load of the map page from about 9.6 MB to under 3 MB without a
  reverse proxy (``benchmarks/bench_workshop.py`` measures both). And uvicorn
  believes ``X-Forwarded-For`` only from the proxies the configuration names
  (:mod:`kommunestrategi.proxyheaders`), not from any loopback peer;
- run as the script of a browser session, it draws the frame (sidebar, navigation)
  and the page (:func:`ui.frame.run`).
"""

from streamlit.runtime.scriptrunner import get_script_run_ctx

if get_script_run_ctx(suppress_warning=True) is None:
    import streamlit as st
    from starlette.middleware import Middleware

    from kommunestrategi.proxyheaders import use_configured_proxies
    from kommunestrategi.webcompress import CompressedStatic

    use_configured_proxies()  # X-Forwarded-For only from KOMMUNESTRATEGI_TRUSTED_PROXIES
    app = st.App(__file__, middleware=[Middleware(CompressedStatic)])
else:
    from ui import frame

    frame.run()
