"""EGiB GML parcels, streamed: the current schema (``ewidencjaGruntowIBudynkow:1.0``) and the older
GUGiK one (``urn:gugik:specyfikacje:gmlas:ewidencjaGruntowBudynkow:1.0``).

Only the parcel's identifier, registered area, geometry and version dates are read; owners,
land-register numbers, addresses and every other object type are skipped, so personal data never
enters the portal. Archival versions (``koniecWersjaObiekt`` set) are dropped and, of several
versions of one parcel, the newest ``startWersjaObiekt`` wins.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path

import shapely
from django.utils.translation import gettext_noop as _
from lxml import etree

from layers.gml import GmlGeometryError
from layers.gml import read_surface as read_gml_surface
from layers.messages import problem
from layers.xmlparse import local
from plans.ingest.drafts import ParcelDraft
from plans.ingest.position import PositionError, place
from plans.ingest.report import IngestError, Report
from plans.ingest.safety import check_file, check_xml_prolog, iter_xml

EGIB_NAMESPACES = (
    "ewidencjaGruntowIBudynkow:1.0",
    "urn:gugik:specyfikacje:gmlas:ewidencjaGruntowBudynkow:1.0",
)
PARCEL_TAGS = [f"{{{ns}}}EGB_DzialkaEwidencyjna" for ns in EGIB_NAMESPACES]
XSI_NIL = "{http://www.w3.org/2001/XMLSchema-instance}nil"
READ = {
    "idDzialki",
    "powierzchniaEwidencyjna",
    "poleEwidencyjne",
    "geometria",
    "startWersjaObiekt",
    "koniecWersjaObiekt",
}


def _fields(element: etree._Element) -> dict[str, etree._Element]:
    found = {}
    for child in element:
        name = local(child.tag)
        if name in READ and child.get(XSI_NIL) != "true":
            found.setdefault(name, child)
    return found


def _area(fields: dict[str, etree._Element]) -> Decimal | None:
    node = fields.get("poleEwidencyjne", fields.get("powierzchniaEwidencyjna"))
    if node is None or not (node.text or "").strip():
        return None
    try:
        value = Decimal(node.text.strip())
    except InvalidOperation:
        return None
    return value / 10000 if (node.get("uom") or "ha").lower() in {"m2", "m^2", "m²"} else value


def _iter_elements(path: Path) -> Iterator[etree._Element]:
    for element in iter_xml(path, tag=PARCEL_TAGS):
        yield element
        element.clear()
        parent = element.getparent()
        holder = parent if parent is not None and parent.getparent() is not None else element
        while holder.getprevious() is not None:
            del holder.getparent()[0]


def read_egib(
    path: Path, report: Report, *, progress: Callable[[int], None] | None = None
) -> list[ParcelDraft]:
    """Current parcels of one EGiB GML file, streamed; problems become findings."""
    file = path.name
    check_file(path)
    check_xml_prolog(path)
    newest: dict[str, ParcelDraft] = {}
    count = 0
    for element in _iter_elements(path):
        count += 1
        if progress and count % 1000 == 0:
            progress(count)
        fields = _fields(element)
        where = f"line {element.sourceline}"
        ident_node = fields.get("idDzialki")
        identifier = (ident_node.text or "").strip() if ident_node is not None else ""
        if "koniecWersjaObiekt" in fields and (fields["koniecWersjaObiekt"].text or "").strip():
            continue  # an archival version
        if "geometria" not in fields:
            report.add(
                "geometry.missing",
                problem(_("the parcel has no geometry")),
                file=file,
                feature=identifier,
                where=where,
            )
            continue
        try:
            source = read_gml_surface(fields["geometria"])
            geom = shapely.from_wkb(bytes(place(source.geom).wkb))
        except (GmlGeometryError, PositionError) as exc:
            report.add(exc.rule, exc.text, file=file, feature=identifier, where=where)
            continue
        version = (fields["startWersjaObiekt"].text or "") if "startWersjaObiekt" in fields else ""
        draft = ParcelDraft(
            identifier=identifier,
            file=file,
            geom=geom,
            registered_area_ha=_area(fields),
            where=where,
            version=version,
        )
        key = identifier or f"{file}:{where}"
        if key not in newest or newest[key].version < version:
            newest[key] = draft
    if count == 0:
        raise IngestError(
            problem(
                _(
                    "no EGiB parcels (EGB_DzialkaEwidencyjna) in this file; is it another kind of GML?"
                )
            ),
            file=file,
            rule="egib.no_parcels",
        )
    return list(newest.values())
