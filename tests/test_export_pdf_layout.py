"""The rendered PDF as a council reads it: figures whole, headings broken only between
words, every time in Norwegian local time, no English in a Norwegian document.

The text is taken from the PDF itself (pdftotext, one line of the page per line),
so a figure or a heading split over two lines of a table cell shows up as two
pieces on different lines.
"""

import re
import shutil
import subprocess
from datetime import UTC
from pathlib import Path
from zoneinfo import ZoneInfo

import pypdf
import pytest

from kommunestrategi import datasets, regions
from kommunestrategi.cli import main
from kommunestrategi.export.collect import collect, council_document
from kommunestrategi.export.document import build_document
from kommunestrategi.export.layout import transpose
from kommunestrategi.export.model import Num, Table
from kommunestrategi.export.pdf import render_pdf
from kommunestrategi.io.importer import validate_file
from kommunestrategi.scenarios.model import CRITERIA
from kommunestrategi.store import SYSTEM, Actor, Store
from kommunestrategi.store import scenarios as S
from tests.export_samples import GENERATED, full_data

FIXTURES = Path(__file__).parent / "fixtures"
NBSP = "\u00a0"
#: Words that give away English in a Norwegian document (whole words, case-sensitive).
ENGLISH = ("indicators", "arrangements", "boundaries", "Jan", "Feb", "Generated", "Page", "Source",
           "Sources", "Yes", "No", "None", "Region", "Municipality", "Population", "Area", "Version",
           "Imported", "Active", "Kind", "File", "the", "and", "of", "Norway", "Statistics", "median",
           "table", "group", "Yes", "missing", "Judged", "Measured", "Score", "Scenario comparison")
OSLO = ZoneInfo("Europe/Oslo")


def _lines(data: bytes, tmp_path: Path) -> list[str]:
    """The PDF's text, one printed line per line (pdftotext when present, else pypdf)."""
    if shutil.which("pdftotext"):
        path = tmp_path / "doc.pdf"
        path.write_bytes(data)
        text = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                              text=True).stdout
    else:  # pragma: no cover - pdftotext is in the CI image
        import io
        text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages)
    return [line.replace(NBSP, " ") for line in text.splitlines()]


def _tables(document) -> list[Table]:
    return [b for s in document.walk() for b in s.blocks if isinstance(b, Table)]


def _whole_on_a_line(piece: str, lines: list[str]) -> bool:
    pattern = re.compile(r"(?<![\w*])" + re.escape(piece.replace(NBSP, " ")) + r"(?![\w])")
    return any(pattern.search(line) for line in lines)


@pytest.fixture(scope="module")
def filled_store():
    """Malvik's work in a real store: partners, an imported dataset, a saved region, a
    cooperation register and a scenario board (every part of the summary filled)."""
    store = Store.open()
    ws = store.ensure_demo_workspace()

    def save(criterion, field, value):
        store.save_answer(SYSTEM, ws.id, "5031", "barnevern", criterion, field, value, None)
    save("strategy", "approach", "cooperation")
    save("strategy", "decision_deadline", "2027-03-01")
    save("partners", "partners", ["5001", "5035"])
    save("partners", "host", "5001")
    save("form", "legal_form", "vertskommune_nemnd")
    save("form", "budget", 18_500_000)
    save("exit", "review_date", "2028-01-01")
    save("exit", "notice_months", 12)
    store.save_region(SYSTEM, ws.id, "Trondheimsregionen", ["5001", "5028", "5029", "5031", "5035"])
    assert main(["import", str(FIXTURES / "ssb_12134_kostra.jsonstat2.json"), "--kind", "indicators"]) == 0
    register = b"navn;tjeneste;kommuner;vertskommune\nBarnevernvakt;barnevern;\"5001, 5031\";5001\n"
    datasets.import_result(store, SYSTEM, ws.id, validate_file(register, "samarbeid.csv", "arrangements"))
    secretariat = Actor("Siri", "secretariat")
    S.save_methods(store, secretariat, ws.id, {c: "workshop" for c in CRITERIA} | {"capacity": "measured"})
    for name, kind, score in (("Status quo", "status_quo", 5), ("Storkommune", "merger", 2)):
        scenario = S.save_scenario(store, secretariat, ws.id, name, kind, ["5001", "5028", "5031"])
        S.save_score(store, secretariat, ws.id, scenario.id, "identity", score, "")
    S.save_weights(store, Actor("Kari", "secretariat"), ws.id, {"capacity": 1, "identity": 3})
    return store, ws


@pytest.fixture(scope="module")
def store_document(filled_store):
    """Malvik's summary from the filled store, as a PDF."""
    store, ws = filled_store
    document = council_document(store, ws, "5031", draw_map=False)
    return document, render_pdf(document), store.list_dataset_versions(ws.id)


@pytest.fixture(scope="module")
def sample_document():
    document = build_document(full_data())
    return document, render_pdf(document)


@pytest.mark.parametrize("which", ["store_document", "sample_document"])
def test_no_figure_is_split_across_lines(which, request, tmp_path):
    document, data, *_ = request.getfixturevalue(which)
    lines = _lines(data, tmp_path)
    figures = {c.text for t in _tables(document) for row in t.rows for c in row
               if isinstance(c, Num) and c.value is not None}
    assert any(" " in f.replace(NBSP, " ") for f in figures)  # there are grouped figures to break
    for figure in figures:
        assert _whole_on_a_line(figure, lines), f"{figure!r} is split"


def test_the_population_figures_of_the_key_figure_table_are_whole(store_document, tmp_path):
    document, data, _ = store_document
    lines = _lines(data, tmp_path)
    population = next(line for line in lines if line.strip().startswith("Folketall ") and "personer" in line)
    # Malvik, the region (summed), the KOSTRA group and the country (medians, marked)
    assert re.search(r"personer\s+20\d\d\s+\d{1,3} \d{3}\s+\d{3} \d{3}\s+\d{1,3} \d{3}\*\s+\d \d{3}\*", population)


@pytest.mark.parametrize("which", ["store_document", "sample_document"])
def test_headings_break_only_between_words(which, request, tmp_path):
    document, data, *_ = request.getfixturevalue(which)
    lines = _lines(data, tmp_path)
    tokens = {tok for line in lines for tok in line.split()}
    words = {w for t in _tables(document) for c in t.columns for w in c.replace(NBSP, " ").split(" ") if len(w) > 2}
    words |= {w for t in _tables(document) if len(t.rows) <= 3
              for c in transpose(t).columns for w in str(c).replace(NBSP, " ").split(" ") if len(w) > 2}
    for word in words:
        assert word in tokens or any(word in tok for tok in tokens), f"{word!r} is broken inside"
        for tok in tokens:
            if tok != word and len(tok) >= 2 and tok not in words and (word.startswith(tok) or word.endswith(tok)):
                assert any(tok == w or tok in w.split("-") for w in tokens_from_texts(document)), \
                    f"{word!r} appears broken as {tok!r}"


def tokens_from_texts(document) -> set[str]:
    return {w.strip(".,:;()«»") for text in document.texts() for w in text.replace(NBSP, " ").split()} | {
        w for text in document.texts() for w in text.replace(NBSP, " ").split()}


def test_every_time_is_oslo_local_time(store_document, tmp_path):
    document, data, versions = store_document
    text = "\n".join(_lines(data, tmp_path))
    times = set(re.findall(r"\b\d{1,2}:\d{2}\b", text))
    expected = {document.generated_at.astimezone(OSLO).strftime("%H:%M")}
    expected |= {v.created_at.replace(tzinfo=v.created_at.tzinfo or UTC).astimezone(OSLO).strftime("%H:%M")
                 for v in versions}
    assert times and times <= expected


def test_a_fixed_utc_time_is_written_as_oslo_time(sample_document, tmp_path):
    _document, data = sample_document
    text = "\n".join(_lines(data, tmp_path))
    local = GENERATED.astimezone(OSLO)
    assert local.strftime("%H:%M") == "13:30"
    assert "13:30" in text and "12:30" not in text
    assert "23. nov. 2026, 13:30" in text


@pytest.mark.parametrize("which", ["store_document", "sample_document"])
def test_no_english_words_in_a_norwegian_document(which, request, tmp_path):
    _document, data, *_ = request.getfixturevalue(which)
    text = "\n".join(_lines(data, tmp_path))
    found = sorted({w for w in ENGLISH if re.search(rf"(?<![\w-]){w}(?![\w-])", text)})
    assert not found


def test_the_appendix_names_data_kinds_and_dates_in_norwegian(store_document, tmp_path):
    _document, data, _ = store_document
    text = "\n".join(_lines(data, tmp_path))
    assert "Indikatorer" in text
    assert "folketall 1. jan. 2026" in text


def test_a_wide_table_with_many_rows_goes_on_a_landscape_page(tmp_path):
    document = build_document(full_data())
    heads = ["Tjenesteområde"] + [f"Befolkningsframskrivning{i}" for i in range(5)]
    rows = [[f"Område {r}", *(Num(1_234_567 + r * 1000 + i, f"1{NBSP}{234 + r}{NBSP}{567 + i}") for i in range(5))]
            for r in range(5)]
    document.sections[-1].blocks.append(Table(heads, rows))
    pdf = render_pdf(document)
    import io
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    landscape = [p for p in reader.pages if float(p.mediabox.width) > float(p.mediabox.height)]
    assert len(landscape) == 1
    assert "Befolkningsframskrivning4" in landscape[0].extract_text()
    # the pages after it are portrait again; every figure and heading is whole
    assert float(reader.pages[-1].mediabox.width) < float(reader.pages[-1].mediabox.height) or \
        reader.pages[-1] == landscape[0]
    lines = _lines(pdf, tmp_path)
    for row in rows:
        for cell in row[1:]:
            assert _whole_on_a_line(cell.text, lines)
    for head in heads:
        assert _whole_on_a_line(head, lines)


def test_a_wide_table_with_few_rows_is_turned(tmp_path):
    document = build_document(full_data())
    heads = ["Tjenesteområde"] + [f"Befolkningsframskrivning{i}" for i in range(5)]
    document.sections[-1].blocks.append(Table(heads, [["Barnevern", *(Num(i, str(i)) for i in range(5))]]))
    pdf = render_pdf(document)
    lines = _lines(pdf, tmp_path)
    assert any(re.search(r"Befolkningsframskrivning3\s+3\b", line) for line in lines)


def test_the_region_column_is_the_region_as_one_unit_and_a_median_is_marked(filled_store):
    store, ws = filled_store
    data = collect(store, ws, "5031", draw_map=False)
    population = next(r for r in data.indicators if r.name == "Folketall")
    region = dict(population.comparisons)["Regionen"]
    # the region's population is the members' sum (as on the map), never their median
    assert region == regions.summarise(data.region.codes).population == data.region.population
    assert "Regionen" not in population.medians
    centrality = next(r for r in data.indicators if r.name.startswith("Sentralitetsindeks"))
    assert "Regionen" in centrality.medians  # a class cannot be added up: the median, marked with *
    assert "KOSTRA-gruppe 7" in [label.replace(NBSP, " ") for label, _ in population.comparisons]


def _docx_text(data: bytes) -> str:
    import io

    import docx
    doc = docx.Document(io.BytesIO(data))
    texts = [p.text for p in doc.paragraphs]
    texts += [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return "\n".join(texts).replace(NBSP, " ")


def _xlsx_text(data: bytes) -> str:
    import io

    import openpyxl
    book = openpyxl.load_workbook(io.BytesIO(data))
    cells = [str(c) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for c in row
             if c is not None]
    return "\n".join([*book.sheetnames, *cells]).replace(NBSP, " ")


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_word_and_excel_files_speak_norwegian_and_oslo_time(kind, store_document, filled_store):
    from kommunestrategi.export.docx import render_docx
    from kommunestrategi.export.xlsx import render_xlsx

    document, _pdf, versions = store_document
    text = (_docx_text(render_docx(document)) if kind == "docx" else _xlsx_text(render_xlsx(document)))
    found = sorted({w for w in ENGLISH if re.search(rf"(?<![\w-]){w}(?![\w-])", text)})
    assert not found
    times = set(re.findall(r"\b\d{1,2}:\d{2}\b", text))
    expected = {document.generated_at.astimezone(OSLO).strftime("%H:%M")}
    expected |= {v.created_at.replace(tzinfo=v.created_at.tzinfo or UTC).astimezone(OSLO).strftime("%H:%M")
                 for v in versions}
    assert times and times <= expected
    assert "Indikatorer" in text and "Samarbeidsordninger" in text  # the appendix's data kinds


#: Words that give away Norwegian in an English or Swedish document (whole words).
NORWEGIAN = {
    "en": ("og", "ikke", "av", "tabell", "kommuner", "Kilde", "Landet", "Regionen", "KOSTRA-gruppe", "mangler",
           "gjelder", "Ja", "Nei", "Side", "sentralitetsindeks", "registeret", "personer", "Samarbeid"),
    "sv": ("ikke", "og", "Kilde", "Landet", "mangler", "gjelder", "Nei", "Side", "sentralitetsindeks",
           "registeret", "KOSTRA-gruppe", "Samarbeid", "Arbeidsflate", "fullført", "Påbegynt", "Vurdert"),
}


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_english_and_swedish_documents_have_no_norwegian_left(lang, filled_store, tmp_path):
    from kommunestrategi.export.docx import render_docx

    store, ws = filled_store
    document = council_document(store, ws, "5031", lang, draw_map=False)
    for text in ("\n".join(_lines(render_pdf(document), tmp_path)), _docx_text(render_docx(document))):
        found = sorted({w for w in NORWEGIAN[lang] if re.search(rf"(?<![\w-]){w}(?![\w-])", text)})
        assert not found


@pytest.mark.parametrize("which", ["store_document", "sample_document"])
def test_a_percentage_or_an_amount_keeps_its_sign_on_its_line(which, request, tmp_path):
    _document, data, *_ = request.getfixturevalue(which)
    lines = [line.strip() for line in _lines(data, tmp_path)]
    assert any(re.search(r"\d %", line) for line in lines)
    # a line never starts with the % or kr of a figure at the end of the line before
    assert not [line for line in lines if re.match(r"(%|kr)(\W|$)", line)]


@pytest.mark.parametrize("lang, population", [("nb", "folkemengde 31. desember 2024"),
                                              ("sv", "folkmängd 31 december 2024"),
                                              ("en", "population 31 December 2024")])
def test_a_swedish_workspace_names_its_sources_in_the_document_language(lang, population, tmp_path):
    store = Store.open(f"sqlite:///{tmp_path / 'se.sqlite'}")
    ws = store.create_workspace(SYSTEM, "Norrbotten", ["2580", "2583"], open_access=True, country="SE")
    for field, value in (("approach", "cooperation"),):
        store.save_answer(SYSTEM, ws.id, "2580", "barnevern", "strategy", field, value, None)
    store.save_answer(SYSTEM, ws.id, "2580", "barnevern", "partners", "partners", ["2583"], None)
    document = council_document(store, ws, "2580", lang, draw_map=False)
    text = "\n".join(_lines(render_pdf(document), tmp_path))
    assert population in text
    assert not re.search(r"\b\d{1,2} (Jan|Dec)\b", text)  # no English date in a document
    store.close()
