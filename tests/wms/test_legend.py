"""GetLegendGraphic: one PNG per layer and style, rule swatches drawn with the map's own symbolizers."""

from __future__ import annotations

import json

import pytest

from tests.conftest import fixture_path
from tests.wms.conftest import MN_RGB, close, image
from wms.maps.styles import palette, zone_class_of

pytestmark = pytest.mark.django_db(transaction=True)


def legend(client, path="/gmina-a/ows", **params):
    query = {
        "SERVICE": "WMS",
        "REQUEST": "GetLegendGraphic",
        "FORMAT": "image/png",
        "SLD_VERSION": "1.1.0",
    }
    query.update(params)
    return client.get(path, query)


def test_the_zone_legend_has_one_row_per_rule(anonymous):
    response = legend(anonymous, LAYER="wektor-str")
    assert response["Content-Type"] == "image/png"
    width, height = image(response.content).size
    assert height > 20 * len(palette()["zones"]["classes"])
    assert width > 200


def test_a_rule_swatch_has_the_colour_the_map_uses(anonymous):
    response = legend(anonymous, LAYER="wektor-str", RULE="MN", WIDTH=30, HEIGHT=20)
    swatch = image(response.content).convert("RGB")
    assert swatch.size == (30, 20)
    assert close(swatch.getpixel((15, 10)), MN_RGB)


def test_scale_changes_the_outline_like_the_map(anonymous):
    large = image(
        legend(anonymous, LAYER="wektor-str", RULE="MN", WIDTH=30, HEIGHT=20, SCALE=1000).content
    ).convert("RGB")
    small = image(
        legend(anonymous, LAYER="wektor-str", RULE="MN", WIDTH=30, HEIGHT=20, SCALE=50000).content
    ).convert("RGB")
    assert large.tobytes() != small.tobytes()


def test_every_layer_and_style_has_a_legend_and_bad_names_get_codes(anonymous):
    for layer in ("granice", "dzialki", "obreby", "wektor-pow"):
        assert legend(anonymous, LAYER=layer)["Content-Type"] == "image/png"
    assert legend(anonymous, LAYER="wektor-str", STYLE="kontur")["Content-Type"] == "image/png"
    assert b'code="StyleNotDefined"' in legend(anonymous, LAYER="wektor-str", STYLE="nope").content
    assert b'code="LayerNotDefined"' in legend(anonymous, LAYER="gmina-b:dzialki").content
    assert b'code="LayerNotDefined"' in legend(anonymous, "/ows", LAYER="nope").content
    assert (
        b'code="InvalidParameterValue"' in legend(anonymous, LAYER="wektor-str", RULE="XX").content
    )
    assert legend(anonymous, "/ows", LAYER="gmina-b:dzialki")["Content-Type"] == "image/png"


def test_the_palette_copies_the_official_pog_colours_from_the_reference_file():
    source = json.loads(fixture_path("styles", "planning-palette.json").read_text(encoding="utf-8"))
    official = {e["symbol"]: e["fill"] for e in source["entries"] if e["kind"] == "POG-strefa"}
    assert len(official) == 13
    fills = {c["key"]: c["fill"] for c in palette()["zones"]["classes"]}
    for kind, fill in official.items():
        assert fills[zone_class_of("", kind)] == fill, kind
    every_fill = {e["fill"] for e in source["entries"]}
    assert set(fills.values()) <= every_fill


@pytest.mark.parametrize(
    ("symbol", "key"),
    [
        ("MN", "MN"),
        ("MN/U", "MU"),
        ("KDD", "KD"),
        ("KD-L", "KD"),
        ("ZL", "ZL"),
        ("US", "US"),
        ("MNX", "MN"),
        ("??", "other"),
    ],
)
def test_zone_symbols_map_to_palette_classes(symbol, key):
    assert zone_class_of(symbol) == key
