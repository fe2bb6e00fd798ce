"""The catalogue generation through LISTEN/NOTIFY (wms/core/generation.py): current, never stale."""

from __future__ import annotations

import datetime as dt

import psycopg
import pytest
from django.db import transaction

from layers.models import Layer
from tests.wms.conftest import getmap_url
from tests.wms.front import call, make_front
from wms.core import extra_layers
from wms.core.generation import current_generation, listener_params, read_generation, watch

pytestmark = pytest.mark.django_db(transaction=True)


def other_connection() -> psycopg.Connection:
    """A connection of its own, as another worker process (or the import worker) would have."""
    return psycopg.connect(**listener_params())


def bump_elsewhere(layer_id: int) -> None:
    with other_connection() as conn:
        conn.execute(
            "UPDATE layers_layer SET data_version = data_version + 1 WHERE id = %s", [layer_id]
        )


def test_a_commit_is_seen_by_the_next_call_and_nothing_is_read_without_one(world):
    watch.close()
    first = current_generation()
    reads = watch.reads
    assert [current_generation() for _ in range(20)] == [first] * 20
    assert watch.reads == reads  # no change notified: no query of the generation row
    layer = Layer.objects.filter(municipality=world.gmina_a).first()
    for _ in range(25):  # another connection commits; the very next call knows it, every time
        before = current_generation()
        bump_elsewhere(layer.pk)
        assert current_generation() == read_generation() > before
    assert watch.reads == reads + 25


def test_inside_a_transaction_its_own_uncommitted_change_counts(world):
    committed = current_generation()
    with transaction.atomic():
        Layer.bump(municipality=world.gmina_a, kinds=[Layer.Kind.PARCELS])
        assert current_generation() == read_generation() > committed
        transaction.set_rollback(True)
    assert current_generation() == committed  # rolled back: never notified, the number stays


def test_a_lost_listening_connection_is_replaced_without_a_stale_answer(world):
    current_generation()
    pid = watch.conn.info.backend_pid
    with other_connection() as conn:
        conn.execute("SELECT pg_terminate_backend(%s)", [pid])
    layer = Layer.objects.filter(municipality=world.gmina_a).first()
    bump_elsewhere(layer.pk)
    assert current_generation() == read_generation()  # read with a query this time
    assert current_generation() == read_generation()  # listening again
    assert watch.conn is not None and watch.conn.info.backend_pid != pid


def test_without_listen_every_call_reads_the_row(world, settings):
    settings.WMS_CATALOGUE_LISTEN = False
    watch.close()
    layer = Layer.objects.filter(municipality=world.gmina_a).first()
    before = current_generation()
    bump_elsewhere(layer.pk)
    assert current_generation() == read_generation() > before
    assert watch.conn is None


def test_a_cached_map_is_not_served_once_another_process_committed_an_import(world):
    app, django_app = make_front()
    layer = Layer.objects.get(municipality=world.gmina_a, kind=Layer.Kind.PLAN_ZONES)
    url = getmap_url()
    assert call(app, url)[1]["X-Cache"] == "MISS"
    for round_ in range(5):
        assert call(app, url)[1]["X-Cache"] == "HIT-FRONT"
        bump_elsewhere(layer.pk)  # as an import committed in another process
        assert call(app, url)[1]["X-Cache"] == "MISS", f"stale answer in round {round_}"
    assert django_app.calls == 6


def test_the_time_epoch_is_read_once_per_generation_until_the_next_moment(monkeypatch):
    """Moments an extra layer declares (a consultation's start) are read again only when the
    generation moves or the next one comes: no query per request (wms/core/extra_layers.py)."""
    reads = []
    soon = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)

    def moments(now):
        reads.append(now)
        return (None, soon) if now < soon else (soon, None)

    monkeypatch.setattr(extra_layers, "_read_moments", moments)
    monkeypatch.setattr(extra_layers, "_epoch", None)
    before = soon - dt.timedelta(hours=1)
    assert extra_layers.time_epoch(generation=7, now=before) is None
    assert extra_layers.time_epoch(generation=7, now=before) is None
    assert len(reads) == 1
    assert extra_layers.time_epoch(generation=8, now=before) is None  # the generation moved
    assert len(reads) == 2
    assert extra_layers.time_epoch(generation=8, now=soon) == soon  # the moment came
    assert extra_layers.time_epoch(generation=8, now=soon + dt.timedelta(days=9)) == soon
    assert len(reads) == 3
