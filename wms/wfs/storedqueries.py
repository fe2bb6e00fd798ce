"""Stored queries: GetFeatureById (mandatory in WFS 2.0) and a parcel-by-identifier query."""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from layers.identifiers import parse_search
from layers.models import Layer
from wms.core.featuretypes import FeatureType
from wms.core.fes import Condition, feature_pk
from wms.core.ows_errors import OwsError, invalid, missing

GET_FEATURE_BY_ID = "urn:ogc:def:query:OGC-WFS::GetFeatureById"
PARCEL_BY_IDENTIFIER = "urn:x-plan-portal:query:DzialkaPoIdentyfikatorze"


@dataclass(frozen=True)
class StoredQuery:
    id: str
    title: str
    abstract: str
    parameters: tuple[tuple[str, str, str], ...]  # (name, xsd type, description)
    kinds: tuple[str, ...]  # layer kinds it returns; empty: any


STORED_QUERIES = (
    StoredQuery(
        GET_FEATURE_BY_ID,
        "Obiekt wg identyfikatora / Get feature by identifier",
        "Zwraca jeden obiekt o podanym gml:id (np. dzialki.12). Returns the one feature "
        "with the given gml:id, not wrapped in a collection.",
        (("ID", "xs:string", "gml:id of the feature, e.g. dzialki.12"),),
        (),
    ),
    StoredQuery(
        PARCEL_BY_IDENTIFIER,
        "Działka wg identyfikatora / Parcel by identifier",
        "Działki ewidencyjne o identyfikatorze WWPPGG_R.OOOO.NR, albo 'OOOO NR' lub 'NR' w gminie. "
        "Current parcels by their full identifier, or by 'precinct number' or the number alone.",
        (("IDENTIFIER", "xs:string", "e.g. 209901_2.0001.12/3, 0001 12/3 or 12/3"),),
        (Layer.Kind.PARCELS,),
    ),
)


def find(query_id: str | None) -> StoredQuery:
    for query in STORED_QUERIES:
        if query.id == query_id:
            return query
    raise invalid("STOREDQUERY_ID", f"Unknown stored query {query_id!r}.")


def feature_by_id(
    params: dict[str, str], types: list[FeatureType]
) -> tuple[FeatureType, Condition]:
    rid = params.get("ID") or params.get("id")
    if not rid:
        raise missing("ID")
    for ftype in types:
        pk = feature_pk(ftype, rid)
        if pk is not None:
            return ftype, Condition(f"{ftype.spec.id_sql} = %s", [pk])
    raise OwsError("NotFound", f"No feature has the identifier {rid!r}.", locator="ID")


def parcel_by_identifier(params: dict[str, str], ftype: FeatureType) -> Condition:
    text = params.get("IDENTIFIER", "").strip()
    if not text:
        raise missing("IDENTIFIER")
    parsed = parse_search(text)
    if not parsed.number:
        raise invalid("IDENTIFIER", f"{text!r} does not name a parcel (e.g. 0001 12/3).")
    parts, values = [f"{ftype.prop('numer').sql} = %s"], [parsed.number]
    if parsed.precinct:
        parts.append(f"right({ftype.prop('obreb').sql}, 4) = %s")
        values.append(parsed.precinct)
    if parsed.unit:
        parts.append(f"left({ftype.prop('obreb').sql}, 8) = %s")
        values.append(parsed.unit)
    return Condition(" AND ".join(parts), values)


def list_response(types: list[FeatureType]) -> str:
    ns = "".join(
        f" xmlns:{p}={quoteattr(u)}" for p, u in {t.prefix: t.namespace for t in types}.items()
    )
    items = []
    for query in STORED_QUERIES:
        returned = [t for t in types if not query.kinds or t.layer.kind in query.kinds]
        items.append(
            f'<wfs:StoredQuery id="{query.id}"><wfs:Title>{escape(query.title)}</wfs:Title>'
            + "".join(f"<wfs:ReturnFeatureType>{t.name}</wfs:ReturnFeatureType>" for t in returned)
            + "</wfs:StoredQuery>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<wfs:ListStoredQueriesResponse xmlns:wfs="http://www.opengis.net/wfs/2.0" '
        f'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"{ns} '
        'xsi:schemaLocation="http://www.opengis.net/wfs/2.0 http://schemas.opengis.net/wfs/2.0/wfs.xsd">'
        + "".join(items)
        + "</wfs:ListStoredQueriesResponse>"
    )


def describe_response(ids: list[str], types: list[FeatureType]) -> str:
    chosen = [find(i) for i in ids] if ids else list(STORED_QUERIES)
    ns = "".join(
        f" xmlns:{p}={quoteattr(u)}" for p, u in {t.prefix: t.namespace for t in types}.items()
    )
    items = []
    for query in chosen:
        returned = " ".join(t.name for t in types if not query.kinds or t.layer.kind in query.kinds)
        items.append(
            f'<wfs:StoredQueryDescription id="{query.id}"><wfs:Title>{escape(query.title)}</wfs:Title>'
            f"<wfs:Abstract>{escape(query.abstract)}</wfs:Abstract>"
            + "".join(
                f'<wfs:Parameter name="{n}" type="{t}"><wfs:Abstract>{escape(d)}</wfs:Abstract></wfs:Parameter>'
                for n, t, d in query.parameters
            )
            + '<wfs:QueryExpressionText isPrivate="true" '
            'language="urn:ogc:def:queryLanguage:OGC-WFS::WFSQueryExpression" '
            f'returnFeatureTypes="{returned}"/></wfs:StoredQueryDescription>'
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<wfs:DescribeStoredQueriesResponse xmlns:wfs="http://www.opengis.net/wfs/2.0" '
        'xmlns:xs="http://www.w3.org/2001/XMLSchema" '
        f'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"{ns} '
        'xsi:schemaLocation="http://www.opengis.net/wfs/2.0 http://schemas.opengis.net/wfs/2.0/wfs.xsd">'
        + "".join(items)
        + "</wfs:DescribeStoredQueriesResponse>"
    )
