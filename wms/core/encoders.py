"""Output formats of GetFeature: GML 3.2 (WFS 2.0), GML 3.1.1 (WFS 1.1), GeoJSON, CSV with WKT.

Each encoder turns rows of the query (id, properties…, encoded geometry) into text pieces; the
geometry is already encoded by PostGIS, the encoder only adds ids and the srsName.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from xml.sax.saxutils import quoteattr

from layers.crs import CrsRef
from layers.gml import decorate_gml
from wms.core.featuretypes import GEOMETRY
from wms.core.query import Query

WFS20 = "http://www.opengis.net/wfs/2.0"
WFS11 = "http://www.opengis.net/wfs"
GML32 = "http://www.opengis.net/gml/3.2"
GML31 = "http://www.opengis.net/gml"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
BATCH = 500


@dataclass
class Meta:
    srs: CrsRef
    srs_name: str
    timestamp: str
    matched: int | None  # None: unknown
    returned: int
    next_url: str | None = None
    previous_url: str | None = None
    schema_locations: list[tuple[str, str]] = field(default_factory=list)
    namespaces: dict[str, str] = field(default_factory=dict)  # prefix -> uri


def batched(pieces: Iterable[str]) -> Iterator[str]:
    buffer: list[str] = []
    for piece in pieces:
        buffer.append(piece)
        if len(buffer) >= BATCH:
            yield "".join(buffer)
            buffer = []
    if buffer:
        yield "".join(buffer)


class GMLEncoder:
    """WFS 2.0 FeatureCollection with GML 3.2 (``version="3.2"``) or WFS 1.1 with GML 3.1.1."""

    def __init__(self, version: str = "3.2") -> None:
        self.v32 = version == "3.2"
        self.content_type = (
            "application/gml+xml; version=3.2" if self.v32 else "text/xml; subtype=gml/3.1.1"
        )

    def start(self, meta: Meta) -> str:
        wfs, gml = (WFS20, GML32) if self.v32 else (WFS11, GML31)
        ns = "".join(f" xmlns:{p}={quoteattr(u)}" for p, u in sorted(meta.namespaces.items()))
        wfs_xsd = (
            "http://schemas.opengis.net/wfs/2.0/wfs.xsd"
            if self.v32
            else "http://schemas.opengis.net/wfs/1.1.0/wfs.xsd"
        )
        locations = " ".join(f"{n} {u}" for n, u in [(wfs, wfs_xsd), *meta.schema_locations])
        if self.v32:
            matched = "unknown" if meta.matched is None else str(meta.matched)
            counts = f' numberMatched="{matched}" numberReturned="{meta.returned}"'
            if meta.next_url:
                counts += f" next={quoteattr(meta.next_url)}"
            if meta.previous_url:
                counts += f" previous={quoteattr(meta.previous_url)}"
        else:
            counts = f' numberOfFeatures="{meta.returned}"'
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<wfs:FeatureCollection xmlns:wfs="{wfs}" xmlns:gml="{gml}" xmlns:xsi="{XSI}"{ns} '
            f"xsi:schemaLocation={quoteattr(locations)} "
            f'timeStamp="{meta.timestamp}"{counts}>'
        )

    def features(self, query: Query, rows: Iterable[tuple], meta: Meta) -> Iterator[str]:
        ftype = query.ftype
        prefix, element = ftype.prefix, ftype.local_name
        geometry = query.wants_geometry()
        member_open, member_close = (
            ("<wfs:member>", "</wfs:member>")
            if self.v32
            else ("<gml:featureMember>", "</gml:featureMember>")
        )

        def one(row: tuple) -> str:
            fid = f"{element}.{row[0]}"
            geom = ""
            if geometry and row[-1] is not None:
                gml = decorate_gml(row[-1], srs_name=meta.srs_name, fid=fid)
                geom = f"<{prefix}:{GEOMETRY}>{gml}</{prefix}:{GEOMETRY}>"
            return (
                f'{member_open}<{prefix}:{element} gml:id="{fid}">{row[1] or ""}{geom}'
                f"</{prefix}:{element}>{member_close}"
            )

        return batched(one(row) for row in rows)

    def end(self, meta: Meta) -> str:
        return "</wfs:FeatureCollection>\n"


class ValueEncoder(GMLEncoder):
    """GetPropertyValue: a wfs:ValueCollection of one property (or the geometry) per feature."""

    def start(self, meta: Meta) -> str:
        head = super().start(meta)
        return head.replace("<wfs:FeatureCollection ", "<wfs:ValueCollection ", 1)

    def features(self, query: Query, rows: Iterable[tuple], meta: Meta) -> Iterator[str]:
        element = query.ftype.local_name
        geometry = query.wants_geometry()

        def one(row: tuple) -> str:
            if geometry:
                value = decorate_gml(
                    row[-1] or "", srs_name=meta.srs_name, fid=f"{element}.{row[0]}"
                )
            else:
                value = row[1] or ""
            return f"<wfs:member>{value}</wfs:member>"

        return batched(one(row) for row in rows)

    def end(self, meta: Meta) -> str:
        return "</wfs:ValueCollection>\n"


class GeoJSONEncoder:
    content_type = "application/geo+json"

    def __init__(self, *, crs_member: bool = True, links: list[dict] | None = None) -> None:
        self.first = True
        self.crs_member = crs_member
        self.links = links or []

    def start(self, meta: Meta) -> str:
        head = '{"type":"FeatureCollection"'
        if self.crs_member and not (
            meta.srs.code == "CRS:84" or (meta.srs.srid == 4326 and not meta.srs.yx)
        ):
            head += ',"crs":' + json.dumps({"type": "name", "properties": {"name": meta.srs.urn()}})
        return head + ',"features":['

    def features(self, query: Query, rows: Iterable[tuple], meta: Meta) -> Iterator[str]:
        element = query.ftype.local_name
        geometry = query.wants_geometry()

        def one(row: tuple) -> str:
            geom = (row[-1] or "null") if geometry else "null"
            text = (
                f'{"" if self.first else ","}{{"type":"Feature","id":"{element}.{row[0]}",'
                f'"geometry":{geom},"properties":{row[1] or "{}"}}}'
            )
            self.first = False
            return text

        return batched(one(row) for row in rows)

    def end(self, meta: Meta) -> str:
        tail = {
            "numberMatched": meta.matched,
            "numberReturned": meta.returned,
            "timeStamp": meta.timestamp,
        }
        if meta.matched is None:
            del tail["numberMatched"]
        links = list(self.links)
        if meta.next_url:
            links.append({"rel": "next", "href": meta.next_url, "type": self.content_type})
        if meta.previous_url:
            links.append({"rel": "prev", "href": meta.previous_url, "type": self.content_type})
        if links:
            tail["links"] = links
        return "]," + json.dumps(tail)[1:] + "\n"


class CSVEncoder:
    content_type = "text/csv; charset=utf-8"

    def __init__(self) -> None:
        self.header_done = False

    def start(self, meta: Meta) -> str:
        return ""

    def features(self, query: Query, rows: Iterable[tuple], meta: Meta) -> Iterator[str]:
        """Rows are (id, the CSV record built by PostgreSQL); only the header is written here."""
        if not self.header_done:
            names = [p.name for p in query.selected_props()]
            geometry = ["wkt"] if query.wants_geometry() else []
            buffer = io.StringIO()
            csv.writer(buffer, lineterminator="\r\n").writerow(["gml_id", *names, *geometry])
            self.header_done = True
            yield buffer.getvalue()
        yield from batched(row[1] for row in rows)

    def end(self, meta: Meta) -> str:
        return ""
