"""Start page: what the tool is for and the steps of the process, with links."""

import streamlit as st

from kommunestrategi import geo, regions
from kommunestrategi.formatting import number
from ui import session
from ui.geography import current_geography

#: (page script, navigation title key, icon, description key), in the order of the process.
STEPS = (
    ("views/kart.py", "nav.map", ":material/map:", "start.step.map"),
    ("views/region.py", "nav.region", ":material/join:", "start.step.region"),
    ("views/indikatorer.py", "nav.indicators", ":material/monitoring:", "start.step.indicators"),
    ("views/sjekkliste.py", "checklist.nav", ":material/checklist:", "start.step.checklist"),
    ("views/strategi.py", "strategy.nav", ":material/article:", "start.step.strategy"),
    ("views/eksport.py", "export.nav", ":material/description:", "start.step.export"),
    ("views/data.py", "data.nav.page", ":material/upload_file:", "start.step.data"),
)


def render() -> None:
    _ = session.translator()
    lang = session.language()
    units = current_geography().units if session.country() == "SE" else geo.load_units()
    st.title(_("start.title"))
    st.write(_("start.intro"))
    st.subheader(_("start.how"))
    for number_, (script, title, icon, description) in enumerate(STEPS, start=1):
        st.page_link(script, label=f"{number_}. {_(title)}", icon=icon)
        st.caption(_(description))
    st.divider()
    st.caption(_("start.figures", count=number(len(units), lang),
                 population=number(int(units["population"].sum()), lang)))
    st.caption(_("common.source", source=_("source.population", year=regions.POPULATION_YEAR)))


session.guarded(render)
