"""The offline background ``podklad``: the gmina drawn from the portal's own data (precincts with their
names, parcel lines, plan outlines, street names of the address points) in muted colours, as a normal
layer of the gmina's WMS, for the map page when no BASEMAP_URL is configured."""

from __future__ import annotations

import pytest
from django.contrib.gis.geos import Point
from django.test import Client
from PIL import Image

from layers.models import Address, Layer
from tests.conftest import A_ORIGIN
from tests.wms.conftest import getmap_url, image
from wms.maps.styles import palette

X, Y = A_ORIGIN
pytestmark = pytest.mark.django_db(transaction=True)  # Mapnik reads through its own connection


def podklad(client: Client, x0: float, y0: float, x1: float, y1: float) -> Image.Image:
    url = getmap_url(
        version="1.1.1",
        LAYERS="podklad",
        SRS="EPSG:2180",
        BBOX=f"{x0},{y0},{x1},{y1}",
        WIDTH=256,
        HEIGHT=256,
        BGCOLOR="0xFFFFFF",
    )
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png", response.content
    return image(response.content).convert("RGB")


def hex_rgb(color: str) -> tuple[int, int, int]:
    return tuple(int(color[i : i + 2], 16) for i in (1, 3, 5))


def near(rgb, target, tolerance: int = 40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(rgb, target, strict=True))


def count(img: Image.Image, target, box=None) -> int:
    left, top, right, bottom = box or (0, 0, img.width, img.height)
    return sum(
        1
        for x in range(left, right)
        for y in range(top, bottom)
        if near(img.getpixel((x, y)), target)
    )


def test_the_background_draws_the_gmina_and_its_precinct_boundary_not_the_precincts_name(
    anonymous, world
):
    base = palette()["basemap"]
    # the gmina's (and its precinct's) western edge runs down the middle of the image
    edge = podklad(anonymous, X - 64, Y + 936, X + 64, Y + 1064)
    assert edge.getpixel((10, 128)) == (255, 255, 255)  # outside the gmina: the background
    assert near(edge.getpixel((200, 128)), hex_rgb(base["precincts"]["fill"]), 4)
    assert count(edge, hex_rgb(base["gmina"]["color"]), (124, 0, 132, 256)) > 200
    # the precinct's name is the `obreby` layer's: drawn here too, the map page showed it twice,
    # overprinted ("GGmina A-Wieśś")
    middle = podklad(anonymous, X + 872, Y + 872, X + 1128, Y + 1128)
    assert count(middle, hex_rgb(base["precincts"]["label"]["color"])) == 0


def test_the_background_names_streets_and_draws_parcels_at_large_scales(anonymous, world):
    for n, x in enumerate((1020, 1050, 1080), start=1):
        Address.objects.create(
            municipality=world.gmina_a,
            locality="Gmina A-Wieś",
            street="Polna",
            number=str(n),
            point=Point(X + x, Y + 1500, srid=2180),
        )
    Layer.bump(municipality=world.gmina_a, kinds=[])
    base = palette()["basemap"]
    near_street = podklad(anonymous, X + 986, Y + 1436, X + 1114, Y + 1564)
    assert count(near_street, hex_rgb(base["streets"]["label"]["color"])) > 20
    # parcel 40 (x+1000..x+1100, y+1000..y+1100) at 1:1,800: its outline in the parcel colour
    parcel = podklad(anonymous, X + 986, Y + 986, X + 1114, Y + 1114)
    assert count(parcel, hex_rgb(base["parcels"]["color"]), (20, 20, 236, 236)) > 200


def test_it_is_a_normal_layer_of_the_gmina_service_not_of_another(anonymous, world):
    body = anonymous.get(
        "/gmina-a/ows", {"SERVICE": "WMS", "REQUEST": "GetCapabilities", "VERSION": "1.3.0"}
    ).content.decode()
    assert "<Name>podklad</Name>" in body and "podkład – Gmina A" in body
    assert "LAYER=podklad" in body  # with its legend
    response = anonymous.get(getmap_url("/gmina-b/ows", LAYERS="podklad"))
    assert response.status_code == 200
    assert b"LayerNotDefined" not in response.content  # gmina B has its own
    response = anonymous.get(getmap_url("/ows", LAYERS="podklad"))
    assert b"LayerNotDefined" in response.content  # not a platform-wide layer


def test_every_import_moves_its_data_version_and_so_its_cached_images(anonymous, world):
    url = getmap_url(LAYERS="podklad")
    first, again = anonymous.get(url), anonymous.get(url)
    assert (first["X-Cache"], again["X-Cache"]) == ("MISS", "HIT")
    layer = Layer.objects.get(municipality=world.gmina_a, name="podklad")
    before = layer.data_version
    Layer.bump(municipality=world.gmina_a, kinds=[Layer.Kind.PARCELS])  # a cadastre import
    layer.refresh_from_db()
    assert layer.data_version == before + 1 and not layer.queryable
    assert anonymous.get(url)["X-Cache"] == "MISS"
