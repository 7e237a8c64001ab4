"""AppTest of the export page: preview of the stored answers as plain text, downloads, zip."""

import io
import zipfile
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from kommunestrategi.export.document import markdown_escape
from kommunestrategi.store import SYSTEM, Store
from tests.export_samples import FORMULA, LONG, NORDIC, SCRIPT

APP = str(Path(__file__).resolve().parent.parent / "app.py")


@pytest.fixture
def app():
    store = Store.open()
    ws = store.ensure_demo_workspace()
    for field, value in (("problem", NORDIC), ("effect", LONG), ("evidence", SCRIPT),
                         ("alternatives_assessment", FORMULA)):
        store.save_answer(SYSTEM, ws.id, "5001", "barnevern", "why", field, value, None)
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    at.switch_page("views/eksport.py").run()
    return at


def _markdown(at):
    return [m.value for m in at.markdown]


def test_preview_shows_the_answers_literally(app):
    assert not app.exception and not app.error
    assert app.title[0].value == "Eksport av strategien"
    shown = "\n".join(_markdown(app))
    for answer in (NORDIC, SCRIPT, FORMULA, LONG):
        assert markdown_escape(answer) in shown, answer[:30]
    assert "<script>" not in shown
    # every chapter folded in its own expander, closed: the page stays short
    chapters = [e.label for e in app.expander]
    assert "De sju kriteriene" in chapters and "Vedlegg – kilder og datagrunnlag" in chapters
    assert not any(e.proto.expanded for e in app.expander)


def test_council_without_answers_says_what_is_missing(app):
    app.selectbox(key="export_council").set_value("5028").run()
    assert not app.exception
    warnings = [w.value for w in app.warning]
    assert any("noen tjenesteområder" in w.replace("\\", "") for w in warnings)


def test_document_language_can_differ_from_the_app(app):
    app.selectbox(key="export_lang_nb").set_value("en").run()
    assert not app.exception
    assert any(h.value == "Cooperation strategy for Trondheim" for h in app.header)


def test_download_all_builds_a_zip_with_progress(app):
    app.multiselect(key="export_all_formats").set_value(["xlsx"]).run()
    app.button(key="export_all_build").click().run()
    assert not app.exception
    workspace_id, lang, formats, data = app.session_state["export_zip"]
    assert formats == ("xlsx",) and lang == "nb"
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert "strategi_5001_Trondheim.xlsx" in names and len(names) == 5
