"""The export command: files per council, exit codes and one-line errors."""

import zipfile
from pathlib import Path

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


def test_a_swedish_workspace_exports_its_key_figures_and_a_missing_map_quietly(tmp_path):
    """A Swedish workspace without imported boundaries has no map: the PDF says so, and
    the command writes no traceback (stderr holds one-line messages only)."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "KOMMUNESTRATEGI_DATA_DIR": str(tmp_path / "data")}

    def run(*args):
        return subprocess.run([sys.executable, "-m", "kommunestrategi", *args], env=env, capture_output=True,
                              text=True, timeout=300, cwd=Path(__file__).parent.parent)
    assert run("workspace", "create", "Norrbotten", "--council", "2580", "--council", "2583", "--open",
               "--country", "SE").returncode == 0
    store = Store.open(f"sqlite:///{tmp_path / 'data' / 'kommunestrategi.sqlite'}")
    ws = next(w for w in store.list_workspaces() if w.name == "Norrbotten")
    store.save_answer(SYSTEM, ws.id, "2580", "barnevern", "partners", "partners", ["2583"], None)
    store.close()
    done = run("export", "--workspace", "Norrbotten", "--council", "2580", "--format", "pdf",
               "--out", str(tmp_path / "out"), "--lang", "sv")
    assert done.returncode == 0 and done.stderr == ""
    text = "".join(p.extract_text() for p in pypdf.PdfReader(next((tmp_path / "out").iterdir())).pages)
    assert "Kartan kunde inte ritas" in text
    # the batch gathers Sweden's figures too: the key figures against the region and Sweden
    assert "inga nyckeltal" not in text and "Folkmängd" in text
    assert "Sverige" in text and "Norge" not in text
