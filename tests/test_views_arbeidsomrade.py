"""The workspace admin page and the sidebar's workspace/login block (AppTest)."""

from __future__ import annotations

import zipfile
from io import BytesIO

import pytest
from streamlit.testing.v1 import AppTest

from kommunestrategi.store import Store, auth

from .conftest import ROOT


def _app(page: str = "views/arbeidsomrade.py") -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def _submit(at: AppTest, label: str) -> None:
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception, at.exception


def test_create_a_locked_workspace_and_manage_its_codes() -> None:
    at = _app()
    assert [t.label for t in at.tabs] == ["Arbeidsflater", "Kommuner", "Tilgang", "Historikk", "Eksport og import"]
    at.text_input(key="ws_create_name").input("Sør-Trøndelag 2026")
    at.multiselect(key="ws_create_councils").set_value(["5001", "5028"])
    at.text_input(key="ws_create_code").input("kort")
    _submit(at, "Opprett arbeidsflate")
    assert any("tilgangskode" in w.value for w in at.warning)  # locked needs a secretariat code
    at.text_input(key="ws_create_code").input("sekretariat-2026")
    _submit(at, "Opprett arbeidsflate")

    store = Store.open()
    ws = store.get_workspace("Sør-Trøndelag 2026")
    assert not ws.open_access
    assert [c.kommunenummer for c in store.list_councils(ws.id)] == ["5001", "5028"]
    assert store.login(ws.id, "sekretariat-2026").role == "secretariat"
    # The creator is switched to the new workspace and stays its secretariat.
    assert at.sidebar.selectbox(key="workspace_picker").value == ws.id
    assert "Sør-Trøndelag 2026" in at.caption[0].value

    # A council code, set from the access tab.
    at.selectbox(key="code_role").set_value("council").run()
    at.selectbox(key="code_council").set_value("5028").run()
    at.text_input(key="ws_code_value").input("melhus-kode")
    _submit(at, "Lagre koden")
    assert any("lagret" in s.value for s in at.success)
    assert store.login(ws.id, "melhus-kode").council == "5028"
    with store.engine.connect() as conn:
        raw = conn.exec_driver_sql("SELECT * FROM access_codes").all()
    assert "melhus-kode" not in repr(raw)

    # The history tab lists the changes, newest first.
    history = at.dataframe[-1].value
    assert list(history["Hva"])[:2] == ["Tilgangskode", "Tilgangskode"]
    assert "Arbeidsflate" in set(history["Hva"])


def test_export_download_and_import_as_a_copy() -> None:
    at = _app()
    _submit(at, "Lag eksportfil")
    download = at.get("download_button")
    assert download, "the export offers a download"
    store = Store.open()
    data = store.export_workspace(store.get_workspace("Demo").id)
    with zipfile.ZipFile(BytesIO(data)) as archive:
        assert "workspace.json" in archive.namelist()


def test_locked_workspace_stops_pages_until_login_and_limits_attempts() -> None:
    store = Store.open()
    demo = store.ensure_demo_workspace()
    ws = store.create_workspace(store_actor(), "Låst", ["5001"])
    store.set_access_code(store_actor(), ws.id, "council", "trondheim-kode", council="5001")
    at = _app("views/region.py")
    at.sidebar.selectbox(key="workspace_picker").set_value(ws.id).run()
    assert any("låst" in i.value for i in at.info)  # the page asks for a login
    for _attempt in range(auth.MAX_FAILURES):
        at.sidebar.text_input(key="workspace_code").input("feil-kode")
        _submit(at, "Logg inn")
        assert any("Feil tilgangskode" in e.value for e in at.sidebar.error)
    at.sidebar.text_input(key="workspace_code").input("trondheim-kode")
    _submit(at, "Logg inn")
    assert any("For mange feil forsøk" in e.value for e in at.sidebar.error)
    assert demo.open_access


def test_council_login_shows_who_you_are_and_cannot_save_regions(monkeypatch) -> None:
    store = Store.open()
    ws = store.create_workspace(store_actor(), "Låst", ["5001"])
    store.set_access_code(store_actor(), ws.id, "council", "trondheim-kode", council="5001")
    at = _app("views/region.py")
    at.sidebar.selectbox(key="workspace_picker").set_value(ws.id).run()
    at.sidebar.text_input(key="workspace_login_name").input("Ola")
    at.sidebar.text_input(key="workspace_code").input("trondheim-kode")
    _submit(at, "Logg inn")
    assert any("Ola" in c.value and "Kommune 5001 Trondheim" in c.value for c in at.sidebar.caption)
    at.session_state["selection"] = ["5001", "5028"]
    at.run()
    assert not any(b.label == "Lagre utvalget" for b in at.button)
    assert any("Bare sekretariatet" in c.value for c in at.caption)


def test_saved_region_is_stored_and_opens_again_in_a_new_session() -> None:
    at = _app("views/region.py")
    at.session_state["selection"] = ["5001", "5028", "5029"]
    at.run()
    at.text_input(key="region_save_name").input("Trondheimsregionen")
    _submit(at, "Lagre utvalget")
    assert any("Trondheimsregionen" in s.value for s in at.success)
    store = Store.open()
    saved = store.list_regions(store.get_workspace("Demo").id)
    assert [(r.name, r.codes) for r in saved] == [("Trondheimsregionen", ["5001", "5028", "5029"])]

    fresh = _app("views/region.py")  # a refresh: new session, nothing selected
    assert any("**Trondheimsregionen**" in m.value for m in fresh.markdown)
    next(b for b in fresh.button if b.label == "Åpne").click().run()
    assert fresh.session_state["selection"] == ["5001", "5028", "5029"]


def test_refresh_reopens_the_region_named_in_the_url() -> None:
    store = Store.open()
    demo = store.ensure_demo_workspace()
    store.save_region(store_actor(), demo.id, "Trondheimsregionen", ["5001", "5028"])
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["region"] = "Trondheimsregionen"
    at.run()
    at.switch_page("views/region.py").run()
    assert not at.exception, at.exception
    assert at.session_state["selection"] == ["5001", "5028"]
    assert any("Sammenhengende" in s.value for s in at.success)


@pytest.fixture(autouse=True)
def _fresh_store_per_test() -> None:
    """Streamlit caches the store per URL; each test has its own data folder and URL."""
    from ui import workspace

    workspace._store_for.clear()


def store_actor():
    from kommunestrategi.store import SYSTEM

    return SYSTEM


def test_viewer_sees_the_page_read_only() -> None:
    store = Store.open()
    store.ensure_demo_workspace()
    ws = store.create_workspace(store_actor(), "Låst", ["5001"])
    store.set_access_code(store_actor(), ws.id, "viewer", "bare-lese")
    at = _app()
    at.sidebar.selectbox(key="workspace_picker").set_value(ws.id).run()
    at.sidebar.text_input(key="workspace_code").input("bare-lese")
    _submit(at, "Logg inn")
    labels = {b.label for b in at.button}
    assert not labels & {"Opprett arbeidsflate", "Lagre koden", "Lag eksportfil", "Importer", "Legg til"}
    assert any("Bare sekretariatet kan endre" in i.value for i in at.info)
    assert any("Bare sekretariatet kan eksportere" in i.value for i in at.info)
