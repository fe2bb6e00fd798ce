"""Storing a resident's comment: place checks, attachments checked by content, one transaction.

The comment, its number and its attachments are written in one transaction before the
confirmation is shown (nothing sent in time is lost; numbers have no gaps: the number is taken
under a row lock of the consultation inside the same transaction, so a failed write takes none).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from django.conf import settings
from django.contrib.gis.gdal import GDALException
from django.contrib.gis.geos import GEOSException, GEOSGeometry, Point, Polygon
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from consultation.models import Comment, CommentAttachment, Consultation
from layers.models import SRID, Parcel
from plans.models import PlanZone

# (content type, the first bytes of such a file): checked on the content, never on the name
MAGIC = (
    ("application/pdf", b"%PDF-"),
    ("image/png", b"\x89PNG\r\n\x1a\n"),
    ("image/jpeg", b"\xff\xd8\xff"),
)
EXTENSIONS = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}


class PlaceError(ValueError):
    """The place of a comment cannot be used; the message is for the form field."""


def max_attachments() -> int:
    return int(getattr(settings, "CONSULTATION_MAX_ATTACHMENTS", 3))


def max_attachment_bytes() -> int:
    return int(getattr(settings, "CONSULTATION_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024))


def sniff_type(upload: UploadedFile) -> str | None:
    """The content type of a PDF, PNG or JPEG by its first bytes; None for anything else."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for content_type, magic in MAGIC:
        if head.startswith(magic):
            return content_type
    return None


def check_attachment(upload: UploadedFile) -> str:
    """The content type of an acceptable attachment, or ValueError with the reason."""
    if upload.size > max_attachment_bytes():
        raise ValueError(
            _("%(name)s is larger than %(mb)d MB.")
            % {"name": upload.name, "mb": max_attachment_bytes() // (1024 * 1024)}
        )
    content_type = sniff_type(upload)
    if content_type is None:
        raise ValueError(
            _("%(name)s is not a PDF, JPEG or PNG file (checked by its content).")
            % {"name": upload.name}
        )
    return content_type


def geometry_from_geojson(text: str) -> GEOSGeometry:
    """A Point or Polygon drawn on the map (GeoJSON in EPSG:4326) in EPSG:2180."""
    try:
        data = json.loads(text)
        geom = GEOSGeometry(json.dumps(data.get("geometry", data)), srid=4326)
    except (ValueError, TypeError, AttributeError, GEOSException, GDALException) as exc:
        raise PlaceError(_("The place drawn on the map could not be read.")) from exc
    if not isinstance(geom, (Point, Polygon)):
        raise PlaceError(_("Mark a point or draw an area."))
    if not geom.valid:
        raise PlaceError(_("The area drawn is not valid (its edges cross). Draw it again."))
    geom.transform(SRID)
    return geom


def check_place(*, consultation: Consultation, geom: GEOSGeometry | None) -> None:
    boundary = consultation.municipality.boundary or consultation.plan.boundary
    if geom is not None and boundary is not None and not boundary.buffer(1).contains(geom):
        raise PlaceError(_("The place is outside the gmina."))


def parcels_by_identifier(*, consultation: Consultation, text: str) -> list[str]:
    """The current parcels of the gmina named in ``text`` (comma or space separated identifiers)."""
    wanted = [w.strip() for w in text.replace(";", ",").replace("\n", ",").split(",") if w.strip()]
    if not wanted:
        return []
    found = set(
        Parcel.objects.for_municipality(consultation.municipality)
        .filter(identifier__in=wanted)
        .values_list("identifier", flat=True)
    )
    missing = [w for w in wanted if w not in found]
    if missing:
        raise PlaceError(
            _("No such parcel in this gmina: %(ids)s") % {"ids": ", ".join(missing[:5])}
        )
    return wanted


def zone_of_draft(*, consultation: Consultation, designation: str) -> str:
    designation = designation.strip()
    if (
        designation
        and not PlanZone.objects.filter(
            plan=consultation.plan, designation__iexact=designation
        ).exists()
    ):
        raise PlaceError(_("The draft has no zone %(zone)s.") % {"zone": designation})
    return designation


@dataclass
class Submission:
    submitter_kind: str
    name: str
    address: str
    email: str
    content: str
    topic: str
    justification: str
    property_right: str
    geom: GEOSGeometry | None
    parcel_identifiers: str
    zone_designation: str
    form_opened_at: dt.datetime | None
    in_grace_period: bool


def store_comment(
    *,
    consultation: Consultation,
    submission: Submission,
    files: list[tuple[UploadedFile, str]],
    now: dt.datetime,
) -> Comment:
    """Write the comment and its attachments in one transaction; the next number, gap-free."""
    written: list[CommentAttachment] = []
    try:
        with transaction.atomic():
            locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
            comment = Comment.objects.create(
                municipality_id=locked.municipality_id,
                consultation=locked,
                number=locked.next_number,
                submitted_at=now,
                **submission.__dict__,
            )
            locked.next_number += 1
            locked.save(update_fields=["next_number"])
            for index, (upload, content_type) in enumerate(files, start=1):
                attachment = CommentAttachment(
                    municipality_id=locked.municipality_id,
                    comment=comment,
                    original_name=upload.name[:200],
                    content_type=content_type,
                    size=upload.size,
                )
                attachment.file.save(f"{index}.{EXTENSIONS[content_type]}", upload, save=False)
                written.append(attachment)
                attachment.save()
    except BaseException:
        for attachment in written:  # the rows rolled back: their files go too
            attachment.file.delete(save=False)
        raise
    return comment
