"""The ``raster`` layer: georeferenced plan drawings (GeoTIFF documents) of visible plans in force."""

from __future__ import annotations

import pytest
from django.contrib.gis.gdal import GDALRaster

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


def _drawing(media, plan, name: str, origin: tuple[float, float], rgb: tuple[int, int, int]):
    """A 60 x 60 GeoTIFF at 10 m per pixel (600 m square) in EPSG:2180, filled with one colour."""
    folder = media / "plans"
    folder.mkdir(parents=True, exist_ok=True)
    x, y = origin
    GDALRaster(
        {
            "driver": "GTiff",
            "name": str(folder / name),
            "srid": 2180,
            "width": 60,
            "height": 60,
            "origin": [x, y + 600],
            "scale": [10, -10],
            "datatype": 1,
            "bands": [{"data": [value] * 3600} for value in rgb],
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
