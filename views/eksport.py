"""Export: preview a council's strategy summary and download it as DOCX, PDF or XLSX,
or every council of the workspace as one zip."""

from functools import partial

import pandas as pd
import streamlit as st

from kommunestrategi.export import FORMATS, MEDIA_TYPES, file_name, render
from kommunestrategi.export.batch import workspace_zip
from kommunestrategi.export.collect import council_document
from kommunestrategi.export.document import (
    BulletList,
    Document,
    Fields,
    Image,
    Notice,
    Paragraph,
    Section,
    Table,
    markdown_escape,
)
from kommunestrategi.i18n import LANGUAGE_NAMES, LANGUAGES
from ui import session
from ui.textsafe import md_inline
from ui.workspace import current_actor, current_store, current_workspace

ZIP_KEY = "export_zip"
esc = markdown_escape


def _table(block: Table) -> None:
    columns, seen = [], set()
    for title in block.columns:
        while title in seen:
            title += " "
        seen.add(title)
        columns.append(title)
    frame = pd.DataFrame([[str(c) for c in row] for row in block.rows], columns=columns)
    st.dataframe(frame, hide_index=True, width="stretch", height=min(38 + 35 * len(frame), 800))
    if block.caption:
        st.caption(esc(block.caption))


def _block(block) -> None:
    if isinstance(block, Paragraph):
        (st.caption if block.style == "note" else st.markdown)(esc(block.text))
    elif isinstance(block, BulletList):
        st.markdown("\n".join(f"- {esc(item)}" for item in block.items))
    elif isinstance(block, Fields):
        for label, value in block.items:
            st.markdown(f"**{esc(label)}**  \n{esc(value)}")
    elif isinstance(block, Table):
        _table(block)
    elif isinstance(block, Image):
        st.image(block.png, caption=block.caption, width="content")
    elif isinstance(block, Notice):
        show = {"warning": st.warning, "missing": st.warning, "info": st.info}.get(block.kind, st.info)
        show(esc(block.text), icon=":material/error:" if block.kind == "warning" else None)


def _section(section: Section) -> None:
    if section.level == 1:
        st.subheader(esc(section.title), divider="gray")
    else:
        st.markdown(f"{'#' * (section.level + 2)} {esc(section.title)}")
    for block in section.blocks:
        _block(block)
    for sub in section.subsections:
        _section(sub)


def preview(document: Document, expanded: bool = False) -> None:
    """The same content as the files, as Streamlit elements (all text shown literally);
    each chapter folded in its own expander, so the page stays short."""
    st.header(esc(document.title))
    st.caption(esc(document.subtitle))
    st.markdown("  \n".join(f"**{esc(label)}:** {esc(value)}" for label, value in document.title_rows))
    for section in document.sections:
        with st.expander(esc(section.title), expanded=expanded):
            for block in section.blocks:
                _block(block)
            for sub in section.subsections:
                _section(sub)


def _download_all(store, workspace, lang: str) -> None:
    _ = session.translator()
    formats = st.multiselect(_("export.page.all_formats"), FORMATS, default=list(FORMATS),
                             format_func=lambda f: _(f"export.page.format_{f}"), key="export_all_formats",
                             placeholder=_("common.choose_many"))
    if st.button(_("export.page.all_build"), icon=":material/folder_zip:", disabled=not formats,
                 key="export_all_build"):
        bar = st.progress(0.0, text=_("export.page.all_starting"))

        def progress(done: int, total: int, name: str) -> None:
            bar.progress(done / total, text=_("export.page.all_progress", done=done, total=total, name=md_inline(name)))

        # in this process: worker processes started from a Streamlit server would
        # re-run the page script (it is the server's __main__ module) in each worker
        data = workspace_zip(store, workspace, formats, lang, progress=progress, workers=1)
        st.session_state[ZIP_KEY] = (workspace.id, lang, tuple(formats), data)
    built = st.session_state.get(ZIP_KEY)
    if built and built[0] == workspace.id:
        st.download_button(_("export.page.all_download"), built[3], file_name=f"strategier_{workspace.name}.zip",
                           mime=MEDIA_TYPES["zip"], icon=":material/download:", on_click="ignore",
                           key="export_all_download", type="primary")


def render_page() -> None:
    _ = session.translator()
    store = current_store()
    workspace = current_workspace()
    actor = current_actor()
    st.title(_("export.page.title"))
    st.caption(_("export.page.intro"))

    councils = store.list_councils(workspace.id)
    if actor.role == "council":
        councils = [c for c in councils if c.kommunenummer == actor.council]
    if not councils:
        st.info(_("export.page.no_councils", workspace=md_inline(workspace.name)))
        return
    names = {c.kommunenummer: f"{c.kommunenummer} {c.name}" for c in councils}
    left, right = st.columns([3, 2])
    council = left.selectbox(_("export.page.council"), list(names), format_func=names.__getitem__,
                             key="export_council")
    ui_lang = session.language()
    lang = right.selectbox(_("export.page.lang"), LANGUAGES, index=LANGUAGES.index(ui_lang),
                           format_func=LANGUAGE_NAMES.__getitem__, key=f"export_lang_{ui_lang}")

    document = council_document(store, workspace, council, lang)
    cols = st.columns(len(FORMATS))
    for col, fmt in zip(cols, FORMATS, strict=True):
        col.download_button(_(f"export.page.download_{fmt}"), partial(render, document, fmt),
                            file_name=file_name(document, fmt), mime=MEDIA_TYPES[fmt],
                            icon=":material/download:", on_click="ignore", key=f"export_download_{fmt}",
                            width="stretch")
    if actor.role == "secretariat" and len(councils) > 1:
        with st.expander(_("export.page.all_title"), icon=":material/folder_zip:"):
            _download_all(store, workspace, lang)

    st.subheader(_("export.page.preview"))
    with st.container(border=True):
        preview(document)


session.guarded(render_page)
