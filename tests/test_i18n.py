"""The text catalogue: every key in every language, every key the code uses exists."""

import re
from pathlib import Path

import pytest

from kommunestrategi import i18n
from kommunestrategi.measures import BASE_MEASURES

ROOT = Path(__file__).resolve().parent.parent
KEY_CALL = re.compile(r"""(?<![\w.])(?:_|t|translate)\(\s*["']([a-z0-9_]+(?:\.[a-z0-9_]+)+)["']""")


def _code_files():
    for folder in ("views", "ui", "kommunestrategi"):
        yield from (ROOT / folder).rglob("*.py")
    yield ROOT / "app.py"


def test_every_key_has_all_languages():
    catalogue = i18n.catalogue()
    assert catalogue, "the catalogue is empty"
    for key, texts in catalogue.items():
        assert set(texts) == set(i18n.LANGUAGES), key
        assert all(text.strip() for text in texts.values()), f"empty text for {key}"


def test_every_key_used_in_code_exists():
    catalogue = i18n.catalogue()
    missing = []
    for path in _code_files():
        for key in KEY_CALL.findall(path.read_text(encoding="utf-8")):
            if key not in catalogue:
                missing.append(f"{path.relative_to(ROOT)}: {key}")
    assert not missing, "\n".join(missing)


def test_placeholders_match_across_languages():
    field = re.compile(r"{(\w+)}")
    for key, texts in i18n.catalogue().items():
        fields = {lang: set(field.findall(text)) for lang, text in texts.items()}
        assert fields["nb"] == fields["en"] == fields["sv"], key


def test_measure_labels_exist():
    for measure in BASE_MEASURES:
        for key in (measure.label_key, measure.unit_key, measure.source_key):
            assert key in i18n.catalogue()


@pytest.mark.parametrize("lang, expected", [("nb", "Kart"), ("en", "Map"), ("sv", "Karta"), ("xx", "Kart")])
def test_translation_and_fallback_to_norwegian(lang, expected):
    assert i18n.t("nav.map", lang) == expected


def test_placeholders_are_filled():
    assert "7" in i18n.t("map.selected_summary", "en", count=7, population="1,000")


def test_malformed_catalogue_is_refused(tmp_path, monkeypatch):
    (tmp_path / "bad.yaml").write_text("x.y:\n  nb: Hei\n  en: Hi\n", encoding="utf-8")
    monkeypatch.setattr(i18n, "LOCALES_DIR", tmp_path)
    i18n.catalogue.cache_clear()
    try:
        with pytest.raises(i18n.CatalogueError):
            i18n.catalogue()
    finally:
        monkeypatch.undo()
        i18n.catalogue.cache_clear()
