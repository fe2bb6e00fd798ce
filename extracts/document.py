"""Compose an extract document: engine content + wyrys sheets → templates → PDF, with its fee.

One WeasyPrint document: the wypis (or a wyrys's cover page), then the wyrys sheets, each sheet
marked by a ``WYRYS`` outline entry, so that the fee counts the wypis pages and the wyrys sheets
from the real PDF (extracts.fees.split_pages). The fee is printed in the document, so it is
re-rendered until the printed fee matches the counted one (normally the first guess holds).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from extracts import fees, pdf
from extracts.engine import ExtractContent
from extracts.models import ExtractKind
from extracts.wyrys import Wyrys, build_wyrys, other_legend_items
from plans.models import Plan

WATERMARK = "informacyjny — nie stanowi wypisu ani wyrysu"
DRAFT_MARK = "PODGLĄD – projekt"
TITLES = {
    Plan.Kind.MPZP: "z miejscowego planu zagospodarowania przestrzennego",
    Plan.Kind.POG: "z planu ogólnego gminy",
    Plan.Kind.SUIKZP: "ze studium uwarunkowań i kierunków zagospodarowania przestrzennego",
}


@dataclass
class ExtractMeta:
    kind: str
    informational: bool
    reference: str = ""
    issued_at: dt.datetime | None = None
    issued_by_name: str = ""
    verification_code: str = ""
    requester_name: str = ""
    requester_address: str = ""
    request_date: dt.date | None = None
    purpose: str = ""
    fee_exemption: str = ""
    issued_by_position: str = ""
    paid_on: dt.date | None = None
    payment_reference: str = ""
    draft: bool = False  # the clerk's preview: "PODGLĄD – projekt", no number


@dataclass
class BuiltDocument:
    pdf: bytes
    pages: int
    fee: fees.Fee
    wypis_pages: int = 0
    wyrys_sheets: list[tuple[float, float]] = field(default_factory=list)


def verification_url(code: str) -> str:
    return settings.SITE_URL + reverse("extract-verify", args=[code])


def plan_summary(plan: Plan) -> dict:
    """What the extract records about a plan it states (stored with an issued extract)."""
    return {
        "id": plan.pk,
        "kind": plan.kind,
        "title": plan.title,
        "resolution_number": plan.resolution_number,
        "resolution_date": plan.resolution_date.isoformat() if plan.resolution_date else None,
        "publication": plan.publication,
        "in_force_from": plan.in_force_from.isoformat() if plan.in_force_from else None,
        "version_id": plan.version_id,
    }


def document_title(*, kind: str, plans: list[Plan]) -> tuple[str, str]:
    """(main word, "z …" phrase) of the document title."""
    if kind == ExtractKind.ZASWIADCZENIE:
        return "Zaświadczenie", "o przeznaczeniu nieruchomości w aktach planowania przestrzennego"
    word = {"wypis": "Wypis", "wyrys": "Wyrys"}.get(kind, "Wypis i wyrys")
    kinds = {p.kind for p in plans}
    if len(kinds) == 1:
        return word, TITLES.get(next(iter(kinds)), "z aktu planowania przestrzennego")
    return word, "z aktów planowania przestrzennego"


def authority_of(municipality) -> str:
    """The executive body in the genitive, as signed "z up. …" (the gmina's own words if set)."""
    return (
        municipality.authority_genitive.strip() or f"organu wykonawczego gminy {municipality.name}"
    )


def _context(*, content: ExtractContent, meta: ExtractMeta) -> dict:
    word, phrase = document_title(kind=meta.kind, plans=content.plans)
    qr = url = ""
    if meta.verification_code:
        url = verification_url(meta.verification_code)
        qr = pdf.qr_data_uri(url)
    return {
        "content": content,
        "meta": meta,
        "municipality": content.municipality,
        "title_word": word,
        "title_phrase": phrase,
        "watermark": WATERMARK if meta.informational else "",
        "draft_mark": DRAFT_MARK if meta.draft else "",
        "authority": authority_of(content.municipality),
        "issued_at": meta.issued_at or timezone.now(),
        "verification_url": url,
        "qr": qr,
        "sliver_m2": content.sliver_m2,
    }


def _wyrys_maps(
    *, content: ExtractContent, dpi: int, draw: bool = True, informational: bool = False
) -> list[Wyrys]:
    image_format = "png8:z=1" if informational else "png32:z=1"
    maps: list[Wyrys] = []
    for plan in content.plans:
        parcels = [
            s.parcel for s in content.parcels if any(ps.plan.pk == plan.pk for ps in s.plans)
        ]
        maps.append(
            build_wyrys(plan=plan, parcels=parcels, dpi=dpi, draw=draw, image_format=image_format)
        )
    return maps


def _render(template: str, context: dict) -> bytes:
    return pdf.html_to_pdf(render_to_string(template, context))


def build_document(
    *, content: ExtractContent, meta: ExtractMeta, dpi: int = 200, draw_maps: bool = True
) -> BuiltDocument:
    """The PDF of an extract of ``meta.kind`` stating ``content``; its fee from the real pages.

    ``draw_maps=False`` (fee quotes) keeps the layout but leaves the map frames blank.
    """
    context = _context(content=content, meta=meta)
    wants_wyrys = meta.kind in ("wyrys", "wypis_wyrys") or meta.informational
    maps = (
        _wyrys_maps(content=content, dpi=dpi, draw=draw_maps, informational=meta.informational)
        if wants_wyrys
        else []
    )
    context.update(maps=maps, other_legend=other_legend_items(), with_wyrys=bool(maps))
    fee = fees.Fee()  # first guess: a wypis of up to 5 pages, one A4 part per sheet
    if meta.kind == ExtractKind.ZASWIADCZENIE:
        fee.lines.append(
            fees.FeeLine("zaświadczenie", fees.ZASWIADCZENIE, fees.LEGAL_BASIS_ZASWIADCZENIE)
        )
    if meta.kind in ("wypis", "wypis_wyrys"):
        fee.lines.append(fees.wypis_fee(1))
    if maps and meta.kind in ("wyrys", "wypis_wyrys"):
        fee.lines.append(fees.wyrys_fee([(210.0, 297.0)] * sum(len(m.sheets) for m in maps)))
    fee.exemption = meta.fee_exemption
    for _attempt in range(3):
        document = _render("extracts/pdf/document.html", {**context, "fee": fee})
        counted = fees.fee_for(kind=meta.kind, pdf=document)
        counted.exemption = meta.fee_exemption
        if counted.as_json() == fee.as_json():
            break
        fee = counted
    wypis_pages, sheets = fees.split_pages(document)
    return BuiltDocument(
        pdf=document,
        pages=wypis_pages + len(sheets),
        fee=fee,
        wypis_pages=wypis_pages,
        wyrys_sheets=sheets,
    )
