"""The ``raster`` layer: georeferenced plan drawings (GeoTIFF documents) of visible plans in force."""

from __future__ import annotations

import pytest
from django.contrib.gis.gdal import GDALRaster
from django.contrib.gis.geos import Point

from plans.models import PlanDocument
from tests.wms.conftest import (
    AX,
    AY,
    DRAFT_BBOX,
    MN_PIXEL,
    OUTSIDE_PIXEL,
    close,
    getmap_url,
    rgb_at,
)

pytestmark = pytest.mark.django_db(transaction=True)


def _drawing(
    media,
    plan,
    name: str,
    origin: tuple[float, float],
    rgb: tuple[int, int, int],
    *,
    srid: int = 2180,
    size: tuple[int, int] = (60, 60),
):
    """A GeoTIFF at 10 m per pixel (60 x 60: 600 m square) in ``srid``, filled with one colour.

    ``origin`` is its south-west corner (x = easting) in that CRS.
    """
    folder = media / "plans"
    folder.mkdir(parents=True, exist_ok=True)
    x, y = origin
    width, height = size
    GDALRaster(
        {
            "driver": "GTiff",
            "name": str(folder / name),
            "srid": srid,
            "width": width,
            "height": height,
            "origin": [x, y + 10 * height],
            "scale": [10, -10],
            "datatype": 1,
            "bands": [{"data": [value] * (width * height)} for value in rgb],
        }
    )
    return PlanDocument.objects.create(
        municipality=plan.municipality,
        plan=plan,
        kind=PlanDocument.Kind.DRAWING_RASTER,
        title="rysunek planu",
        file=f"plans/{name}",
    )


def test_the_raster_layer_draws_the_plans_georeferenced_drawing(
    anonymous, world, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    _drawing(tmp_path, world.plan_a, "a.tif", (AX, AY), (200, 30, 40))
    body = anonymous.get(getmap_url(LAYERS="raster")).content
    assert close(rgb_at(body, MN_PIXEL), (200, 30, 40))
    assert close(rgb_at(body, OUTSIDE_PIXEL), (200, 30, 40))


def test_a_drawing_in_its_own_pl2000_zone_is_placed_where_it_belongs(
    anonymous, world, settings, tmp_path
):
    """Gmina A lies in PL-2000 zone 8 (EPSG:2179): a drawing georeferenced there is reprojected."""
    settings.MEDIA_ROOT = tmp_path
    # 400 m x 800 m in zone 8 whose south-west corner is (AX - 100, AY - 100) of EPSG:2180:
    # the western part of the map below (E AX-100..AX+300; the grids differ by 1.6° of rotation)
    corner = Point(AX - 100, AY - 100, srid=2180).transform(2179, clone=True)
    _drawing(
        tmp_path,
        world.plan_a,
        "zone8.tif",
        (corner.x, corner.y),
        (20, 90, 200),
        srid=2179,
        size=(40, 80),
    )
    body = anonymous.get(getmap_url(LAYERS="raster")).content  # EPSG:2180, 1 px = 1 m
    assert close(rgb_at(body, (100, 300)), (20, 90, 200))  # E AX+100: inside the drawing
    assert rgb_at(body, (500, 300)) == (255, 255, 255)  # E AX+500: 200 m east of its edge
    # drawn at its true place: the same as a 2180 drawing of the same area would be
    assert close(rgb_at(body, (5, 300)), (20, 90, 200)) and close(
        rgb_at(body, (250, 5)), (20, 90, 200)
    )


def test_an_unpublished_plans_drawing_is_never_drawn(anonymous, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    x0, y0, x1, y1 = DRAFT_BBOX
    _drawing(tmp_path, world.draft_b, "draft.tif", (x0, y0), (30, 200, 40))
    for path, layer in (("/gmina-b/ows", "raster"), ("/ows", "gmina-b:raster"), ("/ows", "raster")):
        url = getmap_url(
            path,
            LAYERS=layer,
            BBOX=f"{y0},{x0},{y1},{x1}",
            WIDTH=500,
            HEIGHT=500,
            DIM_STATUS="elaboration",
        )
        assert rgb_at(anonymous.get(url).content, (150, 150)) == (255, 255, 255)
