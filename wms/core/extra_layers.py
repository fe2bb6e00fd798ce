"""Extra per-gmina layers that apps above ``wms`` register at start-up (``AppConfig.ready``).

The catalogue (``layers.models.Layer``) holds the layer kinds ``wms`` knows itself. An app above it
(``consultation``: the draft plan ``projekt`` and the comments ``uwagi``) describes a layer of its own
here instead of ``wms`` importing it: one ``ExtraLayer`` gives the WFS feature type (its ``KindSpec``:
tables, attributes, the visibility rule in SQL), the WMS drawing (the same SQL as a Mapnik
subquery), GetFeatureInfo (the same attributes) and the style.

An extra layer is offered only at the endpoint of a gmina (``/<gmina>/ows``), and only from the
moment its ``offered_sql`` gives for that gmina (e.g. the start of its first consultation): before
that the gmina's capabilities do not list it. The rows themselves are filtered by ``spec.where``,
which must hold the same public-visibility rule. Writes to the tables an extra layer reads must move
the catalogue generation (wms/core/generation.py): the registering app adds the triggers
(``wms_catalogue_bump()``) in a migration, so a cached map or answer is never stale.

Time passing is not a write: a consultation becomes public at its start with no change in the
database, so the generation does not move then. An extra layer therefore declares the moments its
public rows change by themselves (``changes_sql``: one timestamptz column, e.g. every consultation's
start). ``time_epoch`` gives the last of these moments already passed; the caches keyed on the
generation (the front cache's fingerprint, the image cache's key of an extra layer) also carry it,
so an answer drawn before such a moment is never served after it. The moments are read again only
when the generation moves or the next moment comes (one small query then, none per request).
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from layers.models import Layer, Municipality
from layers.replicas import read_connection
from wms.core.featuretypes import FeatureType, KindSpec, namespace_of, prefix_of
from wms.core.generation import current_generation


@dataclass(frozen=True)
class ExtraLayer:
    """One extra layer kind: ``name`` is both its layer name and its kind (``projekt``)."""

    name: str
    title: Any  # str or a lazy translation
    abstract: Any
    spec: KindSpec  # ``spec.kind`` == ``name``; ``spec.where`` holds the public-visibility rule
    # SQL returning (municipality_id, timestamptz from which the layer is offered) rows
    offered_sql: str
    style: Any  # a wms.maps.styles.StyleDef (maps sits above core: not imported here)
    title_prop: str = ""  # the attribute naming a feature in GetFeatureInfo
    # SQL returning one timestamptz column: the moments the layer's public rows change with no
    # write (a consultation's start); see ``time_epoch``
    changes_sql: str = ""

    def as_layer(self, *, municipality: Municipality, data_version: int = 1) -> Layer:
        """An unsaved catalogue row standing for this layer in one gmina's services."""
        return Layer(
            municipality=municipality,
            kind=self.name,
            name=self.name,
            title=str(self.title),
            abstract=str(self.abstract),
            queryable=True,
            is_published=True,
            data_version=data_version,
        )

    def mapnik_sql(self, *, gmina_id: int) -> str:
        """The Mapnik table subquery: ``geom``, ``id`` and every attribute, of one gmina."""
        spec = self.spec
        columns = ", ".join(f"{p.sql} AS {p.name}" for p in spec.props)
        where = " AND ".join(f"({w})" for w in spec.where) or "TRUE"
        return (
            f"(SELECT {spec.id_sql} AS id, {spec.geom_sql} AS geom, {columns} "  # noqa: S608
            f"FROM {spec.from_sql} WHERE {where} AND {spec.municipality_sql} = {int(gmina_id)} "
            f"AND {spec.geom_sql} && !bbox!) AS t"
        )

    def near_sql(self) -> str:
        """Features of a gmina near a point (%(gmina)s, %(x)s, %(y)s, %(tol)s, %(count)s)."""
        spec = self.spec
        columns = ", ".join(f"{p.sql}" for p in spec.props)
        where = " AND ".join(f"({w})" for w in spec.where) or "TRUE"
        point = "ST_SetSRID(ST_MakePoint(%(x)s, %(y)s), 2180)"
        return (
            f"SELECT {spec.id_sql}, {columns} FROM {spec.from_sql} WHERE {where} "  # noqa: S608
            f"AND {spec.municipality_sql} = %(gmina)s AND ST_DWithin({spec.geom_sql}, {point}, "
            f"%(tol)s) ORDER BY ST_Distance({spec.geom_sql}, {point}), {spec.id_sql} "
            "LIMIT %(count)s"
        )


_registry: dict[str, ExtraLayer] = {}


def register(layer: ExtraLayer) -> None:
    """Add (or replace, on a second ``ready()``) an extra layer kind."""
    if layer.spec.kind != layer.name:
        raise ValueError(f"extra layer {layer.name!r}: its spec must be of kind {layer.name!r}")
    _registry[layer.name] = layer


def registered() -> list[ExtraLayer]:
    return sorted(_registry.values(), key=lambda e: e.name)


def get_extra(kind: str) -> ExtraLayer | None:
    return _registry.get(kind)


def offered_from() -> dict[tuple[str, int], dt.datetime]:
    """(layer name, gmina id) -> the moment the layer is offered from (kept with the snapshot)."""
    out: dict[tuple[str, int], dt.datetime] = {}
    with read_connection.cursor() as cursor:
        for extra in registered():
            cursor.execute(extra.offered_sql)
            for gmina_id, since in cursor.fetchall():
                if since is not None:
                    out[(extra.name, int(gmina_id))] = since
    return out


def offered_at(
    *, gmina_id: int, since: dict[tuple[str, int], dt.datetime], now: dt.datetime
) -> list[ExtraLayer]:
    """The extra layers of a gmina offered at ``now``."""
    return [e for e in registered() if (s := since.get((e.name, gmina_id))) and s <= now]


def extra_feature_types(endpoint: Municipality | None) -> list[FeatureType]:
    """The WFS feature types of the extra layers a gmina's endpoint offers now (none at ``/ows``)."""
    if endpoint is None or not _registry:
        return []
    offered = offered_at(gmina_id=endpoint.pk, since=offered_from(), now=timezone.now())
    return [
        FeatureType(
            layer=extra.as_layer(municipality=endpoint),
            spec=extra.spec,
            municipality=endpoint,
            prefix=prefix_of(endpoint),
            namespace=namespace_of(endpoint),
        )
        for extra in offered
    ]


@dataclass(frozen=True)
class _Epoch:
    generation: int
    last: dt.datetime | None  # the last declared moment passed (None: none yet)
    next: dt.datetime | None  # the next one to come (None: none declared)


_epoch: _Epoch | None = None
_epoch_lock = threading.Lock()


def _read_moments(now: dt.datetime) -> tuple[dt.datetime | None, dt.datetime | None]:
    """The last declared moment at or before ``now`` and the first after it, over every layer."""
    queries = [f"({e.changes_sql})" for e in registered() if e.changes_sql]
    if not queries:
        return None, None
    sql = (
        "SELECT max(t) FILTER (WHERE t <= %(now)s), min(t) FILTER (WHERE t > %(now)s) "  # noqa: S608
        f"FROM ({' UNION ALL '.join(queries)}) AS moments(t)"
    )
    with read_connection.cursor() as cursor:
        cursor.execute(sql, {"now": now})
        last, upcoming = cursor.fetchone()
    return last, upcoming


def catalogue_fingerprint() -> tuple[int, dt.datetime | None]:
    """(generation, time epoch): what a cache of public answers is keyed on (the front cache, the
    capabilities cache). Raises DatabaseError when either cannot be read (then: no cache)."""
    generation = current_generation()
    return generation, time_epoch(generation=generation)


def time_epoch(*, generation: int, now: dt.datetime | None = None) -> dt.datetime | None:
    """The last moment passed at which an extra layer's public rows changed by themselves.

    Part of every cache key that is also keyed on the catalogue ``generation``: it moves when such
    a moment passes although nothing was written. Kept per process for one generation until the
    next moment comes; raises DatabaseError when the moments cannot be read (then: no cache).
    """
    global _epoch
    now = now or timezone.now()
    current = _epoch
    if (
        current is not None
        and current.generation == generation
        and (current.next is None or now < current.next)
    ):
        return current.last
    last, upcoming = _read_moments(now)
    with _epoch_lock:
        _epoch = _Epoch(generation=generation, last=last, next=upcoming)
    return last
