"""The export document model: what a council's summary says, in every language."""

import pytest

from kommunestrategi.export import FORMATS, file_name, render
from kommunestrategi.export.document import Fields, Notice, build_document, clean_text, file_stem
from tests.export_samples import ANSWERS, LONG, empty_data, full_data


def _notices(document, kind):
    return [b.text for s in document.walk() for b in s.blocks if isinstance(b, Notice) and b.kind == kind]


def test_full_document_holds_every_typed_answer_whole():
    document = build_document(full_data())
    texts = list(document.texts())
    for answer in ANSWERS:
        assert answer in texts, answer[:40]
    assert any(len(t) == len(LONG) for t in texts)


def test_sections_in_the_issue_order():
    keys = [s.key for s in build_document(full_data()).sections]
    assert keys == ["region", "indicators", "strategy", "criteria", "ownership", "cooperation", "scenarios",
                    "questions", "appendix"]


def test_title_page_rows_and_status():
    document = build_document(full_data())
    labels = [label for label, _ in document.title_rows]
    assert labels == ["Kommune", "Arbeidsflate", "Dato", "Status"]
    assert document.title_rows[0][1] == "5035 Stjørdal"
    assert "1 av 2" in document.status and not document.complete


def test_consistency_warnings_and_overdue_review_are_shown():
    document = build_document(full_data())
    warnings = _notices(document, "warning")
    assert "Ingen uttredelsesklausul." in warnings
    assert "Vertskommunen er ikke blant partnerne." in warnings
    assert any("forsinket" in w for w in warnings)  # review date 2025-01-01 is before generation


def test_appendix_names_dataset_id_and_sha256():
    document = build_document(full_data())
    texts = list(document.texts())
    assert "ab" * 32 in texts and "3" in texts


def test_empty_council_says_what_is_missing():
    document = build_document(empty_data())
    missing = _notices(document, "missing")
    assert any("region" in m for m in missing)
    assert any("tjenesteområder" in m for m in missing)
    assert any("nøkkeltall" in m.lower() for m in missing)
    assert "Ikke påbegynt" in document.status
    # every chapter still exists
    assert len(document.sections) == 9


def test_missing_required_fields_are_named():
    document = build_document(full_data())
    missing = _notices(document, "missing")
    assert any("Partnernes holdning" in m for m in missing)
    questions = [item for s in document.walk() if s.key == "questions" for b in s.blocks for item in b.items]
    assert any("Partnernes holdning" in q for q in questions)


@pytest.mark.parametrize(("lang", "title", "section"), [
    ("nb", "Samarbeidsstrategi for Stjørdal", "De sju kriteriene"),
    ("en", "Cooperation strategy for Stjørdal", "The seven criteria"),
    ("sv", "Samverkansstrategi för Stjørdal", "De sju kriterierna"),
])
def test_language(lang, title, section):
    document = build_document(full_data(lang))
    assert document.title == title
    assert section in [s.title for s in document.sections]


def test_answers_are_kept_as_fields_not_truncated():
    document = build_document(full_data())
    fields = [v for s in document.walk() for b in s.blocks if isinstance(b, Fields) for _, v in b.items]
    assert LONG in fields


def test_clean_text_drops_only_xml_illegal_characters():
    assert clean_text("a\x00b\x0bc\td\ne\rf=SUM(A1)<x>") == "abc\td\ne\rf=SUM(A1)<x>"
    assert clean_text(None) == ""


def test_file_names_are_safe():
    document = build_document(full_data())
    assert file_stem(document) == "strategi_5035_Stjørdal"
    assert file_name(document, "pdf") == "strategi_5035_Stjørdal.pdf"


def test_unknown_format_is_refused():
    with pytest.raises(ValueError, match="unknown format"):
        render(build_document(empty_data()), "odt")
    assert FORMATS == ("docx", "pdf", "xlsx")


def test_document_shows_the_first_key_figures_and_the_workbook_all():
    from kommunestrategi.export.document import MAX_DOCUMENT_INDICATORS, IndicatorRow, Table

    data = full_data()
    data.indicators = [IndicatorRow(f"Indikator {i}", "%", float(i), 2024, "SSB", [("Landet", 1.0)])
                       for i in range(MAX_DOCUMENT_INDICATORS + 4)]
    document = build_document(data)
    section = next(s for s in document.sections if s.key == "indicators")
    table = next(b for b in section.blocks if isinstance(b, Table))
    assert len(table.rows) == MAX_DOCUMENT_INDICATORS
    assert any("4 nøkkeltall til" in t for t in document.texts())
    sheet = next(s for s in document.sheets if s.name == "Nøkkeltall")
    assert len(sheet.rows) == MAX_DOCUMENT_INDICATORS + 4
