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
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from layers.models import Layer, Municipality
from layers.replicas import read_connection
from wms.core.featuretypes import FeatureType, KindSpec, namespace_of, prefix_of


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
