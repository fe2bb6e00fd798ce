"""The draft (``projekt``) and the comments (``uwagi``) in the gmina's WMS and WFS (issue 16)."""

from __future__ import annotations

import datetime as dt
import json
import time
from urllib.parse import urlencode

import pytest
from django.contrib.gis.geos import Point, Polygon
from django.core.cache import cache
from django.utils import timezone

from consultation.models import Comment, Consultation
from tests.conftest import A_ORIGIN
from tests.consultation.helpers import (
    SECRET_ADDRESS,
    SECRET_NAME,
    add_comment,
    draft_in,
    open_consultation_on,
)
from tests.wfs.conftest import get as wfs_get
from tests.wms.conftest import assert_valid_130, assert_valid_dtd, image
from tests.wms.front import call, make_front
from wms.maps.render import clear_map_cache

pytestmark = pytest.mark.django_db(transaction=True)  # Mapnik reads through its own connection

WMS = "{http://www.opengis.net/wms}"
AX, AY = A_ORIGIN
# 500 x 500 px at 1 m per pixel over the draft (E/N +600..+900): pixel (i, j) is E +500+i, N +1000-j
DRAFT_BBOX = (AX + 500, AY + 500, AX + 1000, AY + 1000)
CENTRE_PIXEL = (250, 250)  # E +750, N +750: the first comment (add_comment: the draft's centre)
SECOND = (AX + 650, AY + 650)  # the second comment, an organisation's, accepted
SECOND_PIXEL = (150, 350)
THIRD = (AX + 850, AY + 850)
THIRD_PIXEL = (350, 150)
EMPTY_PIXEL = (50, 450)  # E +550, N +550: outside the draft, no comment


@pytest.fixture(autouse=True)
def _fresh_caches():
    cache.clear()
    yield
    cache.clear()
    clear_map_cache()


@pytest.fixture
def published(consultation):
    """The consultation of gmina A's draft, started, with two comments and its report published."""
    add_comment(consultation)
    add_comment(
        consultation,
        submitter_kind="organisation",
        name="Stowarzyszenie Sekretne",
        geom=Point(*SECOND, srid=2180),
        position=Comment.Position.ACCEPTED,
        reason="Uwzględniono.",
    )
    consultation.report_published_at = timezone.now() - dt.timedelta(minutes=1)
    consultation.save(update_fields=["report_published_at"])
    return consultation


def map_url(path: str = "/gmina-a/ows", *, layers: str = "uwagi", **extra) -> str:
    x0, y0, x1, y1 = DRAFT_BBOX
    params = {
        "SERVICE": "WMS",
        "VERSION": "1.3.0",
        "REQUEST": "GetMap",
        "LAYERS": layers,
        "STYLES": "",
        "CRS": "EPSG:2180",
        "BBOX": f"{y0},{x0},{y1},{x1}",
        "WIDTH": 500,
        "HEIGHT": 500,
        "FORMAT": "image/png",
        "TRANSPARENT": "TRUE",
        **extra,
    }
    return f"{path}?{urlencode(params)}"


def alpha_at(body: bytes, pixel: tuple[int, int]) -> int:
    return image(body).convert("RGBA").getpixel(pixel)[3]


def capability_names(client, path: str) -> list[str]:
    response = client.get(path, {"SERVICE": "WMS", "REQUEST": "GetCapabilities"})
    doc = assert_valid_130(response.content)
    return [e.text for e in doc.iter(f"{WMS}Name") if e.getparent().tag == f"{WMS}Layer"]


def wfs_features(client, type_name: str, path: str = "/gmina-a/ows") -> list[dict]:
    response, body = wfs_get(
        client, path, REQUEST="GetFeature", TYPENAMES=type_name, OUTPUTFORMAT="application/json"
    )
    assert response.status_code == 200, body[:400]
    return json.loads(body)["features"]


def test_the_gminas_capabilities_list_both_layers_and_stay_valid(anonymous, published):
    names = capability_names(anonymous, "/gmina-a/ows")
    assert {"projekt", "uwagi"} <= set(names)
    legacy = anonymous.get(
        "/gmina-a/ows", {"SERVICE": "WMS", "REQUEST": "GetCapabilities", "VERSION": "1.1.1"}
    )
    assert "uwagi" in [e.text for e in assert_valid_dtd(legacy.content).iter("Name")]
    legend = anonymous.get(
        "/gmina-a/ows",
        {"SERVICE": "WMS", "REQUEST": "GetLegendGraphic", "LAYER": "uwagi", "FORMAT": "image/png"},
    )
    assert legend.status_code == 200 and legend["Content-Type"] == "image/png"


def test_getmap_draws_the_comments_at_their_points_coloured_by_status(anonymous, published):
    response = anonymous.get(map_url())
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "image/png"
    assert alpha_at(response.content, CENTRE_PIXEL) > 0
    assert alpha_at(response.content, SECOND_PIXEL) > 0
    assert alpha_at(response.content, EMPTY_PIXEL) == 0
    pending = image(response.content).convert("RGBA").getpixel(CENTRE_PIXEL)[:3]
    accepted = image(response.content).convert("RGBA").getpixel(SECOND_PIXEL)[:3]
    assert pending != accepted  # grey for a pending comment, green for an accepted one
    assert accepted[1] > accepted[0]


def test_getfeatureinfo_answers_number_and_status_without_personal_data(anonymous, published):
    i, j = SECOND_PIXEL
    url = map_url(REQUEST="GetFeatureInfo", QUERY_LAYERS="uwagi", INFO_FORMAT="application/json")
    response = anonymous.get(f"{url}&I={i}&J={j}")
    assert response.status_code == 200, response.content[:300]
    (feature,) = json.loads(response.content)["features"]
    assert feature["properties"]["numer"] == 2
    assert feature["properties"]["status"] == "accepted"
    html = anonymous.get(f"{url.replace('application%2Fjson', 'text%2Fhtml')}&I={i}&J={j}")
    for body in (response.content.decode(), html.content.decode()):
        assert "Sekretne" not in body and SECRET_ADDRESS not in body and "jan@" not in body


def test_wfs_serves_the_comments_as_geojson_without_personal_data(anonymous, published):
    features = wfs_features(anonymous, "uwagi")
    assert sorted(f["properties"]["numer"] for f in features) == [1, 2]
    assert {f["properties"]["status"] for f in features} == {"pending", "accepted"}
    text = json.dumps(features, ensure_ascii=False)
    for secret in (SECRET_NAME, SECRET_ADDRESS, "jan@example.com", "Proszę o zieleń", "Sekretne"):
        assert secret not in text
    response, body = wfs_get(anonymous, "/gmina-a/ows", REQUEST="GetFeature", TYPENAMES="uwagi")
    assert response.status_code == 200 and b"numer" in body and SECRET_NAME.encode() not in body
    described, schema = wfs_get(
        anonymous, "/gmina-a/ows", REQUEST="DescribeFeatureType", TYPENAMES="uwagi"
    )
    assert described.status_code == 200 and b"GeometryPropertyType" in schema


def test_the_topic_is_a_public_attribute_in_wfs_and_getfeatureinfo(anonymous, published):
    published.comments.filter(number=2).update(topic=Comment.Topic.TRANSPORT)
    published.comments.filter(number=1).update(topic="")  # an old row without a topic: "inne"
    features = {f["properties"]["numer"]: f["properties"] for f in wfs_features(anonymous, "uwagi")}
    assert (features[2]["temat"], features[2]["temat_opis"]) == ("transport", "komunikacja i drogi")
    assert (features[1]["temat"], features[1]["temat_opis"]) == ("other", "inne")
    i, j = SECOND_PIXEL
    url = map_url(REQUEST="GetFeatureInfo", QUERY_LAYERS="uwagi", INFO_FORMAT="application/json")
    (feature,) = json.loads(anonymous.get(f"{url}&I={i}&J={j}").content)["features"]
    assert feature["properties"]["temat"] == "transport"
    _described, schema = wfs_get(
        anonymous, "/gmina-a/ows", REQUEST="DescribeFeatureType", TYPENAMES="uwagi"
    )
    assert b'name="temat"' in schema and b'name="temat_opis"' in schema


def test_the_draft_zones_are_served_marked_as_a_draft(anonymous, published):
    features = wfs_features(anonymous, "projekt")
    assert sorted(f["properties"]["oznaczenie"] for f in features) == ["2MN", "2ZP"]
    assert {f["properties"]["status"] for f in features} == {"projekt"}
    drawn = anonymous.get(map_url(layers="projekt"))
    assert drawn.status_code == 200
    assert alpha_at(drawn.content, (100, 250)) > 0  # the outline at E +600
    assert alpha_at(drawn.content, EMPTY_PIXEL) == 0


def test_before_the_start_nothing_is_offered(anonymous, consultation):
    consultation.starts_at = timezone.now() + dt.timedelta(days=1)
    consultation.ends_at = consultation.starts_at + dt.timedelta(days=21)
    consultation.report_published_at = timezone.now()
    consultation.save(update_fields=["starts_at", "ends_at", "report_published_at"])
    add_comment(consultation)
    names = capability_names(anonymous, "/gmina-a/ows")
    assert "projekt" not in names and "uwagi" not in names
    refused = anonymous.get(map_url(layers="projekt"))
    assert b"LayerNotDefined" in refused.content
    _response, body = wfs_get(anonymous, "/gmina-a/ows", REQUEST="GetFeature", TYPENAMES="projekt")
    assert b"InvalidParameterValue" in body


def test_comments_wait_for_the_report_while_the_draft_is_public(anonymous, consultation):
    add_comment(consultation)
    names = capability_names(anonymous, "/gmina-a/ows")
    assert "projekt" in names and "uwagi" not in names


def test_another_gminas_services_never_show_them(anonymous, published):
    assert not {"projekt", "uwagi"} & set(capability_names(anonymous, "/gmina-b/ows"))
    assert not any(n.endswith((":projekt", ":uwagi")) for n in capability_names(anonymous, "/ows"))
    refused = anonymous.get(map_url("/gmina-b/ows"))
    assert b"LayerNotDefined" in refused.content
    _response, body = wfs_get(anonymous, "/gmina-b/ows", REQUEST="GetFeature", TYPENAMES="uwagi")
    assert b"InvalidParameterValue" in body
    _response, body = wfs_get(
        anonymous, "/gmina-b/ows", REQUEST="GetFeature", TYPENAMES="gmina-a:uwagi"
    )
    assert b"InvalidParameterValue" in body


def test_a_new_comment_is_never_served_from_a_stale_cached_map(anonymous, published):
    first = anonymous.get(map_url())
    again = anonymous.get(map_url())
    assert again["X-Cache"] == "HIT"
    assert alpha_at(again.content, THIRD_PIXEL) == 0
    add_comment(published, geom=Polygon.from_bbox((THIRD[0] - 5, THIRD[1] - 5, *THIRD)))
    after = anonymous.get(map_url())
    assert after["X-Cache"] == "MISS"
    assert alpha_at(after.content, (THIRD_PIXEL[0] - 3, THIRD_PIXEL[1] + 3)) > 0
    assert after.content != first.content


def drawn_pixels(body: bytes, box: tuple[int, int, int, int]) -> int:
    """Pixels not fully transparent in ``box`` (i0, j0, i1, j1) of a PNG."""
    alpha = image(body).convert("RGBA").crop(box).getchannel("A")
    return sum(alpha.histogram()[1:])


# the second draft's zones (origin moved 250 m south-west) cover E/N +350..+650: in the map
# (E/N +500..+1000) the pixels of E/N +510..+590, where the first draft has nothing
SECOND_DRAFT_BOX = (10, 410, 90, 490)


def start_in_two_seconds(world) -> Consultation:
    later = open_consultation_on(draft_in(world.gmina_a, (AX - 250, AY - 250)))
    later.starts_at = timezone.now() + dt.timedelta(seconds=2)
    later.save(update_fields=["starts_at"])  # a write: the generation moves now, not at the start
    return later


def wait_until_started(consultation) -> None:
    while timezone.now() < consultation.starts_at + dt.timedelta(milliseconds=200):
        time.sleep(0.1)


def test_a_map_cached_before_a_consultations_start_is_not_served_after_it(
    anonymous, published, world
):
    later = start_in_two_seconds(world)
    url = map_url(layers="projekt")
    before = anonymous.get(url)
    assert anonymous.get(url)["X-Cache"] == "HIT"
    assert drawn_pixels(before.content, SECOND_DRAFT_BOX) == 0
    wait_until_started(later)  # time passes: nothing is written to the database
    after = anonymous.get(url)
    assert after["X-Cache"] == "MISS"
    assert drawn_pixels(after.content, SECOND_DRAFT_BOX) > 0


def test_the_front_cache_drops_an_answer_drawn_before_a_start(published, world, settings):
    settings.TIME_ZONE = "UTC"  # the day of the front cache's entries is not what expires them
    app, django_app = make_front()
    later = start_in_two_seconds(world)
    url = map_url(layers="projekt")
    call(app, url)
    _status, headers, before = call(app, url)
    assert (headers["X-Cache"], django_app.calls) == ("HIT-FRONT", 1)
    wait_until_started(later)
    _status, headers, after = call(app, url)
    assert headers["X-Cache"] != "HIT-FRONT" and django_app.calls == 2
    assert drawn_pixels(after, SECOND_DRAFT_BOX) > 0 == drawn_pixels(before, SECOND_DRAFT_BOX)
