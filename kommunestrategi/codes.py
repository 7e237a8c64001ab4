"""Municipality numbers: normalising, name matching and translation between structures.

The bundled map has one unit per 2020-2023 municipality, numbered with its 2024
number. One 2020 unit covers two municipalities of 2024: Ålesund (1507) became
Ålesund (1508) and Haram (1580); the unit is numbered 1508 and labelled
"Ålesund og Haram" until real 2024 boundaries are uploaded.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from kommunestrategi.config import BUNDLED_DATA_DIR

if TYPE_CHECKING:
    import pandas as pd

#: The 2020 -> 2024 correspondence file (SSB classification 131).
CHANGES_FILE = "kommunenummer_2020_2024.csv"


class UnknownMunicipality(LookupError):
    """A number or name that matches no municipality."""

    def __init__(self, given: str, suggestion: str | None = None) -> None:
        self.given = given
        self.suggestion = suggestion
        super().__init__(given)


def normalise_number(value: object) -> str | None:
    """A 4-digit kommunenummer from 301, '301', '0301', 'K-0301', '0301 Oslo'.

    Returns None when the value holds no number of 1-4 digits.
    """
    if value is None:
        return None
    if isinstance(value, float):
        if value != value or not value.is_integer():
            return None
        value = int(value)
    text = str(value).strip()
    match = re.match(r"^(?:K-)?(\d{1,4})(?:\b|\s|$)", text, flags=re.IGNORECASE)
    if not match:
        return None
    return match.group(1).zfill(4)


def fold_name(name: str) -> str:
    """Case- and accent-insensitive form of a name (Å and å fold alike, ø to o)."""
    text = unicodedata.normalize("NFKD", str(name).strip().lower())
    text = text.replace("ø", "o").replace("æ", "ae").replace("đ", "d").replace("ŧ", "t")
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", text)


@lru_cache(maxsize=1)
def code_changes() -> pd.DataFrame:
    """The 2020 -> 2024 correspondence (SSB classification 131)."""
    import pandas as pd

    return pd.read_csv(BUNDLED_DATA_DIR / CHANGES_FILE, dtype=str).fillna("")


@dataclass(frozen=True)
class CodeIndex:
    """Lookups from any known number or name to a map unit."""

    unit_by_number: dict[str, str]
    unit_by_name: dict[str, str]
    number_2024_by_2020: dict[str, tuple[str, ...]]
    number_2020_by_2024: dict[str, str]
    names: dict[str, str]

    def unit_for(self, value: object) -> str:
        """The map unit for a 2020 or 2024 number or a name; raises UnknownMunicipality."""
        number = normalise_number(value)
        if number is not None and number in self.unit_by_number:
            return self.unit_by_number[number]
        folded = fold_name(str(value))
        if folded in self.unit_by_name:
            return self.unit_by_name[folded]
        raise UnknownMunicipality(str(value), self.suggest(value))

    def suggest(self, value: object) -> str | None:
        """A close match, as 'NNNN Name', for an unknown number or name."""
        text = str(value)
        folded = fold_name(re.sub(r"^[\dK\- ]+", "", text)) or fold_name(text)
        close = difflib.get_close_matches(folded, list(self.unit_by_name), n=1, cutoff=0.75)
        if close:
            unit = self.unit_by_name[close[0]]
            return f"{unit} {self.names[unit]}"
        number = normalise_number(value)
        if number is not None:
            close = difflib.get_close_matches(number, list(self.unit_by_number), n=1, cutoff=0.75)
            if close:
                unit = self.unit_by_number[close[0]]
                return f"{unit} {self.names[unit]}"
        return None


def build_index(units: pd.DataFrame) -> CodeIndex:
    """Build lookups from the bundled unit table (``kommuner.csv``)."""
    columns = ["kommunenummer", "name", "kommunenummer_2020", "members_2024", "name_2020"]
    return index_from_records(units[columns].to_dict("records"), code_changes().to_dict("records"))


def index_from_records(units: Iterable[Mapping[str, object]],
                       changes: Iterable[Mapping[str, str]]) -> CodeIndex:
    """Lookups from unit rows (``kommunenummer``, ``name``, ``kommunenummer_2020``,
    ``members_2024``, ``name_2020``) and the 2020 -> 2024 correspondence rows."""
    unit_by_number: dict[str, str] = {}
    unit_by_name: dict[str, str] = {}
    names: dict[str, str] = {}
    for row in units:
        unit = row["kommunenummer"]
        names[unit] = row["name"]
        unit_by_number[row["kommunenummer_2020"]] = unit
        for member in str(row["members_2024"]).split():
            unit_by_number[member] = unit
        unit_by_name[fold_name(row["name"])] = unit
        unit_by_name[fold_name(row["name_2020"])] = unit
    by_2020: dict[str, list[str]] = {}
    number_2020_by_2024: dict[str, str] = {}
    for row in changes:
        unit = unit_by_number[row["kommunenummer_2020"]]
        for name in (row["kommunenavn_2020"], row["kommunenavn_2024"]):
            unit_by_name.setdefault(fold_name(name), unit)
            # Sami/Kven double names ("Aarborte - Hattfjelldal"): each part matches
            for part in re.split(r"\s+-\s+", name):
                unit_by_name.setdefault(fold_name(part), unit)
        by_2020.setdefault(row["kommunenummer_2020"], []).append(row["kommunenummer_2024"])
        number_2020_by_2024[row["kommunenummer_2024"]] = row["kommunenummer_2020"]
    return CodeIndex(
        unit_by_number=unit_by_number,
        unit_by_name=unit_by_name,
        number_2024_by_2020={k: tuple(sorted(v)) for k, v in by_2020.items()},
        number_2020_by_2024=number_2020_by_2024,
        names=names,
    )


def to_2024(number_2020: str) -> tuple[str, ...]:
    """The 2024 number(s) of a 2020 municipality (two for Ålesund 1507)."""
    changes = code_changes()
    hits = changes.loc[changes.kommunenummer_2020 == normalise_number(number_2020), "kommunenummer_2024"]
    if hits.empty:
        raise UnknownMunicipality(str(number_2020))
    return tuple(sorted(hits))


def to_2020(number_2024: str) -> str:
    """The 2020 number of a 2024 municipality."""
    changes = code_changes()
    hits = changes.loc[changes.kommunenummer_2024 == normalise_number(number_2024), "kommunenummer_2020"]
    if hits.empty:
        raise UnknownMunicipality(str(number_2024))
    return str(hits.iloc[0])


@dataclass(frozen=True)
class HistoricNumber:
    """An older municipality number and the 2024 number(s) its area lies in today.

    ``targets`` holds ``(2024 number, share)``; more than one target is a split
    (Tysfjord 1850 -> 1806/1875), whose shares are the source's rough ones.
    """

    number: str
    from_year: int
    to_year: int | None
    targets: tuple[tuple[str, float], ...]

    @property
    def is_split(self) -> bool:
        return len(self.targets) > 1


@lru_cache(maxsize=1)
def historic_numbers() -> dict[str, HistoricNumber]:
    """Every municipality number since the 1940s with its 2024 number(s)
    (``kommunenummer_historikk.csv``; SSB classification 131 via csdata)."""
    path = BUNDLED_DATA_DIR / "kommunenummer_historikk.csv"
    if not path.exists():
        return {}
    import pandas as pd

    frame = pd.read_csv(path, dtype={"kommunenummer_original": str, "kommunenummer_2024": str})
    out: dict[str, HistoricNumber] = {}
    for number, group in frame.groupby("kommunenummer_original", sort=True):
        # a number reused over time: the latest validity wins (it is the one files of recent years use)
        latest = group[group["from_year"] == group["from_year"].max()]
        targets: dict[str, float] = {}
        for row in latest.itertuples():
            targets[row.kommunenummer_2024] = targets.get(row.kommunenummer_2024, 0.0) + float(row.weighting)
        to_year = latest["to_year"].dropna()
        out[str(number)] = HistoricNumber(
            str(number), int(latest["from_year"].min()), int(to_year.max()) if len(to_year) else None,
            tuple(sorted(targets.items())))
    return out


def historic(number: object) -> HistoricNumber | None:
    """The history entry of a municipality number (any vintage), or None."""
    normal = normalise_number(number)
    return historic_numbers().get(normal) if normal else None
