"""The export page in a real browser: answers shown literally, the PDF download works."""

import io
from pathlib import Path

import pypdf
import pytest

from kommunestrategi.store import SYSTEM, Store
from tests.conftest import wait_for_app

pytestmark = pytest.mark.e2e

SCRIPT = "<script>alert(1)</script>"
AREA = "custom:E2E eksport"


def test_preview_and_pdf_download(app_server, page):
    store = Store.open(f"sqlite:///{app_server.data_dir / 'kommunestrategi.sqlite'}")
    ws = store.ensure_demo_workspace()
    store.save_answer(SYSTEM, ws.id, "5001", AREA, "why", "problem", f"{SCRIPT} æøå", None)
    store.close()

    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{app_server.url}/eksport")
    wait_for_app(page)
    # the preview's chapters are folded: open the criteria
    page.get_by_text("De sju kriteriene", exact=True).first.click(timeout=60_000)
    page.get_by_text(f"{SCRIPT} æøå").first.wait_for(timeout=60_000)
    assert not dialogs  # the script never ran
    assert page.locator("script:text('alert(1)')").count() == 0

    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name="Last ned PDF").click()
    download = info.value
    assert download.suggested_filename == "strategi_5001_Trondheim.pdf"
    data = Path(download.path()).read_bytes()
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages)
    assert f"{SCRIPT} æøå" in text
