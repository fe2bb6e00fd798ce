"""The Mapnik/GDAL start-up conflict (STACK-NOTES.md §4) is fixed once, for every thread."""

from __future__ import annotations

import io
import threading

import pytest
from django.contrib.gis.geos import Point
from django.db import connection
from PIL import Image

from wms.maps.render import LayerSpec, render_map

ZONES = LayerSpec(
    name="zones",
    table_sql="(SELECT geom FROM plans_planzone) AS zones",
    style_xml='<Rule><PolygonSymbolizer fill="#ff0000"/></Rule>',
)


def transform_in_new_thread() -> tuple[float, float] | Exception:
    result: list = []

    def work() -> None:
        try:
            point = Point(751430.0, 600290.0, srid=2180).transform(4326, clone=True)
            result.append((point.x, point.y))
        except Exception as exc:
            result.append(exc)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    return result[0]


@pytest.mark.django_db(transaction=True)
def test_a_new_thread_can_transform_after_mapnik_rendered(world):
    x, y = 751000.0, 598000.0  # gmina A's origin; zone 1MN spans x+100…x+300, y+100…y+400
    png = render_map(layers=[ZONES], bbox=(x, y, x + 600, y + 600), width=300, height=300)
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert image.getpixel((100, 150)) == (255, 0, 0)  # inside 1MN
    assert image.getpixel((290, 10)) != (255, 0, 0)  # outside the plan
    lon_lat = transform_in_new_thread()
    assert not isinstance(lon_lat, Exception), lon_lat
    lon, lat = lon_lat
    assert lon == pytest.approx(22.79, abs=0.05)
    assert lat == pytest.approx(53.20, abs=0.05)


@pytest.mark.django_db(transaction=True)
def test_a_request_thread_transforms_after_mapnik_was_imported(client, world):
    import wms.maps.render  # noqa: F401 - importing mapnik is what broke PROJ

    def request() -> int:
        try:
            response = client.get("/gmina-a/")  # transforms the boundary with GDAL
            return response.status_code
        finally:
            connection.close()

    statuses: list[int] = []
    thread = threading.Thread(target=lambda: statuses.append(request()))
    thread.start()
    thread.join()
    assert statuses == [200]
