"""User-facing text in Norwegian bokmål (default), English and Swedish.

Every string the user sees comes from the catalogue in ``locales/*.yaml``. Each
file holds one area of the app; each key maps to its text in every language::

    map.title:
      nb: Kart
      en: Map
      sv: Karta

Texts may contain ``{name}`` placeholders filled by keyword arguments.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

LANGUAGES: tuple[str, ...] = ("nb", "en", "sv")
DEFAULT_LANGUAGE = "nb"
LANGUAGE_NAMES = {"nb": "Norsk bokmål", "en": "English", "sv": "Svenska"}
#: Babel locale per language, for numbers and dates.
BABEL_LOCALES = {"nb": "nb_NO", "en": "en_GB", "sv": "sv_SE"}
LOCALES_DIR = Path(__file__).resolve().parent / "locales"


class CatalogueError(ValueError):
    """The text catalogue is malformed (a key without a language, a duplicate key)."""


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict[str, str]]:
    """All texts, validated: every key has a text in every language."""
    texts: dict[str, dict[str, str]] = {}
    for path in sorted(LOCALES_DIR.glob("*.yaml")):
        entries = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for key, value in entries.items():
            if key in texts:
                raise CatalogueError(f"{path.name}: duplicate key {key!r}")
            if not isinstance(value, dict) or set(value) != set(LANGUAGES):
                raise CatalogueError(f"{path.name}: {key!r} needs exactly {LANGUAGES}")
            texts[key] = {lang: str(value[lang]) for lang in LANGUAGES}
    return texts


def normalise_language(lang: str | None) -> str:
    """A supported language code; unknown or empty gives the default."""
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def t(key: str, lang: str = DEFAULT_LANGUAGE, /, **params: object) -> str:
    """The text for ``key`` in ``lang``, with placeholders filled.

    A missing key raises ``KeyError`` so that tests catch it; the catalogue test
    checks that every key used in the code exists.
    """
    text = catalogue()[key][normalise_language(lang)]
    return text.format(**params) if params else text


class Translator:
    """A callable bound to one language: ``_ = Translator("en"); _("map.title")``."""

    def __init__(self, lang: str | None = None) -> None:
        self.lang = normalise_language(lang)

    def __call__(self, key: str, /, **params: object) -> str:
        return t(key, self.lang, **params)
