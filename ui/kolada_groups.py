"""A Swedish workspace's group figures shown two ways: Kolada's mean and this tool's combination."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from kommunestrategi.countries.comparison import compare_group
from kommunestrategi.formatting import number
from ui import session


def group_comparison(data, codes: list[str], region: list[str], region_label: str) -> None:
    """For the subject (several kommuner), the cooperation region and the subject's län: each
    share or average indicator as Kolada computes a group (unweighted mean of the members)
    and as this tool does (ratio of sums / weighted by the indicator's base), labelled."""
    _ = session.translator()
    lang = session.language()
    groups: list[tuple[str, list[str]]] = []
    if len(codes) > 1:
        groups.append((_("kolada.group.subject", count=len(codes)), list(codes)))
    if region and len(region) > 1 and set(region) != set(codes):
        groups.append((region_label, list(region)))
    county = data.units.set_index("kommunenummer").loc[codes[0], "county"]
    members = data.units.loc[data.units["county"] == county, "kommunenummer"].tolist()
    if len(members) > 1:
        groups.append((str(county), members))
    rows = []
    for ident, ind in data.catalogue.items():
        if ind.rule.kind not in ("ratio", "weighted_mean") or not data.has_data(ident):
            continue
        year = data.years(ident)[-1]
        for label, group in groups:
            result = compare_group(data, ident, year, group)
            if result.kolada_mean is None:
                continue
            decimals = ind.decimals
            rows.append({
                _("kolada.col.indicator"): ind.name(lang),
                _("kolada.col.group"): label,
                _("kolada.col.year"): str(year),
                _("kolada.col.kolada"): number(result.kolada_mean, lang, decimals),
                _("kolada.col.tool"): "–" if result.tool_value is None else number(result.tool_value, lang, decimals),
                _("kolada.col.difference"): "–" if result.difference is None else
                number(result.difference, lang, decimals),
            })
    if not rows:
        return
    with st.expander(_("kolada.group.title")):
        st.caption(_("kolada.group.help"))
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
