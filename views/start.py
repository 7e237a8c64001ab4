"""Start page: what the tool is for and where to begin."""

import streamlit as st

from kommunestrategi import geo
from kommunestrategi.formatting import number
from ui import session


def render() -> None:
    _ = session.translator()
    lang = session.language()
    units = geo.load_units()
    st.title(_("start.title"))
    st.write(_("start.intro"))
    st.page_link("views/kart.py", label=_("nav.map"), icon=":material/map:")
    st.caption(_("start.step.map"))
    st.page_link("views/region.py", label=_("nav.region"), icon=":material/join:")
    st.caption(_("start.step.region"))
    st.divider()
    st.caption(_("start.figures", count=number(len(units), lang),
                 population=number(int(units["population_2024"].sum()), lang)))
    st.caption(_("common.source", source=_("source.population_2024")))


session.guarded(render)
