"""Tenant first: a gmina's endpoint serves only its data; unpublished plans never leak."""

from __future__ import annotations

import json

import pytest

from tests.conftest import client_for
from tests.wfs.conftest import get

pytestmark = pytest.mark.django_db

SECRET = "9MW"


def zones(client, path: str, typename: str = "wektor-str", **params) -> list[str]:
    response, body = get(
        client,
        path,
        REQUEST="GetFeature",
        TYPENAMES=typename,
        OUTPUTFORMAT="application/json",
        **params,
    )
    assert response.status_code == 200, body[:300]
    return sorted(
        f["properties"].get("oznaczenie") or f["properties"].get("tytul")
        for f in json.loads(body)["features"]
    )


@pytest.mark.parametrize("who", ["anonymous", "planner_a", "surveyor"])
def test_the_draft_of_gmina_b_is_hidden_from_outsiders_everywhere(world, request, who):
    user = request.getfixturevalue(who)
    client = user if who == "anonymous" else client_for(user)
    assert SECRET not in zones(client, "/gmina-b/ows")
    assert SECRET not in zones(client, "/ows")
    assert SECRET not in zones(client, "/ows", "gmina-b:wektor-str")
    titles = zones(client, "/ows", "granice")
    assert not any("tajny" in t for t in titles)
    _response, body = get(
        client, "/gmina-b/ows", REQUEST="GetFeature", TYPENAMES="wektor-str", RESULTTYPE="hits"
    )
    assert b'numberMatched="3"' in body


def test_the_draft_cannot_be_fetched_by_its_id_or_a_filter(world, anonymous):
    zone = world.draft_b.zones.get()
    response, body = get(
        anonymous,
        "/gmina-b/ows",
        REQUEST="GetFeature",
        STOREDQUERY_ID="urn:ogc:def:query:OGC-WFS::GetFeatureById",
        ID=f"wektor-str.{zone.pk}",
    )
    assert response.status_code == 404 and b"NotFound" in body
    assert zones(anonymous, "/gmina-b/ows", RESOURCEID=f"wektor-str.{zone.pk}") == []
    assert (
        zones(anonymous, "/gmina-b/ows", "granice", RESOURCEID=f"granice.{world.draft_b.pk}") == []
    )


def test_gmina_b_staff_see_their_own_draft(world, planner_b):
    assert SECRET in zones(client_for(planner_b), "/gmina-b/ows")
    assert SECRET in zones(client_for(planner_b), "/ows")


def test_a_gmina_endpoint_serves_only_its_own_features(world, anonymous):
    response, body = get(
        anonymous, "/gmina-a/ows", REQUEST="GetFeature", TYPENAMES="dzialki", OUTPUTFORMAT="json"
    )
    ids = {f["properties"]["id_dzialki"] for f in json.loads(body)["features"]}
    assert ids == {"209901_2.0001.12/3", "209901_2.0001.40"}
    response, body = get(
        anonymous,
        "/gmina-a/ows",
        REQUEST="GetFeature",
        STOREDQUERY_ID="urn:ogc:def:query:OGC-WFS::GetFeatureById",
        ID=f"dzialki.{world.parcel_b.pk}",
    )
    assert response.status_code == 404
    assert (
        zones(anonymous, "/gmina-a/ows", "dzialki", RESOURCEID=f"dzialki.{world.parcel_b.pk}") == []
    )


def test_an_unknown_gmina_is_a_404(world, anonymous):
    response = anonymous.get("/gmina-z/ows", {"SERVICE": "WFS", "REQUEST": "GetCapabilities"})
    assert response.status_code == 404


def test_the_platform_endpoint_covers_all_gminy_current_parcels_only(world, anonymous):
    from django.utils import timezone

    world.parcel_b.valid_to = timezone.now()
    world.parcel_b.save(update_fields=["valid_to"])
    _response, body = get(
        anonymous, "/ows", REQUEST="GetFeature", TYPENAMES="dzialki", OUTPUTFORMAT="json"
    )
    ids = {f["properties"]["id_dzialki"] for f in json.loads(body)["features"]}
    assert ids == {"209901_2.0001.12/3", "209901_2.0001.40", "069901_2.0001.40"}


def test_an_inactive_gmina_drops_out_of_the_platform_layers(world, anonymous):
    world.gmina_b.is_active = False
    world.gmina_b.save(update_fields=["is_active"])
    _response, body = get(
        anonymous, "/ows", REQUEST="GetFeature", TYPENAMES="dzialki", OUTPUTFORMAT="json"
    )
    ids = {f["properties"]["id_dzialki"] for f in json.loads(body)["features"]}
    assert ids == {"209901_2.0001.12/3", "209901_2.0001.40"}
    _r, caps = get(anonymous, "/ows", REQUEST="GetCapabilities")
    assert b"gmina-b:dzialki" not in caps
