"""The checklist in a real browser: answers survive reloads, a killed server and
concurrent participants; odd text is kept intact and shown as text."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from kommunestrategi.store import Store
from tests.conftest import AppServer, wait_for_app

pytestmark = pytest.mark.e2e

PROBLEM = "Problemet som skal løses"
EFFECT = "Forventet effekt"


def _open(page, url: str, council: str, area: str) -> None:
    page.goto(f"{url}/sjekkliste?kommune={council}&omrade={area}")
    wait_for_app(page)
    page.get_by_label(PROBLEM, exact=False).first.wait_for(timeout=60_000)


def _field(page, label: str):
    return page.get_by_label(label, exact=False).first


def _type(page, label: str, text: str) -> None:
    box = _field(page, label)
    box.fill(text)
    box.press("Tab")


def _saved(page, council: str, area: str, field: str, version: int) -> None:
    """Wait until the field says the store confirmed this version."""
    saved = page.locator(f"[class*='st-key-saved-'][class*='-{council}-{area}-why-{field}-v{version}']")
    saved.wait_for(timeout=30_000)
    assert re.search(r"Lagret \d\d:\d\d", saved.inner_text())


def _stored(server: AppServer, council: str, area: str, field: str):
    store = Store.open(f"sqlite:///{server.data_dir / 'kommunestrategi.sqlite'}")
    try:
        ws = store.get_workspace("Demo")
        return store.get_answer(ws.id, council, area, "why", field)
    finally:
        store.close()


def test_answers_are_kept_after_reload(app_server, page):
    _open(page, app_server.url, "5028", "ikt")
    _type(page, PROBLEM, "For få IKT-ansatte til å drifte egne systemer")
    _saved(page, "5028", "ikt", "problem", 1)
    _type(page, EFFECT, "Stabil drift og felles sikkerhet")
    _saved(page, "5028", "ikt", "effect", 1)
    page.reload()
    wait_for_app(page)
    expect(_field(page, PROBLEM)).to_have_value("For få IKT-ansatte til å drifte egne systemer", timeout=30_000)
    expect(_field(page, EFFECT)).to_have_value("Stabil drift og felles sikkerhet", timeout=30_000)
    assert _stored(app_server, "5028", "ikt", "problem").value == "For få IKT-ansatte til å drifte egne systemer"


def test_odd_text_survives_intact_and_renders_as_text(app_server, page):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    odd = "Æøå ÆØÅ =SUM(A1) <script>alert(1)</script> *ikke kursiv* # ikke overskrift"
    long_text = ("Lang tekst med æøå. " * 500)[:10_000]
    _open(page, app_server.url, "5029", "innkjop")
    _type(page, PROBLEM, odd)
    _saved(page, "5029", "innkjop", "problem", 1)
    _type(page, EFFECT, long_text)
    _saved(page, "5029", "innkjop", "effect", 1)
    assert _stored(app_server, "5029", "innkjop", "problem").value == odd
    assert _stored(app_server, "5029", "innkjop", "effect").value == long_text
    page.reload()
    wait_for_app(page)
    expect(_field(page, PROBLEM)).to_have_value(odd, timeout=30_000)
    expect(_field(page, EFFECT)).to_have_value(long_text, timeout=30_000)
    # the strategy document shows the text literally, and no script ran
    page.goto(f"{app_server.url}/strategi?kommune=5029")
    wait_for_app(page)
    page.get_by_text("=SUM(A1) <script>alert(1)</script> *ikke kursiv*", exact=False).first.wait_for(timeout=30_000)
    assert page.locator("main script").count() == 0
    assert not dialogs


def test_saved_edit_survives_sigkill_of_the_server(tmp_path, browser):
    server = AppServer(tmp_path).start()
    context = browser.new_context(locale="nb-NO")
    try:
        page = context.new_page()
        _open(page, server.url, "5001", "barnevern")
        _type(page, PROBLEM, "Sårbart fagmiljø, fristbrudd i 2025")
        _saved(page, "5001", "barnevern", "problem", 1)
        server.kill()
        restarted = AppServer(tmp_path).start()
        try:
            _open(page, restarted.url, "5001", "barnevern")
            expect(_field(page, PROBLEM)).to_have_value("Sårbart fagmiljø, fristbrudd i 2025", timeout=30_000)
        finally:
            restarted.stop()
    finally:
        context.close()
        server.stop()


def test_two_participants_keep_both_edits_and_see_conflicts(app_server, browser):
    first = browser.new_context(locale="nb-NO", viewport={"width": 1400, "height": 1000})
    second = browser.new_context(locale="nb-NO", viewport={"width": 1400, "height": 1000})
    try:
        a, b = first.new_page(), second.new_page()
        _open(a, app_server.url, "5031", "barnevern")
        _open(b, app_server.url, "5031", "barnevern")
        # different answers at the same time: both kept
        _type(a, PROBLEM, "Tekst fra Anne")
        _type(b, EFFECT, "Tekst fra Bjørn")
        _saved(a, "5031", "barnevern", "problem", 1)
        _saved(b, "5031", "barnevern", "effect", 1)
        assert _stored(app_server, "5031", "barnevern", "problem").value == "Tekst fra Anne"
        assert _stored(app_server, "5031", "barnevern", "effect").value == "Tekst fra Bjørn"
        # the same answer: B loads version 1, A saves version 2, then B saves from version 1
        b.reload()
        wait_for_app(b)
        expect(_field(b, PROBLEM)).to_have_value("Tekst fra Anne", timeout=30_000)
        _type(a, PROBLEM, "Annes andre versjon")
        _saved(a, "5031", "barnevern", "problem", 2)
        _type(b, PROBLEM, "Bjørns versjon av problemet")
        conflict = b.locator("[class*='st-key-conflict-'][class*='-5031-barnevern-why-problem']")
        conflict.wait_for(timeout=30_000)
        assert conflict.get_by_label("Lagret tekst (den andre)").input_value() == "Annes andre versjon"
        assert conflict.get_by_label("Din tekst (ikke lagret)").input_value() == "Bjørns versjon av problemet"
        # nothing was silently overwritten
        assert _stored(app_server, "5031", "barnevern", "problem").value == "Annes andre versjon"
        conflict.get_by_role("button", name="Overskriv med min").click()
        _saved(b, "5031", "barnevern", "problem", 3)
        assert _stored(app_server, "5031", "barnevern", "problem").value == "Bjørns versjon av problemet"
    finally:
        first.close()
        second.close()


def test_a_field_saves_on_its_own_and_the_page_follows_a_change_of_status(app_server, page):
    """Each field reruns alone when saved (a workshop's thirty editors cost the server
    little); what the page shows of the answers still follows at once."""
    _open(page, app_server.url, "5031", "kultur")
    expect(page.locator("[data-testid=stBadge], .stBadge, span").get_by_text("Ikke startet").first).to_be_visible(timeout=30_000)
    _type(page, PROBLEM, "Første tekst")
    _saved(page, "5031", "kultur", "problem", 1)
    # the criterion went from not started to in progress: the badge above the field follows
    expect(page.locator("[data-testid=stBadge], .stBadge, span").get_by_text("Påbegynt").first).to_be_visible(timeout=30_000)
    # the same field again and again: each save builds on the one before, no false conflict
    _type(page, PROBLEM, "Andre tekst")
    _saved(page, "5031", "kultur", "problem", 2)
    _type(page, PROBLEM, "Tredje tekst")
    _saved(page, "5031", "kultur", "problem", 3)
    assert page.locator("[class*='st-key-conflict-']").count() == 0
    _type(page, EFFECT, "Bedre tilbud")
    _saved(page, "5031", "kultur", "effect", 1)
    stored = _stored(app_server, "5031", "kultur", "problem")
    assert (stored.value, stored.version) == ("Tredje tekst", 3)
    page.reload()
    wait_for_app(page)
    expect(_field(page, PROBLEM)).to_have_value("Tredje tekst", timeout=30_000)
    expect(_field(page, EFFECT)).to_have_value("Bedre tilbud", timeout=30_000)
    expect(page.locator("[data-testid=stBadge], .stBadge, span").get_by_text("Påbegynt").first).to_be_visible(timeout=30_000)
