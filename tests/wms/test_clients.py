"""Real clients against the live service: OWSLib (capabilities, GetMap, GetFeatureInfo) and GDAL's
WMS driver (gdalinfo, gdal_translate). Requests run in the live server's threads, after Mapnik is
loaded in the process, so the PROJ pin (layers/apps.py) is exercised where it matters."""

from __future__ import annotations

import json
import os
import subprocess

import pytest
from owslib.wms import WebMapService

from tests.wms.conftest import A_BBOX, MN_PIXEL, MN_RGB, U_PIXEL, U_RGB, close, rgb_at

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("version", ["1.3.0", "1.1.1"])
def test_owslib_reads_capabilities_draws_a_map_and_queries_it(live_server, world, version):
    wms = WebMapService(f"{live_server.url}/gmina-a/ows", version=version, timeout=60)
    assert {"wektor-str", "dzialki", "granice", "obreby", "raster"} <= set(wms.contents)
    zones = wms["wektor-str"]
    assert zones.queryable == 1
    assert "EPSG:2180" in zones.crsOptions
    assert "default" in zones.styles
    ops = [op.name for op in wms.operations]
    assert {"GetCapabilities", "GetMap", "GetFeatureInfo"} <= set(ops)
    picture = wms.getmap(
        layers=["wektor-str"],
        styles=[""],
        srs="EPSG:2180",
        bbox=A_BBOX,
        size=(600, 600),
        format="image/png",
    )
    body = picture.read()
    assert close(rgb_at(body, MN_PIXEL), MN_RGB)
    assert close(rgb_at(body, U_PIXEL), U_RGB)
    info = wms.getfeatureinfo(
        layers=["wektor-str"],
        srs="EPSG:2180",
        bbox=A_BBOX,
        size=(600, 600),
        format="image/png",
        query_layers=["wektor-str"],
        info_format="application/json",
        xy=MN_PIXEL,
    )
    feature = json.loads(info.read())["features"][0]
    assert feature["properties"]["oznaczenie"] == "1MN"


def test_owslib_reads_the_platform_service_in_wgs84(live_server, world):
    wms = WebMapService(f"{live_server.url}/ows", version="1.3.0", timeout=60)
    assert "gmina-a:wektor-str" in wms.contents
    lon0, lat0, lon1, lat1 = wms["gmina-a:wektor-str"].boundingBoxWGS84
    assert 22 < lon0 < lon1 < 24 and 53 < lat0 < lat1 < 55
    picture = wms.getmap(
        layers=["gmina-a:wektor-str"],
        styles=[""],
        srs="EPSG:4326",
        bbox=(lon0, lat0, lon1, lat1),
        size=(300, 300),
        format="image/png",
    )
    body = picture.read()
    pixel = next(
        (x, y)
        for x in range(5, 300, 10)
        for y in range(5, 300, 10)
        if close(rgb_at(body, (x, y)), MN_RGB)
    )
    # GetFeatureInfo in EPSG:4326 after rendering: the live server's request thread transforms the
    # point to EPSG:2180 with GeoDjango, which needs the PROJ pin (import mapnik broke it otherwise)
    info = wms.getfeatureinfo(
        layers=["gmina-a:wektor-str"],
        srs="EPSG:4326",
        bbox=(lon0, lat0, lon1, lat1),
        size=(300, 300),
        format="image/png",
        query_layers=["gmina-a:wektor-str"],
        info_format="application/json",
        xy=pixel,
    )
    text = info.read()
    assert json.loads(text)["features"][0]["properties"]["oznaczenie"] == "1MN"


def _run(*args: str) -> str:
    """A GDAL command line tool; without the PROJ_LIB/GDAL_DATA that ``import mapnik`` put into this
    process's environment (they point at Mapnik's copies, which the system GDAL cannot use)."""
    env = {k: v for k, v in os.environ.items() if k not in ("PROJ_LIB", "PROJ_DATA", "GDAL_DATA")}
    result = subprocess.run(args, capture_output=True, text=True, timeout=120, check=False, env=env)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "proj.db" not in result.stderr, result.stderr[-2000:]
    return result.stdout


@pytest.mark.parametrize("version", ["1.3.0", "1.1.1"])
def test_gdal_wms_driver_lists_the_layers_and_renders_the_zone_colour(
    live_server, world, tmp_path, version
):
    url = f"WMS:{live_server.url}/gmina-a/ows?SERVICE=WMS&VERSION={version}&REQUEST=GetCapabilities"
    listing = _run("gdalinfo", url)
    names = [line.split("=", 1)[1] for line in listing.splitlines() if "_NAME=" in line]
    zones = next(n for n in names if "LAYERS=wektor-str" in n)
    out = tmp_path / "zones.png"
    x0, y0, x1, y1 = A_BBOX
    _run(
        "gdal_translate",
        "-q",
        "-of",
        "PNG",
        "-projwin",
        str(x0),
        str(y1),
        str(x1),
        str(y0),
        "-outsize",
        "600",
        "600",
        zones,
        str(out),
    )
    body = out.read_bytes()
    assert close(rgb_at(body, MN_PIXEL), MN_RGB, tolerance=10)
    assert close(rgb_at(body, U_PIXEL), U_RGB, tolerance=10)
