"""The public CLI: region and neighbours (names, JSON fields, exit codes)."""

import json
import subprocess
import sys
from pathlib import Path

from kommunestrategi import geo
from kommunestrategi.cli import main

ROOT = Path(__file__).resolve().parent.parent


def test_region_json_fields(capsys):
    assert main(["region", "5001", "5031", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["members"] == ["5001", "5031"]
    units = geo.load_units().set_index("kommunenummer")
    assert data["population"] == int(units.loc[["5001", "5031"], "population"].sum()) == 218_460 + 14_961
    assert data["population_year"] == 2026
    assert data["contiguous"] is True
    assert data["area_km2"] > 0 and data["max_centre_distance_km"] > 0


def test_region_accepts_2020_numbers(capsys):
    assert main(["region", "3001", "--json"]) == 0   # Halden, 2020 number
    assert json.loads(capsys.readouterr().out)["members"] == ["3101"]


def test_unknown_number_exits_1_with_one_line(capsys):
    assert main(["region", "5001", "9999"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "9999" in err
    assert "Traceback" not in err


def test_neighbours_json(capsys):
    assert main(["neighbours", "5001", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert "5031" in data["neighbours"]
    assert "5501" not in data["neighbours"]


def test_module_entry_point_runs_as_a_subprocess():
    result = subprocess.run([sys.executable, "-m", "kommunestrategi", "neighbours", "0000"],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "0000" in result.stderr and "Traceback" not in result.stderr


HEAVY = ("pandas", "numpy", "geopandas", "shapely", "networkx", "sqlalchemy", "alembic", "scipy")


def _modules_after(argv: list[str], env_dir: Path) -> tuple[list[str], str]:
    """The heavy modules loaded by running ``argv`` in a fresh interpreter, and its output."""
    code = ("import sys, contextlib, io\n"
            "from kommunestrategi.cli import main\n"
            "out = io.StringIO()\n"
            "with contextlib.redirect_stdout(out):\n"
            "    try:\n"
            f"        main({argv!r})\n"
            "    except SystemExit:\n"
            "        pass\n"
            f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
            "print(out.getvalue())\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                            timeout=120, env={**__import__("os").environ, "KOMMUNESTRATEGI_DATA_DIR": str(env_dir)})
    assert result.returncode == 0, result.stderr
    first, _, rest = result.stdout.partition("\n")
    return json.loads(first.replace("'", '"')), rest


def test_help_lists_every_command_without_importing_any(tmp_path):
    from kommunestrategi.cli import COMMANDS

    loaded, out = _modules_after(["--help"], tmp_path)
    assert loaded == []
    words = " ".join(out.split())                 # argparse wraps long help lines
    for name, spec in COMMANDS.items():
        assert name in words and " ".join(spec.help.split()) in words


def test_region_on_the_bundled_map_imports_no_pandas(tmp_path):
    # without a store, and with one whose Demo workspace has imported nothing
    loaded, out = _modules_after(["region", "5001", "5031", "--json"], tmp_path)
    assert loaded == []
    assert json.loads(out)["population"] == 218_460 + 14_961
    _modules_after(["workspace", "list"], tmp_path)  # creates the store with the Demo workspace
    assert (tmp_path / "kommunestrategi.sqlite").is_file()
    loaded, out = _modules_after(["region", "5001", "5031"], tmp_path)
    assert loaded == []
    assert "population 233421 (2026)" in out
    loaded, out = _modules_after(["neighbours", "--all", "--json"], tmp_path)
    assert loaded == []
    assert json.loads(out)["municipalities"] == 356


def test_the_command_registry_matches_the_modules():
    # every module registers exactly the commands the registry gives it, with the same help
    from kommunestrategi.cli import COMMANDS, build_parser

    parser = build_parser(full=True)
    (subparsers,) = [a for a in parser._actions if a.dest == "command"]
    assert list(subparsers.choices) == list(COMMANDS)
    helps = {action.dest: action.help for action in subparsers._choices_actions}
    assert helps == {name: spec.help for name, spec in COMMANDS.items()}
    for name in COMMANDS:
        assert subparsers.choices[name].add_help      # the real parser, not a placeholder


def test_unknown_command_is_a_usage_error(capsys):
    import pytest

    with pytest.raises(SystemExit) as exc:
        main(["nosuchcommand"])
    assert exc.value.code == 2
    assert "region" in capsys.readouterr().err


def test_neighbours_json_gives_kind_and_distance(capsys):
    assert main(["neighbours", "1151", "--json"]) == 0   # Utsira, out at sea
    data = json.loads(capsys.readouterr().out)
    karmoy = next(link for link in data["links"] if link["kommunenummer"] == "1149")
    assert karmoy["kind"] == "sea"
    assert 5 < karmoy["distance_km"] <= 30
    assert main(["neighbours", "1151", "--json", "--border-only"]) == 0
    assert json.loads(capsys.readouterr().out)["neighbours"] == []


def test_neighbours_all_prints_the_whole_graph(capsys):
    assert main(["neighbours", "--all", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["municipalities"] == 356 == len(data["neighbours"])
    assert len(data["links"]) == len(geo.links())
    for code, others in data["neighbours"].items():
        for other in others:
            assert code in data["neighbours"][other]       # symmetric
    assert sorted(data["neighbours"]["5001"]) == geo.neighbours("5001")
    assert {link["kind"] for link in data["links"]} == {"border", "gap", "sea"}
    assert main(["neighbours", "--all"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 356 and lines[0].startswith("0301: ")


def test_neighbours_needs_a_code_or_all(capsys):
    assert main(["neighbours"]) == 2
    assert main(["neighbours", "5001", "--all"]) == 2
    assert "--all" in capsys.readouterr().err


def test_unknown_workspace_exits_1(capsys):
    assert main(["region", "5001", "--workspace", "Finnes ikke"]) == 1
    err = capsys.readouterr().err
    assert "Finnes ikke" in err and err.count("\n") == 1


def test_region_and_neighbours_use_the_workspaces_imported_boundaries(real_data, capsys):
    boundaries = real_data / "kartverket_kommuner_2024_small.geojson"
    # on the bundled map Ålesund and Haram are one unit
    assert main(["region", "1508", "1580", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["members"] == ["1508"]
    assert main(["workspace", "create", "Sunnmøre"]) == 0
    assert main(["import", str(boundaries), "--kind", "boundaries", "--workspace", "Sunnmøre"]) == 0
    capsys.readouterr()
    assert main(["region", "1508", "1580", "--workspace", "Sunnmøre", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["members"] == ["1508", "1580"]
    assert data["contiguous"] is True and data["link_kinds"] == ["border"]
    assert data["names"] == {"1508": "Ålesund", "1580": "Haram"}
    # the Demo workspace (the default) still has the bundled map
    assert main(["region", "1508", "1580", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["members"] == ["1508"]
    assert main(["neighbours", "--all", "--json", "--workspace", "Sunnmøre"]) == 0
    graph = json.loads(capsys.readouterr().out)
    assert graph["municipalities"] == 357
    assert "1580" in graph["neighbours"]["1508"]
    # importing into Demo makes it the default
    assert main(["import", str(boundaries), "--kind", "boundaries"]) == 0
    capsys.readouterr()
    assert main(["region", "1508", "1580"]) == 0
    assert capsys.readouterr().out.startswith("2 municipalities: 1508 Ålesund, 1580 Haram")


def test_a_swedish_workspace_gets_swedish_municipalities(capsys):
    assert main(["workspace", "create", "Värmland", "--country", "SE"]) == 0
    capsys.readouterr()
    assert main(["region", "1780", "1784", "--workspace", "Värmland", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["names"] == {"1780": "Karlstad", "1784": "Arvika"}
    assert main(["region", "1780", "--workspace", "Värmland", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["population"] > 90_000
    # without boundaries nobody can tell whether it hangs together
    assert main(["region", "1780", "1784", "--workspace", "Värmland"]) == 0
    out = capsys.readouterr().out
    assert "contiguous: unknown (no boundaries)" in out and "max centre distance" not in out


def test_the_quick_store_look_up_agrees_with_the_store(tmp_path):
    from kommunestrategi import config, quickstore
    from kommunestrategi.store import DEMO_WORKSPACE, Store

    assert quickstore.DEMO_WORKSPACE == DEMO_WORKSPACE
    url = config.database_url()
    assert quickstore.active_kinds(url, "Demo") is None            # no store file yet
    Store.open().ensure_demo_workspace()
    assert quickstore.active_kinds(url, "Demo") == set()
    assert quickstore.active_kinds(url, "demo") is None            # not exact: the store decides
    assert quickstore.active_kinds("postgresql+psycopg://u@h/db", "Demo") is None
