"""The strategy summary's "Existing cooperation" section (document, XLSX sheet, from the store)."""

import datetime as dt
import io

import openpyxl

from kommunestrategi import datasets
from kommunestrategi.cooperation import Arrangement
from kommunestrategi.export import xlsx
from kommunestrategi.export.collect import council_document
from kommunestrategi.export.cooperation_part import cooperation_part, cooperation_section
from kommunestrategi.export.document import build_document
from kommunestrategi.export.model import CouncilData, Notice, Table
from kommunestrategi.io.importer import validate_file
from kommunestrategi.store import SYSTEM, Store

TODAY = dt.date(2026, 11, 29)
ARRANGEMENTS = [
    Arrangement("B1", "Barnevernvakt", ("5001", "5028"), service_area="barnevern", legal_form="vertskommune_adm",
                host="5001", next_review="2027-03-01", exit_clause=True, notice_months=12),
    Arrangement("I1", "=IKT", ("5001", "5059"), service_area="ikt", legal_form="iks"),
    Arrangement("X1", "Avsluttet", ("5001", "5028"), ended="2025-01-01"),
    Arrangement("O1", "Andres", ("5028", "5029")),
]


def test_section_rows_flags_and_sheet():
    part = cooperation_part(ARRANGEMENTS, "5001", "nb", "register.csv (#3)", TODAY)
    assert [r[0] for r in part.rows] == ["Barnevernvakt", "=IKT"]  # running arrangements of the council only
    assert part.rows[0][3] == "5001 Trondheim" and part.rows[0][4] == "5001 Trondheim, 5028 Melhus"
    assert part.rows[0][8] == "–" and "Ingen revisjonsdato" in part.rows[1][8]
    assert part.flagged == 1
    document = build_document(CouncilData("5001", "Trondheim", "Demo", cooperation=part))
    section = next(s for s in document.sections if s.key == "cooperation")
    assert section.title == "Eksisterende samarbeid"
    table = next(b for b in section.blocks if isinstance(b, Table))
    assert table.columns[0] == "Navn" and len(table.rows) == 2
    assert any(isinstance(b, Notice) and "1 av samarbeidene" in b.text for b in section.blocks)
    book = openpyxl.load_workbook(io.BytesIO(xlsx.render_xlsx(document)))
    sheet = book["Eksisterende samarbeid"]
    assert sheet.cell(row=3, column=1).value == "=IKT"  # text, never a formula
    assert sheet.cell(row=3, column=1).data_type == "s"


def test_section_without_register_says_where_to_fill_it_in():
    section = cooperation_section(None, "en")
    assert section.title == "Existing cooperation"
    assert "Import the list on the Data page" in section.blocks[0].text
    document = build_document(CouncilData("5001", "Trondheim", "Demo", lang="en"))
    assert any(s.key == "cooperation" for s in document.sections)


def test_collected_from_the_store():
    store = Store.open()
    ws = store.ensure_demo_workspace()
    data = (b"navn;tjeneste;kommuner;vertskommune\nBarnevern Trondheim;barnevern;\"5001, 5028\";5001\n")
    datasets.import_result(store, SYSTEM, ws.id, validate_file(data, "register.csv", "arrangements"))
    document = council_document(store, ws, "5001", "nb", draw_map=False)
    section = next(s for s in document.sections if s.key == "cooperation")
    table = next(b for b in section.blocks if isinstance(b, Table))
    assert table.rows[0][0] == "Barnevern Trondheim"
    assert "register.csv (#" in section.blocks[0].text
