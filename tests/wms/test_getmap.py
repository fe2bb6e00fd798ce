"""GetMap rendered by Mapnik from committed PostGIS data: colours, axis order, formats, tenancy."""

from __future__ import annotations

import pytest
from pyproj import Transformer

from layers.models import Layer
from tests.conftest import client_for
from tests.wms.conftest import (
    A_BBOX,
    DRAFT_BBOX,
    MN_PIXEL,
    MN_RGB,
    MW_RGB,
    OUTSIDE_PIXEL,
    U_PIXEL,
    U_RGB,
    close,
    getmap_url,
    image,
    rgb_at,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_zones_are_drawn_in_their_palette_colour_at_a_known_pixel(anonymous):
    response = anonymous.get(getmap_url())
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "image/png"
    assert image(response.content).size == (600, 600)
    assert close(rgb_at(response.content, MN_PIXEL), MN_RGB)
    assert close(rgb_at(response.content, U_PIXEL), U_RGB)
    assert rgb_at(response.content, OUTSIDE_PIXEL) == (255, 255, 255)


def test_the_platform_service_draws_a_gmina_layer_by_its_prefixed_name(anonymous):
    body = anonymous.get(getmap_url("/ows", LAYERS="gmina-a:wektor-str")).content
    assert close(rgb_at(body, MN_PIXEL), MN_RGB)
    body = anonymous.get(getmap_url("/ows", LAYERS="wektor-str")).content
    assert close(rgb_at(body, MN_PIXEL), MN_RGB)


def test_130_northing_first_and_111_easting_first_give_the_same_image(anonymous, settings):
    settings.WMS_CACHE_SECONDS = 0
    x0, y0, x1, y1 = A_BBOX
    v130 = anonymous.get(getmap_url(version="1.3.0", CRS="EPSG:2180", BBOX=f"{y0},{x0},{y1},{x1}"))
    v111 = anonymous.get(getmap_url(version="1.1.1", SRS="EPSG:2180", BBOX=f"{x0},{y0},{x1},{y1}"))
    assert v130.status_code == v111.status_code == 200
    assert v130.content == v111.content
    assert close(rgb_at(v130.content, MN_PIXEL), MN_RGB)
    wrong = anonymous.get(getmap_url(version="1.3.0", CRS="EPSG:2180", BBOX=f"{x0},{y0},{x1},{y1}"))
    assert rgb_at(wrong.content, MN_PIXEL) == (255, 255, 255)  # easting-first in 1.3.0 is elsewhere


def test_epsg_4326_lat_lon_and_crs84_lon_lat_give_the_same_image(anonymous, settings):
    settings.WMS_CACHE_SECONDS = 0
    lon0, lat0, lon1, lat1 = Transformer.from_crs(2180, 4326, always_xy=True).transform_bounds(
        *A_BBOX
    )
    common = {"LAYERS": "wektor-str", "WIDTH": 400, "HEIGHT": 400}
    a = anonymous.get(getmap_url(CRS="EPSG:4326", BBOX=f"{lat0},{lon0},{lat1},{lon1}", **common))
    b = anonymous.get(getmap_url(CRS="CRS:84", BBOX=f"{lon0},{lat0},{lon1},{lat1}", **common))
    c = anonymous.get(
        getmap_url(version="1.1.1", SRS="EPSG:4326", BBOX=f"{lon0},{lat0},{lon1},{lat1}", **common)
    )
    assert a.status_code == b.status_code == c.status_code == 200
    assert a.content == b.content == c.content
    colours = {rgb_at(a.content, (x, y)) for x in range(0, 400, 20) for y in range(0, 400, 20)}
    assert any(close(rgb, MN_RGB) for rgb in colours)


@pytest.mark.parametrize("code", ["EPSG:2176", "EPSG:2179", "EPSG:3857", "EPSG:4258"])
def test_it_draws_in_every_offered_crs(anonymous, code):
    xy = Transformer.from_crs(2180, int(code.split(":")[1]), always_xy=True).transform_bounds(
        *A_BBOX
    )
    yx = code in ("EPSG:2176", "EPSG:2179", "EPSG:4258")
    box = (xy[1], xy[0], xy[3], xy[2]) if yx else xy
    response = anonymous.get(
        getmap_url(CRS=code, BBOX=",".join(map(str, box)), WIDTH=300, HEIGHT=300)
    )
    assert response.status_code == 200, response.content[:300]
    colours = {
        rgb_at(response.content, (x, y)) for x in range(0, 300, 15) for y in range(0, 300, 15)
    }
    assert any(close(rgb, MN_RGB) for rgb in colours)


def test_an_unpublished_draft_of_another_gmina_is_never_drawn(anonymous, planner_a):
    x0, y0, x1, y1 = DRAFT_BBOX
    box = f"{y0},{x0},{y1},{x1}"
    for client in (anonymous, client_for(planner_a)):
        for path, layer in (
            ("/gmina-b/ows", "wektor-str"),
            ("/ows", "gmina-b:wektor-str"),
            ("/ows", "wektor-str"),
        ):
            for status in ("", "elaboration", "elaboration,adoption,legalForce,obsolete"):
                body = client.get(
                    getmap_url(
                        path, LAYERS=layer, BBOX=box, WIDTH=500, HEIGHT=500, DIM_STATUS=status
                    )
                ).content
                assert rgb_at(body, (150, 150)) == (255, 255, 255), (path, layer, status)


def test_the_status_dimension_shows_a_draft_to_its_own_gminas_planner(planner_b):
    x0, y0, x1, y1 = DRAFT_BBOX
    url = getmap_url(
        "/gmina-b/ows", BBOX=f"{y0},{x0},{y1},{x1}", WIDTH=500, HEIGHT=500, DIM_STATUS="elaboration"
    )
    body = client_for(planner_b).get(url).content
    assert close(rgb_at(body, (150, 150)), MW_RGB)


@pytest.mark.parametrize(
    ("fmt", "mime", "mode"),
    [
        ("image/png", "image/png", "P"),
        ("image/png; mode=8bit", "image/png; mode=8bit", "P"),
        ("image/png; mode=24bit", "image/png; mode=24bit", "RGB"),
        ("image/jpeg", "image/jpeg", "RGB"),
    ],
)
def test_it_writes_each_offered_format(anonymous, fmt, mime, mode):
    response = anonymous.get(getmap_url(FORMAT=fmt))
    assert response["Content-Type"] == mime
    assert image(response.content).mode == mode
    assert close(rgb_at(response.content, MN_PIXEL), MN_RGB, tolerance=12)


def test_transparent_png_has_clear_background_and_bgcolor_colours_it(anonymous):
    body = anonymous.get(getmap_url(FORMAT="image/png; mode=24bit", TRANSPARENT="TRUE")).content
    assert image(body).mode == "RGBA"
    assert image(body).getpixel(OUTSIDE_PIXEL)[3] == 0
    body = anonymous.get(getmap_url(BGCOLOR="0x0000FF")).content
    assert close(rgb_at(body, OUTSIDE_PIXEL), (0, 0, 255))


def test_several_layers_are_drawn_in_order(anonymous):
    body = anonymous.get(
        getmap_url(LAYERS="wektor-str,dzialki,granice", STYLES="default,,")
    ).content
    assert close(rgb_at(body, MN_PIXEL), MN_RGB)
    # parcel 12/3's outline runs along E +250 (pixel column 250) between N +200 and +260
    window = [rgb_at(body, (i, 370))[0] for i in range(247, 254)]
    assert min(window) < MN_RGB[0] - 60, window


def test_images_are_cached_until_an_import_bumps_the_data_version(anonymous, world):
    first = anonymous.get(getmap_url())
    again = anonymous.get(getmap_url())
    assert (first["X-Cache"], again["X-Cache"]) == ("MISS", "HIT")
    assert again.content == first.content
    Layer.bump(municipality=world.gmina_a, kinds=[Layer.Kind.PLAN_ZONES])
    assert anonymous.get(getmap_url())["X-Cache"] == "MISS"
    etag = again["ETag"]
    assert anonymous.get(getmap_url(), HTTP_IF_NONE_MATCH=etag).status_code == 200  # new version


def test_regulation_hatches_are_drawn_over_the_zones(anonymous, world):
    from plans.models import Regulation
    from tests.factories import box

    x, y = A_BBOX[0], A_BBOX[1]
    Regulation.objects.create(
        municipality=world.gmina_a,
        plan=world.plan_a,
        kind="OUZ",
        geom=box(x + 100, y + 100, x + 300, y + 400),
    )
    Layer.bump(municipality=world.gmina_a, kinds=[Layer.Kind.REGULATIONS])
    body = anonymous.get(getmap_url(LAYERS="wektor-str,wektor-pow", STYLES=",")).content
    row = [rgb_at(body, (i, 450)) for i in range(130, 170)]
    assert any(close(rgb, MN_RGB) for rgb in row)
    assert any(rgb[0] < 120 for rgb in row)  # the vertical hatch lines (#535353)


def test_a_gmina_service_never_draws_another_gminas_data(anonymous):
    from tests.wms.conftest import BX, BY

    box = f"{BY},{BX},{BY + 600},{BX + 600}"  # gmina B's published zones and parcel 12/3
    body = anonymous.get(
        getmap_url("/gmina-a/ows", LAYERS="wektor-str,dzialki", STYLES=",", BBOX=box)
    ).content
    assert {rgb_at(body, (x, y)) for x in range(0, 600, 25) for y in range(0, 600, 25)} == {
        (255, 255, 255)
    }
    body = anonymous.get(getmap_url("/gmina-b/ows", LAYERS="wektor-str", BBOX=box)).content
    assert close(rgb_at(body, MN_PIXEL), MN_RGB)


def test_the_image_covers_exactly_the_bbox_even_with_non_square_pixels(anonymous):
    # 600 m x 600 m drawn into 600 x 300 px: 1 m per pixel across, 2 m per pixel down
    body = anonymous.get(getmap_url(WIDTH=600, HEIGHT=300)).content
    assert close(rgb_at(body, (150, 225)), MN_RGB)  # E +150, N +150
    assert close(rgb_at(body, (450, 225)), U_RGB)  # E +450, N +150
    assert rgb_at(body, (150, 50)) == (255, 255, 255)  # E +150, N +500: above the plan
