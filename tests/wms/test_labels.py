"""Labels people can read: zone designations big with a halo and not cut at tile edges (the map
has a buffer and places a label from the whole feature), parcel numbers at large scales."""

from __future__ import annotations

import pytest
from django.test import Client
from PIL import Image

from tests.conftest import A_ORIGIN
from tests.wms.conftest import image
from wms.maps.render import LABEL_BUFFER_PX, LayerSpec, build_map_xml, label_buffer
from wms.maps.styles import get_style, mm, palette

X, Y = A_ORIGIN
pytestmark = pytest.mark.django_db(transaction=True)  # Mapnik reads through its own connection


def tile(client: Client, x0: float, y0: float, x1: float, y1: float, layers: str) -> Image.Image:
    response = client.get(
        "/gmina-a/ows",
        {
            "SERVICE": "WMS",
            "VERSION": "1.1.1",
            "REQUEST": "GetMap",
            "LAYERS": layers,
            "STYLES": "",
            "SRS": "EPSG:2180",
            "BBOX": f"{x0},{y0},{x1},{y1}",
            "WIDTH": 256,
            "HEIGHT": 256,
            "FORMAT": "image/png",
            "TRANSPARENT": "TRUE",
        },
    )
    assert response.status_code == 200, response.content[:300]
    return image(response.content).convert("RGBA")


def dark_in_column(img: Image.Image, column: int) -> int:
    return sum(
        1
        for row in range(img.height)
        if (px := img.getpixel((column, row)))[3] > 200 and sum(px[:3]) < 150
    )


def dark_rows(img: Image.Image, column: int) -> set[int]:
    return {
        row
        for row in range(img.height)
        if (px := img.getpixel((column, row)))[3] > 200 and sum(px[:3]) < 150
    }


def test_the_map_has_a_buffer_for_labels_only_at_scales_where_labels_are_drawn():
    labels = (
        "<Rule><MaxScaleDenominator>10000</MaxScaleDenominator><TextSymbolizer/></Rule>"
        "<Rule><MinScaleDenominator>25000</MinScaleDenominator><TextSymbolizer/></Rule>"
    )
    spec = LayerSpec(name="x", table_sql="(SELECT 1) AS t", style_xml="", label_style_xml=labels)
    fills = LayerSpec(name="y", table_sql="(SELECT 1) AS t", style_xml="")
    assert label_buffer(layers=[spec], scale_denominator=2000) == LABEL_BUFFER_PX
    assert label_buffer(layers=[spec], scale_denominator=30000) == LABEL_BUFFER_PX
    # between the two ranges no label is drawn: no buffer, no work over a larger box
    assert label_buffer(layers=[spec, fills], scale_denominator=15000) == 0
    assert label_buffer(layers=[fills], scale_denominator=2000) == 0
    xml = build_map_xml(layers=[spec], srs="epsg:2180", background=None)
    assert "buffer-size" not in xml  # set per request


def test_a_zone_label_on_a_tile_edge_is_drawn_in_both_tiles(anonymous, world):
    # zone 1MN spans x+100..x+300: its label sits at its middle, x+200, the tiles' shared edge;
    # Mapnik's minimum-padding kept every label inside the image, so neither tile drew it
    left = tile(anonymous, X + 72, Y + 186, X + 200, Y + 314, "wektor-str")
    right = tile(anonymous, X + 200, Y + 186, X + 328, Y + 314, "wektor-str")
    left_edge = sum(dark_in_column(left, column) for column in range(252, 256))
    right_edge = sum(dark_in_column(right, column) for column in range(4))
    assert left_edge > 6 and right_edge > 6
    # the two halves meet: the label's rows at the edge are the same in both tiles
    assert dark_rows(left, 255) & dark_rows(right, 0)


def test_a_parcel_number_on_a_tile_edge_is_drawn_in_both_tiles(anonymous, world):
    # parcel 12/3 spans x+250..x+350: its number sits at x+300, the tiles' shared edge
    left = tile(anonymous, X + 172, Y + 166, X + 300, Y + 294, "dzialki")
    right = tile(anonymous, X + 300, Y + 166, X + 428, Y + 294, "dzialki")
    text_rows = range(100, 156)  # the parcel's outline crosses the edge at rows 68 and 188
    assert any(row in text_rows for column in range(244, 256) for row in dark_rows(left, column))
    assert any(row in text_rows for column in range(12) for row in dark_rows(right, column))


def test_zone_labels_are_readable_and_parcel_numbers_show_at_large_scales():
    zone_label = palette()["zones"]["label"]
    assert mm(zone_label["size_mm"]) >= 13
    parcels = get_style("parcels", "default")
    assert parcels.labels[0].symbolizers[0][1] >= 3500  # zoom 18 in Web Mercator at 52°N
    assert 'halo-radius="2' in parcels.labels[0].symbolizers[0][2]
