"""Gather what the summary shows for one council from the store and the analysis modules.

The data flow is one way: store -> strategy (criteria, statuses, consistency
warnings) + indicators + region figures -> ``CouncilData`` -> ``Document``. Each
part is gathered on its own; a part that cannot be formed (no answers yet, no
region chosen, no imported data) is left empty and the document says so.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from kommunestrategi import criteria as cr
from kommunestrategi import datasets, geo, regions
from kommunestrategi import indicators as ind
from kommunestrategi import strategy as st
from kommunestrategi.export.document import (
    AreaPart,
    CouncilData,
    CriterionPart,
    DatasetRow,
    Document,
    FieldAnswer,
    IndicatorRow,
    RegionPart,
    ScenarioRow,
    build_document,
)
from kommunestrategi.formatting import day
from kommunestrategi.i18n import normalise_language, t
from kommunestrategi.indicators.workspace import workspace_catalogue

LOG = logging.getLogger(__name__)

#: The name under which the workspace keeps its scenario-comparison weights.
WEIGHTS_NAME = "scenarios"
#: Comparison groups shown for each key figure, in this order.
COMPARISONS = ("region", "kostragruppe", "national")


class UnknownCouncil(LookupError):
    """The council is not a member of the workspace."""


def _fields(section: st.Section) -> list[FieldAnswer]:
    return [FieldAnswer(f.id, f.label, f.text, f.required, f.updated_at, f.author or "")
            for f in section.fields]


def _answer(section: st.Section | None, field_id: str) -> st.FieldAnswer | None:
    if section is None:
        return None
    try:
        return section.field(field_id)
    except KeyError:
        return None


def _text(section: st.Section | None, field_id: str) -> str:
    answer = _answer(section, field_id)
    return answer.text if answer else ""


def area_part(area: st.AreaStrategy) -> AreaPart:
    """One service area of the strategy model as the document's input."""
    by_id = {c.id: c for c in area.criteria}
    ownership = by_id.get("ownership")
    exit_ = by_id.get("exit")
    review = _answer(exit_, "review_date")
    notice = _answer(exit_, "notice_months")
    notice_value = notice.value if notice else None

    partners = [f"{c} {n}" for c, n in zip(area.partners, area.partner_names, strict=True)]
    return AreaPart(
        id=area.service_area,
        name=area.service_area_name,
        approach=area.approach_label if area.approach else "",
        form=area.legal_form_name or "",
        partners=partners,
        host=cr.municipality_label(area.host) if area.host else "",
        timeline=area.timeline,
        rationale=area.rationale,
        decision_deadline=area.decision_deadline,
        review_date=cr.parse_date(review.value) if review else None,
        owner_meetings=_text(ownership, "owner_meetings"),
        reporting=_text(ownership, "reporting"),
        ownership_report=_text(ownership, "ownership_report"),
        notice_months=(float(notice_value) if isinstance(notice_value, int | float)
                       and not isinstance(notice_value, bool) else None),
        criteria=[CriterionPart(c.id, c.number, c.title, c.status, c.status_label, _fields(c),
                                [i.message for i in c.issues]) for c in area.criteria],
        warnings=[i.message for i in area.issues if i.criterion not in by_id],
        strategy_fields=_fields(area.strategy),
    )


def population_source(year: int, lang: str) -> str:
    """``SSB, tabell 07459, 1. jan. 2024`` in the document's language."""
    return t("export.source.population", lang, date=day(dt.date(year, 1, 1), lang))


def _source_text(source: str, lang: str) -> str:
    """A figure's source in the document's language (a Swedish workspace's population
    and area sources have their texts in the catalogue); other sources as written."""
    from kommunestrategi.countries import sweden

    keys = {sweden.SOURCES["population"]: "se.export.source.population",
            sweden.SOURCES["area"]: "se.export.source.area"}
    return t(keys[source], lang) if source in keys else source


def region_part(name: str, codes: Sequence[str], council: str, *, draw_map: bool = True,
                geography: geo.Geography | None = None, lang: str = "nb") -> RegionPart:
    """The chosen region with its figures and static map (on the workspace's boundaries)."""
    summary = regions.summarise(list(codes), geography)
    png = None
    if draw_map:
        try:
            from kommunestrategi.export.static_map import region_map_png
            png = region_map_png(list(summary.members), council, geography=geography)
        except Exception:  # noqa: BLE001 - a document without a map beats no document
            LOG.exception("static map failed for %s", name)
    return RegionPart(
        name=name, codes=list(summary.members), names=[summary.names[c] for c in summary.members],
        population=summary.population, population_year=summary.population_year,
        area_km2=summary.area_km2, contiguous=summary.contiguous, guideline=summary.guideline,
        map_png=png, source=(f"{population_source(summary.population_year, lang)}; {t('export.source.area', lang)}"
                             if not summary.sources else
                             f"{_source_text(summary.sources['population'], lang)}; "
                             f"{_source_text(summary.sources['area'], lang)}"),
    )


def choose_region(council: str, strategy: st.CouncilStrategy, saved: Iterable[Any],
                  lang: str, geography: geo.Geography | None = None) -> tuple[str, list[str]] | None:
    """The region the summary shows: the council with the partners its strategy names,
    else the first saved region the council belongs to, else None."""
    known = set((geography or geo.bundled()).units["kommunenummer"])
    partners = [p for area in strategy.areas for p in area.partners if p in known and p != council]
    if partners and council in known:
        return t("export.region.own_partners", lang), [council, *dict.fromkeys(partners)]
    for region in saved:
        codes = [c for c in region.codes if c in known]
        if council in codes:
            return region.name, codes
    return None


def _group_label(label: str, lang: str) -> str:
    """A comparison group's column title in the document's language, its number kept
    with its name (``KOSTRA-gruppe 7`` -> ``KOSTRA group 7``)."""
    found = re.fullmatch(r"KOSTRA-gruppe\s+(\d+)", label.strip())
    return t("export.kostra_group", lang, number=found.group(1)) if found else label


def indicator_rows(council: str, region: RegionPart | None, lang: str,
                   data: ind.IndicatorData | None = None, country: str = "NO") -> list[IndicatorRow]:
    """Key figures of the council with region, KOSTRA group and national comparison,
    imported figures first (the document shows the first ones, the XLSX all)."""
    data = data or ind.bundled_data()
    if council not in data.pos:
        return []
    region_codes = tuple(region.codes) if region and len(region.codes) > 1 else ()
    panel = data.panel([council], region=region_codes, region_label=region.name if region else "")
    rows: list[IndicatorRow] = []
    from kommunestrategi.countries.texts import CountryTranslator

    national = CountryTranslator(lang, country)("export.national")  # Sweden's kommuner: Sverige
    # figures the workspace imported first (KOSTRA and the like), then the bundled facts
    cards = sorted(panel.cards, key=lambda c: set(c.versions) <= {ind.BUNDLED_VERSION})
    region_idx = data.index(region_codes) if region_codes else None
    for card in cards:
        if card.status != "ok" or card.value is None:
            continue
        indicator = card.indicator
        decimals = indicator.decimals if indicator.decimals is not None else ind.UNITS.get(indicator.unit, 0)
        groups = {g.key: g for g in card.comparisons}
        labels = {"region": t("export.region_col", lang), "national": national}
        comparisons: list[tuple[str, float | None]] = []
        medians: list[str] = []
        for key in COMPARISONS:
            if key not in groups:
                continue
            label, value = labels.get(key) or _group_label(groups[key].label, lang), groups[key].value
            is_median = groups[key].kind == "median"
            if key == "region" and region_idx is not None and card.year is not None:
                # the region as one unit: its figure by the indicator's rule (a sum for
                # counts), the members' median only where the figure cannot be combined
                combined = data.combine(indicator.id, card.year, region_idx)
                if combined.method != "not_aggregable":
                    value, is_median = combined.value, False
            comparisons.append((label, value))
            if is_median and value is not None:
                medians.append(label)
        rows.append(IndicatorRow(name=indicator.name(lang), unit=indicator.unit_label(lang), value=card.value,
                                 year=card.year, source=indicator.source_label(lang),
                                 comparisons=comparisons, decimals=decimals, medians=medians))
    return rows


def scenario_rows(saved: Iterable[Any], council: str,
                  geography: geo.Geography | None = None) -> list[ScenarioRow]:
    """The workspace's saved regions that include the council, with their figures."""
    known = set((geography or geo.bundled()).units["kommunenummer"])
    rows = []
    for region in saved:
        codes = [c for c in region.codes if c in known]
        if council not in codes:
            continue
        summary = regions.summarise(codes, geography)
        rows.append(ScenarioRow(region.name, len(summary.members), summary.population, summary.area_km2,
                                summary.contiguous, summary.guideline))
    return rows


def _safe(part: str, lang: str, unavailable: list[str], func: Callable[[], Any], default: Any) -> Any:
    """Run one gathering step; on failure note it in the document instead of failing."""
    try:
        return func()
    except Exception:  # noqa: BLE001 - one broken part must not block the whole summary
        LOG.exception("export: %s could not be gathered", part)
        unavailable.append(t("export.unavailable", lang, part=t(f"export.section.{part}", lang)))
        return default


def resolve_council(store: Any, workspace_id: int, council: str) -> tuple[str, str]:
    """The member council matching a number or name, as (kommunenummer, name).

    Raises ``UnknownCouncil`` when it is not in the workspace.
    """
    members = {c.kommunenummer: c.name for c in store.list_councils(workspace_id)}
    wanted = str(council).strip()
    if wanted in members:
        return wanted, members[wanted]
    try:
        unit = geo.code_index().unit_for(wanted)
    except Exception:  # noqa: BLE001 - any lookup failure means "not a member"
        unit = None
    if unit in members:
        return unit, members[unit]
    raise UnknownCouncil(wanted)


def collect(store: Any, workspace: Any, council: str, lang: str = "nb", *,
            today: dt.date | None = None, draw_map: bool = True,
            data: ind.IndicatorData | None = None) -> CouncilData:
    """Everything the summary of ``council`` in ``workspace`` (a store Workspace) shows."""
    lang = normalise_language(lang)
    code, name = resolve_council(store, workspace.id, council)
    unavailable: list[str] = []
    strategy = _safe("strategy", lang, unavailable,
                     lambda: st.build_council_strategy(store, workspace.id, code, lang, today=today),
                     st.CouncilStrategy(workspace.id, code, name, lang, dt.datetime.now(dt.UTC), ()))
    saved = _safe("scenarios", lang, unavailable, lambda: list(store.list_regions(workspace.id)), [])
    geography = _safe("region", lang, unavailable,
                      lambda: datasets.active_geography(store, workspace.id), geo.bundled())
    chosen = choose_region(code, strategy, saved, lang, geography)
    region = _safe("region", lang, unavailable,
                   lambda: region_part(*chosen, code, draw_map=draw_map, geography=geography, lang=lang),
                   None) if chosen else None
    country = getattr(workspace, "country", "NO")
    if data is None and country == "SE":
        from kommunestrategi.countries import sweden

        data = _safe("indicators", lang, unavailable,
                     lambda: sweden.indicator_data(ind.uploaded_values(store, workspace.id), geography.units), None)
    if data is None:
        data = _safe("indicators", lang, unavailable,
                     lambda: ind.build_data(ind.uploaded_values(store, workspace.id), None,
                                            workspace_catalogue(store, workspace.id)), None)
    indicators = _safe("indicators", lang, unavailable,
                       lambda: indicator_rows(code, region, lang, data, country), []) if data is not None else []
    weights = _safe("scenarios", lang, unavailable, lambda: dict(store.get_weights(workspace.id, WEIGHTS_NAME)), {})
    versions = _safe("appendix", lang, unavailable, lambda: list(store.list_dataset_versions(workspace.id)), [])
    year = region.population_year if region else regions.POPULATION_YEAR
    sources = [population_source(year, lang), t("export.source.area", lang), t("export.source.boundaries", lang)]
    if country == "SE":
        from kommunestrategi.countries.texts import CountryTranslator

        sources = [CountryTranslator(lang, "SE")(k) for k in
                   ("export.source.population", "export.source.area", "export.source.boundaries")]
    sources += sorted({r.source for r in indicators})
    return CouncilData(
        council=code, council_name=name, workspace=workspace.name, lang=lang,
        generated_at=dt.datetime.now().astimezone(),
        areas=[area_part(a) for a in strategy.areas],
        region=region, indicators=indicators,
        scenarios=_safe("scenarios", lang, unavailable, lambda: scenario_rows(saved, code, geography), []),
        weights={str(k): float(v) for k, v in (weights or {}).items()},
        datasets=[DatasetRow(v.id, v.kind, v.file_name, v.sha256, v.created_at, bool(v.active)) for v in versions],
        sources=sources, unavailable=unavailable,
        cooperation=_safe("cooperation", lang, unavailable, lambda: _cooperation(store, workspace.id, code, lang,
                                                                                  today), None),
        country=country,
        scenario_board=_safe("scenarios", lang, unavailable, lambda: _scenario_board(store, workspace.id, lang), None),
    )


def _scenario_board(store: Any, workspace_id: int, lang: str) -> Any:
    from kommunestrategi.export.scenario_part import scenario_board_part

    return scenario_board_part(store, workspace_id, lang)


def _cooperation(store: Any, workspace_id: int, code: str, lang: str, today: dt.date | None) -> Any:
    from kommunestrategi.cooperation.register import register_for
    from kommunestrategi.export.cooperation_part import cooperation_part

    register = register_for(store, workspace_id)
    return cooperation_part(register, code, lang, register.source, today)


def council_document(store: Any, workspace: Any, council: str, lang: str = "nb", **kwargs: Any) -> Document:
    """The finished document model for one council."""
    return build_document(collect(store, workspace, council, lang, **kwargs))
