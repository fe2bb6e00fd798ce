"""Streaming: pages read through a server-side cursor in batches give the same features and numbers."""

from __future__ import annotations

import json

import pytest
from lxml import etree

from layers.models import Precinct
from tests.factories import box, make_parcel
from tests.wfs.conftest import get
from wms.core import paging, query

pytestmark = pytest.mark.django_db


@pytest.fixture
def parcels(world):
    precinct = Precinct.objects.get(municipality=world.gmina_a)
    for i in range(9):
        make_parcel(precinct, str(200 + i), box(751000 + i * 30, 597000, 751020 + i * 30, 597020))
    return 11  # with the world's two


@pytest.fixture
def tiny_batches(monkeypatch):
    monkeypatch.setattr(paging, "PREFETCH", 3)
    monkeypatch.setattr(query, "FETCH_SIZE", 2)

    def exact_up_to(limit: int) -> None:
        monkeypatch.setattr(paging, "EXACT_MATCHED_LIMIT", limit)

    exact_up_to(20)
    return exact_up_to


def page(client, **params):
    _r, body = get(
        client,
        "/gmina-a/ows",
        REQUEST="GetFeature",
        TYPENAMES="dzialki",
        SORTBY="id_dzialki",
        **params,
    )
    return etree.fromstring(body)


@pytest.mark.parametrize(
    ("params", "exact_limit", "returned", "matched"),
    [
        ({}, 20, 11, "11"),  # larger than the prefetch: counted up to the page end
        ({"COUNT": "2"}, 20, 2, "11"),  # page within the prefetch, total counted exactly
        ({"COUNT": "4", "STARTINDEX": "8"}, 20, 3, "11"),  # beyond the prefetch, last page
        ({"COUNT": "3", "STARTINDEX": "20"}, 20, 0, "11"),  # past the end
        ({"COUNT": "2"}, 5, 2, "unknown"),  # total above the exact limit
        ({"COUNT": "3", "STARTINDEX": "20"}, 5, 0, "unknown"),
    ],
)
def test_numbers_are_right_whatever_the_batch_sizes(
    parcels, client, tiny_batches, params, exact_limit, returned, matched
):
    tiny_batches(exact_limit)
    doc = page(client, **params)
    assert len(doc) == returned == int(doc.get("numberReturned"))
    assert doc.get("numberMatched") == matched


def test_paging_in_small_batches_visits_every_feature_once(parcels, client, tiny_batches):
    seen, start = [], 0
    while True:
        _r, body = get(
            client,
            "/gmina-a/ows",
            REQUEST="GetFeature",
            TYPENAMES="dzialki",
            SORTBY="id_dzialki DESC",
            COUNT="4",
            STARTINDEX=str(start),
            OUTPUTFORMAT="application/json",
        )
        doc = json.loads(body)
        seen += [f["properties"]["id_dzialki"] for f in doc["features"]]
        if not any(link["rel"] == "next" for link in doc.get("links", [])):
            break
        start += 4
    assert len(seen) == len(set(seen)) == parcels
    assert seen == sorted(seen, reverse=True)


def test_xml_post_serves_capabilities_and_schemas(world, client):
    caps = b'<GetCapabilities xmlns="http://www.opengis.net/wfs/2.0" service="WFS"><AcceptVersions xmlns="http://www.opengis.net/ows/1.1"><Version>2.0.0</Version></AcceptVersions></GetCapabilities>'
    response = client.post("/gmina-a/ows", caps, content_type="text/xml")
    assert response.status_code == 200 and b"WFS_Capabilities" in response.content
    dft = b'<wfs:DescribeFeatureType xmlns:wfs="http://www.opengis.net/wfs/2.0" service="WFS" version="2.0.0"><wfs:TypeName>dzialki</wfs:TypeName></wfs:DescribeFeatureType>'
    response = client.post("/gmina-a/ows", dft, content_type="text/xml")
    assert response.status_code == 200 and b'name="dzialki"' in response.content
