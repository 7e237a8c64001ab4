"""Data (secretariat): templates, upload, validation report, preview, confirmed import, versions."""

import pandas as pd
import streamlit as st

from kommunestrategi import datasets
from kommunestrategi.config import max_upload_bytes
from kommunestrategi.cooperation.overview import service_name
from kommunestrategi.criteria import catalogue as criteria_catalogue
from kommunestrategi.data_preview import indicator_label, preview_frame, readable_message, table_title
from kommunestrategi.formatting import number, timestamp
from kommunestrategi.i18n import catalogue
from kommunestrategi.indicators import workspace as own
from kommunestrategi.io import templates
from kommunestrategi.io.correspondence import read_correspondence
from kommunestrategi.io.importer import validate_file
from kommunestrategi.io.report import ImportResult, report_xlsx
from kommunestrategi.io.validation import INDICATOR_KINDS
from ui import code_mapping, own_indicators, session, uploader
from ui.textsafe import md_inline

KINDS = ("indicators", "arrangements", "boundaries", "travel-times", "population-grid")
FILE_TYPES = {
    "indicators": ["xlsx", "xlsm", "csv", "txt", "tsv", "json"],
    "arrangements": ["xlsx", "xlsm", "csv", "txt", "tsv"],
    "boundaries": ["geojson", "json", "gpkg", "zip"],
    "travel-times": ["xlsx", "xlsm", "csv", "txt", "tsv"],
    "population-grid": ["xlsx", "csv", "txt"],
}
PREVIEW_ROWS = 200
REPORT_ROWS = 100


def plural(key: str, count: int) -> str:
    """``key.one`` for one, ``key.other`` for any other count."""
    return f"{key}.one" if count == 1 else f"{key}.other"


def _context():
    """(store, workspace, actor) from the sidebar's workspace, or the open demo workspace."""
    try:
        from ui.workspace import current_actor, current_store, current_workspace

        return current_store(), current_workspace(), current_actor()
    except ImportError:
        from kommunestrategi.store import Actor, Store

        store = Store.shared()
        workspace = store.ensure_demo_workspace()
        return store, workspace, Actor("sekretariat", "secretariat")


def _counts_text(counts: dict, lang: str) -> str:
    """"Rader: 356, Kommuner: 356, ..." in the user's language (lists are counted)."""
    _ = session.translator()
    parts = []
    for key, value in counts.items():
        label = _(f"data.metric.{key}") if f"data.metric.{key}" in catalogue() else key
        shown = len(value) if isinstance(value, list) else value
        parts.append(f"{label}: {number(shown, lang) if isinstance(shown, int | float) else shown}")
    return ", ".join(parts)


def _show_result(result: ImportResult, lang: str, own_names: dict[str, str] | None = None) -> None:
    _ = session.translator()
    report = result.report
    if not result.readable:
        st.error(_("data.unreadable"))
    elif not result.ok:
        st.error(_(plural("data.invalid", len(report.errors)), count=number(len(report.errors), lang)))
    elif report.warnings:
        st.warning(_(plural("data.valid_warnings", len(report.warnings)), count=number(len(report.warnings), lang)))
    else:
        st.success(_("data.valid"))
    counts = result.counts
    if result.kind == "indicators" and result.readable:
        cols = st.columns(4)
        cols[0].metric(_("data.metric.rows"), number(counts.get("rows", 0), lang))
        cols[1].metric(_("data.metric.municipalities"), number(counts.get("municipalities", 0), lang))
        cols[2].metric(_("data.metric.indicators"), number(len(counts.get("indicators", [])), lang))
        cols[3].metric(_("data.metric.years"), number(len(counts.get("years", [])), lang))
        if counts.get("indicators"):
            st.caption(_("data.found_indicators", list=", ".join(
                indicator_label(str(i), lang, own_names) for i in counts["indicators"][:30])))
        if counts.get("years"):
            st.caption(_("data.found_years", list=", ".join(str(y) for y in counts["years"][:40])))
    elif result.kind == "arrangements" and result.readable:
        cols = st.columns(3)
        cols[0].metric(_("data.metric.arrangements"), number(counts.get("arrangements", 0), lang))
        cols[1].metric(_("data.metric.memberships"), number(counts.get("memberships", 0), lang))
        cols[2].metric(_("data.metric.municipalities"), number(counts.get("municipalities", 0), lang))
    elif result.readable and counts:
        cols = st.columns(2)
        cols[0].metric(_("data.metric.rows"), number(counts.get("rows", 0), lang))
        if "municipalities" in counts:
            cols[1].metric(_("data.metric.municipalities"), number(counts["municipalities"], lang))

    st.subheader(_("data.report.title"))
    if report.lines:
        rows = pd.DataFrame(report.as_rows(lang))[["severity", "problem", "sheet", "row", "column", "suggestion"]]
        rows["severity"] = rows["severity"].map(lambda s: _(f"report.severity.{s}"))
        rows["problem"] = rows["problem"].map(lambda text: readable_message(str(text), lang))
        rows["row"] = rows["row"].map(lambda r: "" if r is None or r != r else str(int(r)))
        rows = rows.fillna("")
        # columns the file gives nothing for (sheet, suggestion) are left out; the rest shown whole
        rows = rows[[c for c in rows.columns if rows[c].astype(str).str.strip().ne("").any()]]
        rows = rows.rename(columns={c: _(f"report.column.{c}") for c in rows.columns})
        # st.table renders Markdown: every cell (messages quote the file's cells) escaped
        st.table(rows.head(REPORT_ROWS).map(md_inline).set_index(rows.columns[0]))
        if len(rows) > REPORT_ROWS:
            st.caption(_("data.preview.caption", shown=number(REPORT_ROWS, lang), total=number(len(rows), lang)))
    else:
        st.caption(_("data.report.empty"))
    st.download_button(_("data.report.download"), data=report_xlsx(report, lang),
                       file_name=f"rapport_{result.file_name}.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       key="data_report_download")

    if result.tables:
        st.subheader(_("data.preview.title"))
        for name, frame in result.tables.items():
            st.markdown(f"**{md_inline(table_title(name, lang))}**")
            if frame.empty:
                st.caption(_("data.preview.none"))
                continue
            shown = preview_frame(frame.head(PREVIEW_ROWS), lang, own_names)
            st.dataframe(shown, hide_index=True, width="stretch")
            st.caption(_("data.preview.caption", shown=number(len(shown), lang), total=number(len(frame), lang)))


def _chosen_kinds() -> dict[str, str]:
    """The kinds chosen on this page for indicators the catalogue does not know."""
    return {key.removeprefix("data_ikind_"): value for key, value in st.session_state.items()
            if isinstance(key, str) and key.startswith("data_ikind_") and value}


def _choices_before(kind: str, store=None, workspace=None) -> dict:
    """The sheet and the split / indicator-kind choices made on the previous run (the widgets
    are drawn after the report, which is what tells whether they are needed), and the
    workspace's own SSB content-code mapping."""
    if kind != "indicators":
        return {}
    state = st.session_state
    options: dict = {"choices": own.import_choices(store, getattr(workspace, "id", None),
                                                   accept_splits=bool(state.get("data_accept_splits")),
                                                   indicator_kinds=dict(sorted(_chosen_kinds().items())))}
    if state.get("data_sheet"):
        options["sheet"] = state["data_sheet"]
    return options


def _choice_widgets(result: ImportResult, lang: str, known: set[str]) -> None:
    """Sheet picker, old-number translations, split acceptance and unknown indicators' kinds."""
    _ = session.translator()
    if result.kind != "indicators":
        return
    if len(result.sheets) > 1:
        labels = {str(s["name"]): _("data.sheet.option", position=s["position"], name=s["name"],
                                    count=number(s["municipality_rows"], lang)) for s in result.sheets}
        options = [""] + list(labels)
        st.selectbox(_("data.sheet.label"), options, key="data_sheet", help=_("data.sheet.help"),
                     format_func=lambda n: labels.get(n, _("data.sheet.auto")))
    if result.translated:
        st.markdown(f"**{_('data.translated.title')}**")
        names = _unit_names()
        st.dataframe(pd.DataFrame({
            _("data.translated.old"): [t["from"] for t in result.translated],
            _("data.translated.new"): [", ".join(f"{n} {names.get(n, '')}".strip() for n in t["to"])
                                       for t in result.translated],
            _("data.translated.weights"): [", ".join(number(w * 100, lang, 0) + " %" for w in t["weights"]
                                                     if w is not None) if t["split"] else ""
                                           for t in result.translated],
            _("data.translated.by"): [_(f"data.translated.by.{t['by']}") for t in result.translated],
        }), hide_index=True, width="stretch")
    if any(t["split"] for t in result.translated):
        st.checkbox(_("data.splits.accept"), key="data_accept_splits", help=_("data.splits.help"))
    unknown = [i for i in result.counts.get("indicators", []) if i not in known]
    unknown += sorted({str(line.params.get("indicator")) for line in result.report.lines
                       if line.code in ("merged_needs_kind", "split_needs_kind")} - set(unknown))
    if unknown:
        st.markdown(f"**{_('data.ikind.title')}**")
        st.caption(_("data.ikind.help") + " " + _("data.ikind.saved_note"))
        for ident in unknown[:20]:
            st.selectbox(md_inline(ident), ["", *INDICATOR_KINDS], key=f"data_ikind_{ident}",
                         format_func=lambda k: _(f"data.ikind.{k or 'unset'}"))


def _unit_names() -> dict[str, str]:
    from kommunestrategi import geo

    index = geo.code_index()
    return {number: index.names.get(unit, "") for number, unit in index.unit_by_number.items()}


def _import(result: ImportResult, store, workspace, actor, lang: str) -> None:
    _ = session.translator()
    if not result.ok:
        return
    previous = datasets.same_file_version(store, workspace.id, result)
    if previous is not None:
        st.info(_("data.same_file", version=previous.id))
    confirmed = st.checkbox(_("data.confirm.check"), key="data_confirm")
    if st.button(_("data.confirm.button"), type="primary", disabled=not confirmed, key="data_import"):
        kinds = {i: k for i, k in _chosen_kinds().items() if i in own.file_indicator_ids(result)}
        if kinds:  # the kinds chosen for this file are the workspace's from now on
            stored = own.save_kinds(store, actor, workspace.id, kinds,
                                    own.file_units(result.tables.get("indicator_values")))
            if stored:
                st.session_state["data_flash_kinds"] = _("data.ikind.stored", list=", ".join(stored))
        version = datasets.import_result(store, actor, workspace.id, result)
        st.session_state.pop("data_result", None)
        st.session_state["data_flash"] = _("data.imported", version=version.id)
        st.session_state["data_uploader_n"] = st.session_state.get("data_uploader_n", 0) + 1
        st.session_state.pop("online_fetched", None)  # a fetched SSB answer is used once
        st.rerun()


def _versions(kind: str, store, workspace, actor, lang: str) -> None:
    _ = session.translator()
    st.subheader(_("data.versions.title"))
    found = datasets.versions(store, workspace.id, kind)
    if not found:
        st.caption(_("data.versions.empty"))
        return
    table = pd.DataFrame({
        _("data.versions.id"): [v.id for v in found],
        _("data.versions.active"): [v.active for v in found],
        _("data.versions.when"): [timestamp(v.created_at, lang) for v in found],
        _("data.versions.who"): [v.author for v in found],
        _("data.versions.file"): [v.file_name for v in found],
        _("data.versions.counts"): [_counts_text(v.counts or {}, lang) for v in found],
        _("data.versions.sha256"): [v.sha256 for v in found],
    })
    st.dataframe(table, hide_index=True, width="stretch", column_config={
        _("data.versions.active"): st.column_config.CheckboxColumn(width="small"),
        _("data.versions.id"): st.column_config.NumberColumn(width="small"),
    })
    if getattr(actor, "role", "") != "secretariat":
        return
    inactive = [v for v in found if not v.active]
    if not inactive:
        return
    labels = {v.id: _("data.versions.option", version=v.id, file=v.file_name, when=timestamp(v.created_at, lang))
              for v in inactive}
    cols = st.columns([3, 1], vertical_alignment="bottom")
    chosen = cols[0].selectbox(_("data.versions.choose"), list(labels), format_func=labels.__getitem__,
                               key=f"data_activate_choice_{kind}")
    if cols[1].button(_("data.versions.activate"), key=f"data_activate_{kind}"):
        datasets.activate(store, actor, workspace.id, chosen)
        st.session_state["data_flash"] = _("data.versions.activated", version=chosen)
        st.rerun()


def render() -> None:
    _ = session.translator()
    lang = session.language()
    st.title(_("data.title"))
    st.caption(_("data.intro"))
    flash = st.session_state.pop("data_flash", None)
    if flash:
        st.success(flash)
    flash = st.session_state.pop("data_flash_kinds", None)
    if flash:
        st.info(flash)
    try:
        store, workspace, actor = _context()
    except Exception:  # noqa: BLE001 - files can still be checked without a store
        store = workspace = actor = None
        st.warning(_("data.store_unavailable"))
    secretariat = getattr(actor, "role", "") == "secretariat"

    kind = st.radio(_("data.kind.label"), KINDS, format_func=lambda k: _(f"data.kind.{k}"), horizontal=True,
                    key="data_kind")
    st.caption(_(f"data.kind.help.{kind}"))
    st.download_button(_("data.template.download"), data=templates.template_xlsx(kind, lang),
                       file_name=_("data.template.file", kind=_(f"data.kind.{kind}").lower().replace(" ", "_")),
                       help=_("data.template.download_help"),
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       icon=":material/download:", key=f"data_template_{kind}")

    if store is not None and not secretariat:
        st.info(_("data.not_secretariat"))
    else:
        options: dict = {}
        if kind == "indicators":
            with st.expander(_("data.options")):
                catalogue = own.workspace_catalogue(store, getattr(workspace, "id", None))
                ids = [""] + sorted(catalogue, key=lambda i: catalogue[i].name(lang).lower())
                chosen = st.selectbox(_("data.option.indicator"), ids, key="data_opt_indicator",
                                      format_func=lambda i: f"{catalogue[i].name(lang)} ({i})" if i
                                      else _("data.option.from_file"))
                year = st.number_input(_("data.option.year"), min_value=0, max_value=2100, value=0, step=1,
                                       key="data_opt_year")
                options = {"indicator_id": chosen or None, "year": int(year) or None}
        if kind == "arrangements":
            with st.expander(_("data.options")):
                areas = [""] + [a.id for a in criteria_catalogue().service_areas]
                area = st.selectbox(_("cooperation.data.service_area"), areas, key="data_opt_service_area",
                                    format_func=lambda a: service_name(a, lang) if a else _("data.option.from_file"))
                options = {"service_area": area or None}
        source = "file"
        # the online source fetches SSB tables: Norwegian workspaces only (Swedish ones import Kolada files)
        if kind == "indicators" and getattr(workspace, "country", "NO") != "SE":
            source = st.segmented_control(_("data.source.label"), ["file", "online"], default="file",
                                          format_func=lambda s: _(f"data.source.{s}"), key="data_source") or "file"
        given: tuple[bytes, str, str] | None = None
        if source == "online":
            from ui import online_sources

            fetched = online_sources.render("data_online")
            if fetched is not None:
                given = (fetched[0], fetched[1], "online:" + fetched[1])
        else:
            limit_mb = max_upload_bytes() // (1024 * 1024)
            uploader.own_texts(_)
            upload = st.file_uploader(
                _("data.upload.label"), type=FILE_TYPES[kind], help=_("data.upload.help", limit=limit_mb),
                key=f"data_upload_{kind}_{st.session_state.get('data_uploader_n', 0)}")
            st.caption(uploader.caption(_, FILE_TYPES[kind], limit_mb))
            if upload is not None:
                given = (upload.getvalue(), upload.name, upload.file_id)
        correspondence_id = None
        if kind in ("indicators", "arrangements", "travel-times"):
            with st.expander(_("data.correspondence.title")):
                st.caption(_("data.correspondence.help"))
                table = st.file_uploader(_("data.correspondence.label"), type=["csv", "xlsx"],
                                         key=f"data_correspondence_{kind}")
                if table is not None:
                    mapping, table_report = read_correspondence(table.getvalue(), table.name)
                    if mapping is None:
                        for line in table_report.errors:
                            st.error(md_inline(f"{table.name}: {line.message(lang)}"))
                    else:
                        st.success(_("data.correspondence.loaded", count=len(mapping), file=md_inline(table.name)))
                        options["correspondence"] = mapping
                        correspondence_id = table.file_id
        if given is not None:
            data, name, file_id = given
            if st.session_state.get("data_choice_file") != file_id:  # a new file: earlier choices do not apply
                for stale in [k for k in st.session_state if isinstance(k, str) and k.startswith(
                        ("data_sheet", "data_accept_splits", "data_ikind_"))]:
                    del st.session_state[stale]
                st.session_state["data_choice_file"] = file_id
            options.update(_choices_before(kind, store, workspace))
            # the workspace's country decides which municipality numbers (and which readers) apply
            options["country"] = getattr(workspace, "country", "NO") if workspace is not None else "NO"
            key = (kind, file_id, correspondence_id,
                   tuple(sorted((k, v) for k, v in options.items() if k != "correspondence")))
            cached = st.session_state.get("data_result")
            if cached is None or cached[0] != key:
                with st.status(_("data.validating", file=md_inline(name)), expanded=False) as status:
                    st.write(_("data.step.read"))
                    result = validate_file(data, name, kind, **options)
                    status.update(label=_("data.step.done"), state="complete")
                st.session_state["data_result"] = (key, result)
            else:
                result = cached[1]
            known = set(own.workspace_catalogue(store, getattr(workspace, "id", None)))
            _choice_widgets(result, lang, known)   # the choices a file needs come first, the report explains them
            code_mapping.render(result, store, workspace, actor, lang)
            own_names = {i: ind.name(lang) for i, ind in
                         own.own_catalogue(store, getattr(workspace, "id", None)).items()}
            _show_result(result, lang, own_names)
            if store is not None:
                _import(result, store, workspace, actor, lang)
    if store is not None:
        _versions(kind, store, workspace, actor, lang)
        if kind == "indicators":
            own_indicators.render(store, workspace, actor, lang)


session.guarded(render)
