"""Kolada's own download formats, recorded as fixtures, imported into a Swedish workspace.

No network: the fixtures in ``tests/fixtures`` are written in the shapes below, and
the values are Kolada N21704 (share of inhabitants 80+ with home help in ordinary
housing, %, 2023) for Norrbotten's 14 kommuner as bundled in
``data/se_hemtjanst_80plus.csv`` (source: ``data/README.md``), so every imported
value can be checked against a published figure. The country (``0000`` Riket) and
region (``0025`` Region Norrbotten) rows and the women/men rows are illustrative
values; they must be skipped, never imported.

Shapes assumed, and why:

* ``kolada_N21704_download.csv`` - the table a user downloads from kolada.se
  ("Ladda ner"/"Exportera" of a KPI table): Swedish spreadsheet conventions, i.e.
  UTF-8 with a byte order mark, ``;`` as separator, every cell quoted, decimal
  commas; a title line that names the KPI id and title before the table, an empty
  line, then one row per area with ``Kommun`` (name), ``Kommun-id`` (4-digit id,
  kept as text so the leading zero survives), ``Kön`` (Totalt/Kvinnor/Män) and one
  column per year. The area column carries the same ids as Kolada's API
  (``0000`` the country, ``00xx`` regions, 4-digit kommunkod), which is why the
  reader keys on the id and treats names only as a fallback.
* ``kolada_N21704_download.xlsx`` - the same table as an Excel download: a sheet
  whose title line names the KPI, years as numeric header cells and values as
  numbers (Excel has no decimal comma in the cell itself).
* ``kolada_api_values_flat.csv`` - Kolada's documented API answer (v2 and v3:
  ``{"values": [{"kpi", "municipality", "period", "values": [{"gender", "count",
  "status", "value"}]}]}``) flattened to one row per gender, as a user exporting
  the API answer to CSV gets it: the field names as column headers, ``,`` as
  separator, decimal points, ``gender`` T/K/M, a ``status`` of ``Missing`` with an
  empty ``value`` where Kolada has no figure.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import yaml

from kommunestrategi.cli import main
from kommunestrategi.countries import sweden
from kommunestrategi.io import kolada_import
from kommunestrategi.io.importer import validate_file

FIXTURES = Path(__file__).resolve().parent / "fixtures"
NORRBOTTEN = ["2505", "2506", "2510", "2513", "2514", "2518", "2521", "2523", "2560", "2580", "2581", "2582",
              "2583", "2584"]


def _published(codes: list[str]) -> dict[str, float]:
    facts = sweden.home_help_80plus().set_index("kommunkod")
    return {code: float(facts.at[code, "andel_80plus_hemtjanst_pct_2023"]) for code in codes}


def _imported(name: str) -> tuple[dict[str, float], set[str]]:
    result = validate_file((FIXTURES / name).read_bytes(), name, "indicators", country="SE")
    assert result.ok, [line.as_dict() for line in result.report.lines]
    values = result.tables["indicator_values"]
    assert set(values["indicator_id"]) == {"hjemmetjenester_andel_80_plus"}
    assert set(values["year"]) == {2023}
    assert (values["unit"] == "percent").all()
    return dict(zip(values["kommunenummer"], values["value"], strict=True)), \
        {line.code for line in result.report.warnings}


@pytest.mark.parametrize("name", ["kolada_N21704_download.csv", "kolada_N21704_download.xlsx"])
def test_kolada_table_download_imports_the_published_figures(name: str) -> None:
    values, warnings = _imported(name)
    assert values == pytest.approx(_published(NORRBOTTEN))
    assert sorted(values) == NORRBOTTEN  # Riket and Region Norrbotten are not kommuner
    assert {"kolada_gender_skipped", "kolada_aggregates_skipped"} <= warnings


def test_flattened_api_answer_imports_totals_of_kommuner_only() -> None:
    values, warnings = _imported("kolada_api_values_flat.csv")
    codes = ["2505", "2506", "2510", "2580", "2583", "2584"]
    assert values == pytest.approx(_published(codes))
    assert sorted(values) == codes  # 0000 skipped; Kiruna 2022 has no value ("Missing") and is not a zero
    assert {"kolada_gender_skipped", "kolada_aggregates_skipped"} <= warnings


def test_downloaded_table_reaches_the_indicator_panels(tmp_path, capsys) -> None:
    assert main(["workspace", "create", "Norrbotten", "--country", "SE", "--open"]) == 0
    capsys.readouterr()
    code = main(["import", str(FIXTURES / "kolada_N21704_download.csv"), "--kind", "indicators",
                 "--workspace", "Norrbotten", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0, out
    assert out["counts"]["indicators"] == ["hjemmetjenester_andel_80_plus"]
    from kommunestrategi import datasets
    from kommunestrategi.store import Store

    store = Store.open()
    uploaded = datasets.uploaded_indicator_values(store, store.get_workspace("Norrbotten").id)
    data = sweden.indicator_data(uploaded)
    card = data.panel(["2583"], indicator_ids=["hjemmetjenester_andel_80_plus"]).card("hjemmetjenester_andel_80_plus")
    assert card.year == 2023 and card.value == pytest.approx(30.98)


def test_kpi_catalogue_says_what_was_checked_offline() -> None:
    """N01951 and N21704 are the KPIs the bundled facts name; a "source" KPI names a public
    source listing its id and title; every other id is marked unverified."""
    raw = yaml.safe_load(kolada_import.KPI_CATALOGUE_PATH.read_text(encoding="utf-8"))["kpis"]
    checked = {entry["kpi"]: str(entry["checked"]) for entry in raw}
    assert set(checked) == set(kolada_import.kpi_catalogue())
    assert {k for k, v in checked.items() if v.startswith("facts")} == {"N01951", "N21704"}
    assert all(v.startswith(("facts", "source: github.com/", "unverified")) for v in checked.values())
    assert {k for k, v in checked.items() if v.startswith("source")} == {"N15033", "U23401"}
    readme = (Path(__file__).resolve().parent.parent / "data" / "README.md").read_text(encoding="utf-8")
    assert "N21704" in readme and "N01951" in readme
    # the bundled N21704 figures are the facts file's, for all 290 kommuner
    facts = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "facts" / \
        "se_hemtjanst_80plus_2023.csv"
    if facts.is_file():
        shared = pd.read_csv(facts, dtype={"kommunkod": str}).set_index("kommunkod")
        bundled = sweden.home_help_80plus().set_index("kommunkod")
        assert len(bundled) == 290
        assert shared.reindex(bundled.index)["andel_80plus_hemtjanst_pct_2023"].tolist() == pytest.approx(
            bundled["andel_80plus_hemtjanst_pct_2023"].tolist(), nan_ok=True)
