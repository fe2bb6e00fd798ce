"""GetFeature: run the queries, page them, and stream the encoded features while rows arrive."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db import DatabaseError
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone

from layers.crs import CrsRef
from wms.core.encoders import CSVEncoder, GeoJSONEncoder, GMLEncoder, Meta
from wms.core.ows_errors import database_error
from wms.core.query import (
    EXACT_MATCHED_LIMIT,
    Query,
    bounded_count,
    count_hits,
    fetch_all,
    select_sql,
    server_cursor,
)

PREFETCH = 5000
DEFAULT_COUNT = 100_000  # CountDefault: the most features one response holds
MAX_COUNT = 100_000

FORMAT_OF_ENCODER = {"gml32": "gml", "gml311": "gml", "geojson": "geojson", "csv": "wkt"}


@dataclass
class GetFeature:
    queries: list[Query]
    count: int
    startindex: int
    resulttype: str  # results | hits
    srs: CrsRef
    srs_name: str
    output: str  # gml32 | gml311 | geojson | csv | app
    version: str = "2.0.0"
    app_version: str = "3.0"
    geojson_axis: bool = False  # OGC API: GeoJSON coordinates in the CRS's axis order


def encoder_for(output: str):
    if output == "gml32":
        return GMLEncoder("3.2")
    if output == "gml311":
        return GMLEncoder("3.1.1")
    if output == "geojson":
        return GeoJSONEncoder()
    if output == "csv":
        return CSVEncoder()
    raise ValueError(output)


def timestamp() -> str:
    return timezone.now().replace(microsecond=0).isoformat().replace("+00:00", "Z")


def prefetch_of(query: Query) -> int:
    """Rows read in one go before streaming: fewer for types with large geometries."""
    return min(PREFETCH, query.ftype.spec.prefetch)


def page_numbers(
    request: GetFeature, user, first_rows: int, query: Query
) -> tuple[int, int | None]:
    """(numberReturned, numberMatched or None) of a single-query page, after the prefetch."""
    start, count = request.startindex, request.count
    prefetch = prefetch_of(query)
    if first_rows < min(count, prefetch):  # the whole page is in hand
        if first_rows or not start:
            return first_rows, start + first_rows
        matched = bounded_count(query, user, limit=EXACT_MATCHED_LIMIT)
        return 0, matched if matched <= EXACT_MATCHED_LIMIT else None
    if count > prefetch:
        counted = bounded_count(query, user, limit=start + count)
        if counted <= start + count:
            return max(0, counted - start), counted
    if start + count >= EXACT_MATCHED_LIMIT:
        return count, None
    matched = bounded_count(query, user, limit=EXACT_MATCHED_LIMIT)
    return count, matched if matched <= EXACT_MATCHED_LIMIT else None


def stream_results(
    request: GetFeature,
    *,
    user,
    meta: Meta,
    links: Callable[[int], str | None],
    encoder=None,
) -> Iterator[bytes]:
    encoder = encoder or encoder_for(request.output)
    fmt = "geojson_axis" if request.geojson_axis else FORMAT_OF_ENCODER[request.output]
    start, count = request.startindex, request.count

    def finish_meta(returned: int, matched: int | None) -> None:
        meta.returned, meta.matched = returned, matched
        more = returned == count and (matched is None or start + count < matched)
        meta.next_url = links(start + count) if more else None
        meta.previous_url = links(max(0, start - count)) if start > 0 else None

    if len(request.queries) == 1:
        # One plain query for the first rows (most pages end there: one round trip);
        # the rest of a larger page streams from a server-side cursor.
        query = request.queries[0]
        prefetch = prefetch_of(query)
        head = count if count <= prefetch else prefetch + 1
        sql, params = select_sql(query, user, srs=request.srs, fmt=fmt, offset=start, limit=head)
        rows = fetch_all(sql, params)
        more = count > prefetch and len(rows) > prefetch
        finish_meta(*page_numbers(request, user, min(len(rows), prefetch), query))
        yield encoder.start(meta).encode()
        for piece in encoder.features(query, rows[:prefetch] if more else rows, meta):
            yield piece.encode()
        if more:
            sql, params = select_sql(
                query,
                user,
                srs=request.srs,
                fmt=fmt,
                offset=start + prefetch,
                limit=count - prefetch,
            )
            with server_cursor(sql, params) as cursor:
                for piece in encoder.features(query, cursor, meta):
                    yield piece.encode()
        yield encoder.end(meta).encode()
        return

    # several queries: count each (bounded by the page end) to place the page across them
    counts = [bounded_count(q, user, limit=start + count) for q in request.queries]
    plan, skip, room = [], start, count
    for query, n in zip(request.queries, counts, strict=True):
        take_from = min(skip, n)
        skip -= take_from
        take = min(room, n - take_from)
        if take > 0:
            plan.append((query, take_from, take))
            room -= take
    returned = count - room
    exact = all(n <= start + count for n in counts)
    finish_meta(returned, sum(counts) if exact else None)
    yield encoder.start(meta).encode()
    for query, offset, limit in plan:
        sql, params = select_sql(query, user, srs=request.srs, fmt=fmt, offset=offset, limit=limit)
        with server_cursor(sql, params) as cursor:
            for piece in encoder.features(query, cursor, meta):
                yield piece.encode()
    yield encoder.end(meta).encode()


def hits_response(request: GetFeature, *, user, meta: Meta) -> HttpResponse:
    total, exact = 0, True
    for query in request.queries:
        n, ok = count_hits(query, user)
        total += n
        exact = exact and ok
    # WFS 1.1 has no numberMatched: its hits answer carries the count in numberOfFeatures
    meta.matched, meta.returned = total, (total if request.output == "gml311" else 0)
    encoder = encoder_for(request.output if request.output != "csv" else "geojson")
    body = encoder.start(meta) + encoder.end(meta)
    response = HttpResponse(body, content_type=encoder.content_type)
    response["X-Number-Matched-Exact"] = "true" if exact else "false"
    return response


def primed(stream: Iterator[bytes]) -> Iterator[bytes]:
    """Run a stream up to its first piece now, so that a database error (e.g. coordinates PROJ
    cannot transform) becomes an exception report instead of a broken 200 response."""
    try:
        first = next(stream)
    except StopIteration:
        return iter(())
    except DatabaseError as exc:
        raise database_error(exc) from exc
    return itertools.chain([first], stream)


def results_response(
    request: GetFeature,
    *,
    user,
    meta: Meta,
    links: Callable[[int], str | None],
    encoder=None,
) -> StreamingHttpResponse:
    encoder = encoder or encoder_for(request.output)
    response = StreamingHttpResponse(
        primed(stream_results(request, user=user, meta=meta, links=links, encoder=encoder)),
        content_type=encoder.content_type,
    )
    if request.output == "csv":
        name = request.queries[0].ftype.local_name
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response
