"""The export command: files per council, exit codes and one-line errors."""

import zipfile

import docx
import openpyxl
import pypdf

from kommunestrategi.cli import main
from kommunestrategi.store import SYSTEM, Store


def _demo():
    store = Store.open()
    ws = store.ensure_demo_workspace()
    store.save_answer(SYSTEM, ws.id, "5001", "ikt", "why", "problem", "=SUM(A1) æøå", None)
    return store, ws


def test_one_council_docx(tmp_path, capsys):
    _demo()
    assert main(["export", "--workspace", "Demo", "--council", "5001", "--format", "docx",
                 "--out", str(tmp_path)]) == 0
    (path,) = tmp_path.iterdir()
    assert path.name == "strategi_5001_Trondheim.docx"
    assert str(path) in capsys.readouterr().out
    assert "=SUM(A1) æøå" in [p.text for p in docx.Document(path).paragraphs]


def test_all_councils_pdf_in_english(tmp_path):
    store, ws = _demo()
    assert main(["export", "--workspace", "Demo", "--format", "pdf", "--out", str(tmp_path / "out"),
                 "--lang", "en"]) == 0
    files = sorted((tmp_path / "out").iterdir())
    assert len(files) == len(store.list_councils(ws.id))
    first = pypdf.PdfReader(files[0]).pages[0].extract_text()
    assert "Cooperation strategy for" in first


def test_zip_of_xlsx(tmp_path):
    _demo()
    assert main(["export", "--workspace", "Demo", "--format", "xlsx", "--out", str(tmp_path), "--zip"]) == 0
    (path,) = tmp_path.iterdir()
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        assert "strategi_5001_Trondheim.xlsx" in names
        archive.extract("strategi_5001_Trondheim.xlsx", tmp_path)
    wb = openpyxl.load_workbook(tmp_path / "strategi_5001_Trondheim.xlsx")
    assert "=SUM(A1) æøå" in [c.value for row in wb["Svar"].iter_rows() for c in row]


def test_unknown_workspace_exits_1_with_one_line(tmp_path, capsys):
    _demo()
    assert main(["export", "--workspace", "Nowhere", "--format", "pdf", "--out", str(tmp_path)]) == 1
    err = capsys.readouterr().err.strip()
    assert err == "error: unknown workspace: Nowhere"
    assert not list(tmp_path.iterdir())


def test_unknown_council_exits_1_with_one_line(tmp_path, capsys):
    _demo()
    assert main(["export", "--workspace", "Demo", "--council", "0301", "--format", "pdf",
                 "--out", str(tmp_path)]) == 1
    err = capsys.readouterr().err.strip()
    assert err == "error: unknown council in workspace Demo: 0301"


def test_bad_format_is_a_usage_error(tmp_path, capsys):
    try:
        main(["export", "--workspace", "Demo", "--format", "odt", "--out", str(tmp_path)])
    except SystemExit as exc:
        assert exc.code == 2
    assert "invalid choice" in capsys.readouterr().err
