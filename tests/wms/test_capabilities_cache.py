"""GetCapabilities kept against the catalogue generation (wms/core/capabilities_cache.py, issue 17):
built once per catalogue state for anonymous clients, never stale, never shared with signed-in users."""

from __future__ import annotations

import pytest
from django.test import Client

from layers.municipalities import create_municipality
from wms.maps import map_service
from wms.wfs import wfs_capabilities

WMS_CAPS = {"SERVICE": "WMS", "VERSION": "1.3.0", "REQUEST": "GetCapabilities"}
WFS_CAPS = {"SERVICE": "WFS", "VERSION": "2.0.0", "REQUEST": "GetCapabilities"}


@pytest.fixture
def builds(monkeypatch):
    """How many times each document was really built (the real builders, counted)."""
    counts = {"WMS": 0, "WFS": 0}
    real_wms, real_wfs = map_service.capabilities_xml, wfs_capabilities.capabilities_20

    def wms(**kwargs):
        counts["WMS"] += 1
        return real_wms(**kwargs)

    def wfs(**kwargs):
        counts["WFS"] += 1
        return real_wfs(**kwargs)

    monkeypatch.setattr(map_service, "capabilities_xml", wms)
    monkeypatch.setattr(wfs_capabilities, "capabilities_20", wfs)
    return counts


def test_an_anonymous_document_is_built_once_per_catalogue_state(anonymous, world, builds):
    first = anonymous.get("/ows", WMS_CAPS).content
    assert anonymous.get("/ows", WMS_CAPS).content == first
    anonymous.get("/ows", WFS_CAPS)
    wfs = anonymous.get("/ows", WFS_CAPS).content
    assert builds == {"WMS": 1, "WFS": 1}
    assert b"gmina-c" not in first and b"gmina-c" not in wfs

    # a new gmina joins the platform: the catalogue trigger moves the generation
    create_municipality(teryt="209902_2", name="Gmina C", slug="gmina-c")
    assert b"gmina-c:wektor-str" in anonymous.get("/ows", WMS_CAPS).content
    assert b"gmina-c:dzialki" in anonymous.get("/ows", WFS_CAPS).content
    assert builds == {"WMS": 2, "WFS": 2}


def test_a_signed_in_user_is_never_served_the_anonymous_document(
    world, anonymous, planner_b, builds
):
    public = anonymous.get("/gmina-b/ows", WMS_CAPS).content
    planner = Client()
    planner.force_login(planner_b)
    assert planner.get("/gmina-b/ows", WMS_CAPS).status_code == 200
    assert planner.get("/gmina-b/ows", WMS_CAPS).status_code == 200
    assert anonymous.get("/gmina-b/ows", WMS_CAPS).content == public
    assert builds["WMS"] == 3  # the anonymous one once, the planner's on each request


def test_each_host_gets_the_url_it_asked_through(world, settings, builds):
    settings.ALLOWED_HOSTS = ["one.example", "two.example"]
    one = Client(HTTP_HOST="one.example").get("/gmina-a/ows", WMS_CAPS).content
    two = Client(HTTP_HOST="two.example").get("/gmina-a/ows", WMS_CAPS).content
    assert b"http://one.example/gmina-a/ows" in one and b"two.example" not in one
    assert b"http://two.example/gmina-a/ows" in two
    assert builds["WMS"] == 2


def test_caching_can_be_turned_off(anonymous, world, settings, builds):
    settings.OWS_CAPABILITIES_CACHE_SECONDS = 0
    anonymous.get("/ows", WMS_CAPS)
    anonymous.get("/ows", WMS_CAPS)
    assert builds["WMS"] == 2
