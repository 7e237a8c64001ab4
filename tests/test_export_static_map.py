"""The static region map: drawn offline as a non-blank PNG."""

import io

import pytest
from PIL import Image, ImageStat

from kommunestrategi.export.static_map import region_map_png


def test_region_map_is_a_non_blank_png():
    png = region_map_png(["5001", "5031", "5028"], "5001")
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.width >= 1000
    assert ImageStat.Stat(image.convert("L")).var[0] > 100


def test_same_region_is_served_from_cache():
    assert region_map_png(["5001", "5031"], "5001") is region_map_png(["5001", "5031"], "5001")


def test_unknown_region_is_refused():
    with pytest.raises(ValueError):
        region_map_png(["9999"], "9999")
