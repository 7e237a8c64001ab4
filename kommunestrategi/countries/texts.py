"""Texts that differ by country: a translator that prefers ``se.<key>`` in a Swedish workspace.

Most of the interface is the same in both countries; where a text names a
Norwegian source, body or term (SSB, KOSTRA, fylke, Kartverket, the expert
committee), the catalogue has a Swedish-workspace variant under ``se.<key>`` (in
every language), and this translator uses it when the workspace is Swedish.
"""

from __future__ import annotations

from kommunestrategi.i18n import Translator, catalogue, t

PREFIX = {"SE": "se."}


class CountryTranslator(Translator):
    """``Translator`` for a workspace's country: ``se.<key>`` wins over ``<key>`` for Sweden."""

    def __init__(self, lang: str | None = None, country: str | None = "NO") -> None:
        super().__init__(lang)
        self.country = country or "NO"

    def __call__(self, key: str, /, **params: object) -> str:
        prefix = PREFIX.get(self.country)
        if prefix and f"{prefix}{key}" in catalogue():
            return t(f"{prefix}{key}", self.lang, **params)
        return t(key, self.lang, **params)
