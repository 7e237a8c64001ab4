"""Hand-made council data for the export tests: tricky answers in every kind of field."""

from __future__ import annotations

from datetime import UTC, date, datetime

from kommunestrategi.export.document import (
    AreaPart,
    CouncilData,
    CriterionPart,
    DatasetRow,
    FieldAnswer,
    IndicatorRow,
    RegionPart,
    ScenarioRow,
)

NORDIC = "Æøå ÆØÅ – «sitat» “quotes” ‘single’ — tankestrek"
FORMULA = "=SUM(A1)"
SCRIPT = "<script>alert(1)</script>"
PLUS = "+47 22 00 00 00"
AT = "@kommune"
MINUS = "-1 ikke et tall"
#: 10,000 characters with æøå, in words (as people type them).
LONG = ("Lang tekst om bærekraft og økonomi i Åfjord " * 300)[:10_000]
ANSWERS = (NORDIC, FORMULA, SCRIPT, PLUS, AT, MINUS, LONG)
GENERATED = datetime(2026, 11, 23, 12, 30, tzinfo=UTC)


def full_data(lang: str = "nb", png: bytes | None = None) -> CouncilData:
    """A council with answers in every part, including the tricky texts."""
    fields = [
        FieldAnswer("problem", "Problemet", NORDIC, True, GENERATED, "Åse"),
        FieldAnswer("effect", "Forventet effekt", LONG, True, GENERATED, "Åse"),
        FieldAnswer("target", "Målbart mål", FORMULA, True),
        FieldAnswer("evidence", "Kartlegging", SCRIPT, False),
        FieldAnswer("alternatives", "Alternativer", PLUS, True),
        FieldAnswer("x1", "Alfa", AT, False),
        FieldAnswer("x2", "Minus", MINUS, False),
    ]
    why = CriterionPart("why", 1, "Vite hvorfor", "complete", "Fullført", fields, [])
    partners = CriterionPart("partners", 2, "Søke partnere tidlig", "in_progress", "Under arbeid",
                             [FieldAnswer("partners", "Partnerkommuner", "Trondheim, Malvik", True),
                              FieldAnswer("stance", "Partnernes holdning", "", True)],
                             ["Vertskommunen er ikke blant partnerne."])
    area = AreaPart(
        id="barnevern", name="Barnevern", approach="Samarbeid", form="Administrativt vertskommunesamarbeid",
        partners=["5001 Trondheim", "5031 Malvik"], host="5001 Trondheim", timeline=SCRIPT,
        rationale=FORMULA, decision_deadline=date(2027, 3, 1), review_date=date(2025, 1, 1),
        owner_meetings="Årlig", reporting="Hvert halvår", ownership_report=NORDIC, notice_months=12,
        criteria=[why, partners], warnings=["Ingen uttredelsesklausul."],
        strategy_fields=[FieldAnswer("approach", "Valgt vei", "Samarbeid", True)],
    )
    return CouncilData(
        council="5035", council_name="Stjørdal", workspace="Værnesregionen «test»", lang=lang,
        generated_at=GENERATED, areas=[area],
        region=RegionPart("Værnesregionen", ["5035", "5001", "5031"], ["Stjørdal", "Trondheim", "Malvik"],
                          250_000, 2024, 2500.5, True, "above", png, "SSB 07459"),
        indicators=[IndicatorRow("Folketall", "personer", 24_800, 2024, "SSB 07459",
                                 [("KOSTRA-gruppe 1", 12_000.0), ("Landet", 5_000.0)]),
                    IndicatorRow("Andel 80+", "%", 4.5, 2023, "SSB 07459", [("Landet", 5.1)], 1)],
        scenarios=[ScenarioRow("Værnesregionen", 3, 250_000, 2500.5, True, "above", 0.8)],
        weights={"Kapasitet": 0.5, "Nærhet": 0.5},
        datasets=[DatasetRow(3, "indicators", "kostra æøå.xlsx", "ab" * 32, GENERATED, True)],
        sources=["SSB 07459", "Kartverket"],
    )


def empty_data(lang: str = "nb") -> CouncilData:
    """A council with nothing filled in."""
    return CouncilData(council="5036", council_name="Frosta", workspace="Tom", lang=lang, generated_at=GENERATED)
