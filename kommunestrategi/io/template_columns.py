"""The columns of the import templates: machine ids and their labels in every language.

A template shows each column under its label in the user's language
("Kommunenummer", "Municipality number", "Kommunnummer"); the machine id
(``kommunenummer``) stays in the workbook's hidden sheet ``Kolonner``. The
readers accept every label in every language as a name of its column, so a
filled-in template imports whichever language it was downloaded in, and files
written with the machine ids (older templates, scripts) import as before.
"""

from __future__ import annotations

from collections.abc import Callable

from kommunestrategi.i18n import LANGUAGES, t

#: Per template kind, its columns' machine ids in order.
COLUMNS: dict[str, tuple[str, ...]] = {
    "indicators": ("kommunenummer", "kommunenavn", "indicator_id", "year", "value", "unit"),
    "arrangements": ("arrangement_id", "name", "service_area", "legal_form", "host", "members"),
    "travel-times": ("from_kommunenummer", "to_kommunenummer", "minutes"),
}


def label(column: str, lang: str) -> str:
    """The header a template shows for ``column`` in ``lang``."""
    return t(f"templates.column.{column}", lang)


def labels(kind: str, lang: str) -> list[str]:
    """The header row of a template kind in ``lang``."""
    return [label(column, lang) for column in COLUMNS[kind]]


def aliases(column: str, fold: Callable[[str], str]) -> set[str]:
    """The column's machine id and its label in every language, folded by the reader's ``fold``."""
    return {fold(column)} | {fold(label(column, lang)) for lang in LANGUAGES}
