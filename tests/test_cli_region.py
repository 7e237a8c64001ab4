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
    assert data["population"] == int(units.loc[["5001", "5031"], "population_2024"].sum())
    assert data["population_year"] == 2024
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
