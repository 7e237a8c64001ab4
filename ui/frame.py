"""The app's frame, run on every script run: page config, language, sidebar and navigation.

The pages live in ``views/`` (see README, "Architecture", for why not ``pages/``).
"""

from pathlib import Path

import streamlit as st

from ui import a11y, session, workspace

PAGE_ICON = Path(__file__).resolve().parent.parent / "static" / "favicon.png"


def run() -> None:
    """One run of the app: the frame, then the page the user is on."""
    # The icon is a file of the app: a ":material/..." page icon makes every browser fetch an
    # SVG from a Google font server (a privacy leak, and a failed request when offline).
    st.set_page_config(page_title="Kommunestrategi", page_icon=str(PAGE_ICON), layout="wide")

    session.new_run()
    _ = session.translator()
    session.language_picker()
    workspace.sidebar()
    a11y.fixes()

    # The default page is served at "/"; a default page's own url_path is not routable,
    # so the map gets a page of its own to keep /kart a working deep link.
    pages = {
        "": [
            st.Page("views/start.py", title=_("nav.start"), icon=":material/home:", url_path="start", default=True),
        ],
        _("nav.group.explore"): [
            st.Page("views/kart.py", title=_("nav.map"), icon=":material/map:", url_path="kart"),
            st.Page("views/region.py", title=_("nav.region"), icon=":material/join:", url_path="region"),
            st.Page("views/indikatorer.py", title=_("nav.indicators"), icon=":material/monitoring:",
                    url_path="indikatorer"),
            st.Page("views/tjenester.py", title=_("nav.services"), icon=":material/storefront:",
                    url_path="tjenester"),
            st.Page("views/samarbeid.py", title=_("cooperation.nav"), icon=":material/handshake:",
                    url_path="samarbeid"),
        ],
        _("strategy.nav_group"): [
            st.Page("views/scenarier.py", title=_("scenarios.nav"), icon=":material/compare:", url_path="scenarier"),
            st.Page("views/sjekkliste.py", title=_("checklist.nav"), icon=":material/checklist:",
                    url_path="sjekkliste"),
            st.Page("views/strategi.py", title=_("strategy.nav"), icon=":material/article:", url_path="strategi"),
        ],
        _("export.nav.group"): [
            st.Page("views/eksport.py", title=_("export.nav"), icon=":material/description:", url_path="eksport"),
        ],
        _("workspace.nav.group"): [
            st.Page("views/arbeidsomrade.py", title=_("workspace.nav.admin"), icon=":material/admin_panel_settings:",
                    url_path="arbeidsflater"),
            st.Page("views/data.py", title=_("data.nav.page"), icon=":material/upload_file:", url_path="data"),
        ],
    }

    navigation = st.navigation(pages)
    st.sidebar.caption(_("app.tagline"))
    session.guarded(navigation.run)
