"""Address points of the national register (PRG, kept by the gminy in EMUiA) from its GML export.

The format is GUGiK's ``prg-ad`` application schema (the 2012 model of the bulk download
``integracja.gugik.gov.pl/PRG/pobierz.php?adresy_zbiorcze_gml``): namespace
``urn:gugik:specyfikacje:gmlas:panstwowyRejestrGranicAdresy:1.0``, one ``prg-ad:PRG_PunktAdresowy``
per ``gml:featureMember`` with ``miejscowosc``, ``ulica``, ``numerPorzadkowy``, ``kodPocztowy``,
``status``, the identifier in ``idIIP/bt:BT_Identyfikator/bt:lokalnyId`` and the position as
``pozycja/gml:Point/gml:pos`` in EPSG:2180, written northing first as the CRS defines it.

An import replaces the gmina's address points as a whole (an export is always the gmina's full
list); nothing is written when any point is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.contrib.gis.geos import Point
from django.db import transaction
from django.utils.translation import gettext_noop as _
from lxml import etree

from layers.crs import CRSIdentifierError, parse_crs
from layers.messages import problem
from layers.models import Address, Layer, Municipality
from layers.xmlparse import XMLRefused, iter_file, root_element
from plans.ingest.report import FeatureSummary, IngestError, Report

PRG_NAMESPACE_PREFIX = "urn:gugik:specyfikacje:gmlas:panstwowyRejestrGranicAdresy:"
POINT_TAG = "{*}PRG_PunktAdresowy"
STORAGE_SRID = 2180
NEAR_BOUNDARY_M = 200.0


@dataclass
class AddressDraft:
    locality: str
    street: str
    number: str
    postcode: str
    point: Point | None
    local_id: str
    file: str

    @property
    def label(self) -> str:
        place = f"{self.street} {self.number}" if self.street else self.number
        return f"{place}, {self.locality}"


def is_prg_addresses(path: Path) -> bool:
    """Is this file a PRG address export (root element in a ``prg-ad`` namespace, or a GML
    feature collection whose first member is a ``PRG_PunktAdresowy``)?"""
    if path.suffix.lower() not in {".gml", ".xml"}:
        return False
    try:
        root = root_element(path)
    except (etree.XMLSyntaxError, XMLRefused, OSError):
        return False
    if (etree.QName(root).namespace or "").startswith(PRG_NAMESPACE_PREFIX):
        return True
    return any(PRG_NAMESPACE_PREFIX in (uri or "") for uri in root.nsmap.values())


def _text(element: etree._Element, name: str) -> str:
    found = element.find(f".//{{*}}{name}")
    return " ".join((found.text or "").split()) if found is not None else ""


def _position(element: etree._Element, *, file: str, label: str) -> Point:
    point = element.find("{*}pozycja/{*}Point")
    pos = point.find("{*}pos") if point is not None else None
    if pos is None or not (pos.text or "").split():
        raise IngestError(
            problem(_("no position (pozycja/gml:Point/gml:pos)")), file=file, where=label
        )
    try:
        crs = parse_crs(point.get("srsName") or "EPSG:2180")
        a, b = (float(v) for v in pos.text.split()[:2])
    except (CRSIdentifierError, ValueError) as exc:
        raise IngestError(
            problem(_("unreadable position '%(text)s': %(error)s"), text=pos.text, error=exc),
            file=file,
            where=label,
        ) from exc
    x, y = crs.to_xy(a, b)
    result = Point(x, y, srid=crs.srid)
    if crs.srid != STORAGE_SRID:
        result.transform(STORAGE_SRID)
    return result


def _draft(element: etree._Element, *, file: str, report: Report) -> AddressDraft | None:
    draft = AddressDraft(
        locality=_text(element, "miejscowosc"),
        street=_text(element, "ulica"),
        number=_text(element, "numerPorzadkowy"),
        postcode=_text(element, "kodPocztowy"),
        point=None,
        local_id=_text(element, "lokalnyId"),
        file=file,
    )
    feature = draft.local_id or draft.label
    if not draft.locality or not draft.number:
        report.add(
            "address.incomplete",
            problem(
                _("an address point needs a locality (miejscowosc) and a number (numerPorzadkowy)")
            ),
            file=file,
            feature=feature,
        )
        return None
    try:
        draft.point = _position(element, file=file, label=feature)
    except IngestError as exc:
        report.add("address.position", exc.text, file=file, feature=feature)
        return None
    return draft


def read_prg_addresses(path: Path, report: Report) -> list[AddressDraft]:
    """Every current address point of the file (a point with an end of version is history)."""
    if not is_prg_addresses(path):
        raise IngestError(
            problem(_("not a PRG address export (prg-ad:PRG_PunktAdresowy)")),
            file=path.name,
            rule="file.format",
        )
    drafts = []
    try:
        for _event, element in iter_file(path, tag=POINT_TAG):
            if not _text(element, "koniecWersjiObiektu"):
                draft = _draft(element, file=path.name, report=report)
                if draft is not None:
                    drafts.append(draft)
            element.clear()
    except (etree.XMLSyntaxError, XMLRefused) as exc:
        raise IngestError(
            problem(_("unreadable XML: %(error)s"), error=exc), file=path.name
        ) from exc
    return drafts


def _check_inside(municipality: Municipality, drafts: list[AddressDraft], report: Report) -> None:
    if municipality.boundary is None:
        return
    area = municipality.boundary.buffer(NEAR_BOUNDARY_M)
    for draft in drafts:
        if not area.contains(draft.point):
            report.add(
                "address.outside_municipality",
                problem(_("the point lies outside the gmina %(name)s"), name=municipality.name),
                file=draft.file,
                feature=draft.local_id or draft.label,
                where=f"{draft.point.x:.2f} {draft.point.y:.2f}",
            )


def import_addresses(
    *, municipality: Municipality, paths: list[Path], dry_run: bool = False
) -> Report:
    """Read and check every file, then replace the gmina's address points in one transaction."""
    report = Report(kind="addresses", files=[p.name for p in paths], dry_run=dry_run)
    drafts: list[AddressDraft] = []
    try:
        for path in paths:
            drafts += read_prg_addresses(path, report)
    except IngestError as exc:
        report.add_error(exc)
        return report
    _check_inside(municipality, drafts, report)
    report.features = [
        FeatureSummary(
            identifier=d.label,
            kind="address",
            file=d.file,
            area_m2=None,
            bbox=(d.point.x, d.point.y, d.point.x, d.point.y),
        )
        for d in drafts
    ]
    report.summary = {"addresses": len(drafts)}
    if not drafts:
        report.add("address.none", problem(_("the files hold no current address point")))
    if not report.ok or dry_run:
        return report
    source = ", ".join(report.files)[:200]
    with transaction.atomic():
        Address.objects.for_municipality(municipality).delete()
        Address.objects.bulk_create(
            [
                Address(
                    municipality=municipality,
                    locality=d.locality[:120],
                    street=d.street[:120],
                    number=d.number[:20],
                    postcode=d.postcode[:6],
                    point=d.point,
                    local_id=d.local_id[:80],
                    source=source,
                )
                for d in drafts
            ],
            batch_size=1000,
        )
        Layer.bump(municipality=municipality, kinds=[])  # the base map names the streets
    report.written = True
    return report
