"""``python -m kommunestrategi cooperation``: counts, hosted arrangements and flags per municipality."""

import json

from kommunestrategi import datasets
from kommunestrategi.cli import main
from kommunestrategi.io.importer import validate_file
from kommunestrategi.store import SYSTEM, Store

CSV = ("navn;tjeneste;form;kommuner;vertskommune;neste revisjon;uttredelsesklausul;oppsigelsestid;årsverk\n"
       "Barnevern Melhus-Skaun;barnevern;vertskommune_adm;\"5028, 5029\";5028;2099-01-01;ja;12;6\n"
       "IKT Orkdalsregionen;ikt;iks;\"5059, 5028, 5029, 5055\";;2020-01-01;nei;;\n").encode()


def _import(real_data=None):
    store = Store.open()
    ws = store.ensure_demo_workspace()
    datasets.import_result(store, SYSTEM, ws.id, validate_file(CSV, "register.csv", "arrangements"))


def test_json_for_one_municipality(capsys):
    _import()
    assert main(["cooperation", "--workspace", "Demo", "--municipality", "Melhus", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["workspace"] == "Demo" and out["arrangements"] == 2 and out["ended"] == 0
    assert out["source"].startswith("register.csv (#")
    (row,) = out["municipalities"]
    assert row["kommunenummer"] == "5028" and row["name"] == "Melhus"
    assert row["by_form"] == {"iks": 1, "vertskommune_adm": 1}
    assert row["by_sector"] == {"barnevern": 1, "ikt": 1}
    assert row["hosted"] == [{"id": "A001", "name": "Barnevern Melhus-Skaun"}]
    assert row["partners"] == 3 and row["person_years"] == 3.0
    assert row["flags"] == {"review_overdue": 1, "no_exit_clause": 1, "no_notice_period": 1}
    assert row["flagged"] == [{"id": "A002", "name": "IKT Orkdalsregionen",
                               "flags": ["review_overdue", "no_exit_clause", "no_notice_period"]}]


def test_text_for_all_and_errors(capsys):
    _import()
    assert main(["cooperation", "--workspace", "Demo"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("Demo: 2 running arrangements")
    assert len(lines) == 1 + 4  # 5028 5029 5055 5059
    assert lines[1].startswith("5028 Melhus: 2 arrangements; forms: iks 1, vertskommune_adm 1")
    assert any(line.startswith("5055 Heim: 1 arrangement;") for line in lines[2:]), lines  # one, not "1 arrangements"
    assert main(["cooperation", "--workspace", "Nowhere"]) == 1
    assert "unknown workspace" in capsys.readouterr().err
    assert main(["cooperation", "--workspace", "Demo", "--municipality", "9998"]) == 1


def test_real_list_through_import_and_cooperation(real_data, capsys):
    path = real_data / "bufdir_interkommunale_barnevernsamarbeid_2023.csv"
    assert main(["import", str(path), "--kind", "arrangements", "--json"]) == 0
    capsys.readouterr()
    assert main(["cooperation", "--workspace", "Demo", "--municipality", "1151", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["arrangements"] == 64
    assert out["municipalities"][0]["partners"] == 1  # Utsira with Haugesund
