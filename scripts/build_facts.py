"""Bundle the fact tables that need no geometry into ``data/`` (deterministic).

    python scripts/build_facts.py --facts ../shared/data/facts

Writes ``befolkning_aldersgrupper_2005_2026.csv`` (population by age group 1 January
2005-2026 in the 2024 borders), ``eldreomsorg_2025.csv`` (KOSTRA 2025: shares of
inhabitants 80+ receiving home services and living in nursing homes),
``robek_2026.csv`` (the ROBEK register of April 2026) and
``kommunenummer_historikk.csv`` (every municipality number since the 1940s with its
2024 number(s)). Sources are named in ``data/README.md``. ``scripts/build_data.py``
runs this step too.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent


def build(facts: Path, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    ages = pd.read_csv(facts / "befolkning_aldersgrupper_2005_2026.csv", dtype={"kommunenummer": str})
    columns = ["kommunenummer", "year", "pop_0_5", "pop_6_15", "pop_16_66", "pop_67_79", "pop_80_plus", "pop_total"]
    ages = ages[columns].sort_values(["kommunenummer", "year"])
    for column in columns[2:]:
        ages[column] = ages[column].astype("Int64")
    written.append(out / "befolkning_aldersgrupper_2005_2026.csv")
    ages.to_csv(written[-1], index=False)

    care = pd.read_csv(facts / "eldreomsorg_kostra_2025.csv", dtype={"kommunenummer": str})
    care = care.rename(columns={"andel_80_pluss_hjemmetjenester_pct": "hjemmetjenester_andel_80_plus",
                                "andel_80_pluss_sykehjem_pct": "sykehjem_andel_80_plus"})
    care["year"] = 2025
    care = care[["kommunenummer", "year", "hjemmetjenester_andel_80_plus", "sykehjem_andel_80_plus"]]
    written.append(out / "eldreomsorg_2025.csv")
    care.sort_values("kommunenummer").to_csv(written[-1], index=False)

    robek = pd.read_csv(facts / "robek_2026.csv", dtype={"kommunenummer": str})
    robek = robek[["kommunenummer", "kommunenavn", "hjemmel"]].sort_values("kommunenummer")
    robek.insert(1, "year", 2026)
    written.append(out / "robek_2026.csv")
    robek.to_csv(written[-1], index=False)

    history = pd.read_csv(facts / "kommunenummer_historikk.csv", dtype=str)
    history = history[["kommunenummer_original", "from_year", "to_year", "kommunenummer_2024", "weighting"]]
    written.append(out / "kommunenummer_historikk.csv")
    history.sort_values(["kommunenummer_original", "from_year", "kommunenummer_2024"]).to_csv(written[-1], index=False)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facts", type=Path, default=ROOT.parent / "shared" / "data" / "facts")
    parser.add_argument("--out", type=Path, default=ROOT / "data")
    args = parser.parse_args(argv)
    for path in build(args.facts, args.out):
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
