"""Memory stays flat: a large GetFeature streams; the process never holds the whole answer."""

from __future__ import annotations

import tracemalloc

import pytest
from django.db import connection

from layers.models import Precinct
from wms.core import paging, query

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

N = 20_000


@pytest.fixture
def many_parcels(world):
    precinct = Precinct.objects.get(municipality=world.gmina_a)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO layers_parcel (municipality_id, precinct_id, identifier, number, geom,
                                       area_m2, valid_from, source)
            SELECT %s, %s, %s || (1000 + g), (1000 + g)::text,
                   ST_Multi(ST_MakeEnvelope(750000 + (g %% 200) * 10, 590000 + (g / 200) * 10,
                                            750008 + (g %% 200) * 10, 590008 + (g / 200) * 10, 2180)),
                   64, now(), 'memory test'
            FROM generate_series(1, %s) g
            """,
            [world.gmina_a.pk, precinct.pk, f"{precinct.identifier}.", N],
        )
    return N + 2


@pytest.mark.parametrize(
    "fmt", ["application/json", "application/gml+xml; version=3.2", "text/csv"]
)
def test_a_large_answer_streams_in_pieces_with_flat_memory(many_parcels, client, fmt, monkeypatch):
    # batches of 1,000 rows (5,000 / 2,000 in production) so that 20,000 features are "large"
    monkeypatch.setattr(paging, "PREFETCH", 1000)
    monkeypatch.setattr(query, "FETCH_SIZE", 1000)
    response = client.get(
        "/gmina-a/ows",
        {
            "SERVICE": "WFS",
            "VERSION": "2.0.0",
            "REQUEST": "GetFeature",
            "TYPENAMES": "dzialki",
            "OUTPUTFORMAT": fmt,
        },
    )
    assert response.status_code == 200 and response.streaming
    tracemalloc.start()
    total, pieces, largest = 0, 0, 0
    try:
        for piece in response.streaming_content:
            total += len(piece)
            pieces += 1
            largest = max(largest, len(piece))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert total > 2_000_000 and pieces > 10
    assert largest < total / 10
    assert peak < total / 4, f"peak {peak} bytes for a {total}-byte answer"
