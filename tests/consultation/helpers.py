"""Test data of consultations: a draft in gmina A under consultation, and one comment."""

from __future__ import annotations

import datetime as dt

from django.contrib.gis.geos import Point
from django.core import signing
from django.utils import timezone

from consultation.models import Comment, Consultation, ConsultationEvent
from consultation.views import CONFIRMATION_SALT
from plans.models import Plan
from tests.factories import box, make_plan, make_zone

SECRET_NAME = "Jan Sekretny-Kowalski"
SECRET_ADDRESS = "ul. Tajna 7, 00-001 Wieś"


def draft_in(municipality, origin) -> Plan:
    x, y = origin
    plan = make_plan(
        municipality,
        boundary=box(x + 600, y + 600, x + 900, y + 900),
        published=False,
        status=Plan.Status.ELABORATION,
        title=f"Projekt MPZP {municipality.name}",
    )
    make_zone(plan, "2MN", box(x + 600, y + 600, x + 750, y + 900), name="zabudowa (projekt)")
    make_zone(plan, "2ZP", box(x + 750, y + 600, x + 900, y + 900), name="zieleń (projekt)")
    return plan


def open_consultation_on(plan: Plan, *, started_days_ago: int = 1, days: int = 22) -> Consultation:
    now = timezone.now()
    consultation = Consultation.objects.create(
        municipality=plan.municipality,
        plan=plan,
        title=f"Konsultacje: {plan.title}",
        announcement="Ogłoszenie o konsultacjach.",
        starts_at=now - dt.timedelta(days=started_days_ago),
        ends_at=now - dt.timedelta(days=started_days_ago) + dt.timedelta(days=days),
    )
    ConsultationEvent.objects.create(
        municipality=plan.municipality,
        consultation=consultation,
        kind="meeting",
        starts_at=now + dt.timedelta(days=3),
        place="Świetlica wiejska",
    )
    return consultation


def add_comment(
    consultation: Consultation, *, content: str = "Proszę o zieleń.", **extra
) -> Comment:
    number = consultation.next_number
    consultation.next_number += 1
    consultation.save(update_fields=["next_number"])
    centre = consultation.plan.boundary.centroid
    fields = {
        "submitter_kind": "person",
        "name": SECRET_NAME,
        "address": SECRET_ADDRESS,
        "email": "jan@example.com",
        "content": content,
        "property_right": "owner",
        "geom": Point(centre.x, centre.y, srid=2180),
        "submitted_at": timezone.now(),
        **extra,
    }
    return Comment.objects.create(
        municipality=consultation.municipality, consultation=consultation, number=number, **fields
    )


def confirmation_token(comment: Comment) -> str:
    return signing.dumps(comment.pk, salt=CONFIRMATION_SALT)


def persona_objects(world) -> dict[str, object]:
    """For tests/accounts/test_persona_table.py: a consultation of a draft of gmina A."""
    from django.core.files.base import ContentFile

    from consultation.models import CommentAttachment
    from layers.survey_tokens import COMMENT, survey_token
    from plans.models import PlanDocument
    from tests.conftest import A_ORIGIN

    plan = draft_in(world.gmina_a, A_ORIGIN)
    document = PlanDocument(
        municipality=plan.municipality,
        plan=plan,
        kind=PlanDocument.Kind.RESOLUTION,
        title="Projekt",
    )
    document.file.save("projekt.pdf", ContentFile(b"%PDF-1.4 projekt"), save=False)
    document.save()
    consultation = open_consultation_on(plan)
    comment = add_comment(consultation)
    attachment = CommentAttachment(
        municipality=plan.municipality,
        comment=comment,
        original_name="zal.pdf",
        content_type="application/pdf",
        size=9,
    )
    attachment.file.save("1.pdf", ContentFile(b"%PDF-1.4 "), save=False)
    attachment.save()
    return {
        "consultation_a": consultation.pk,
        "comment_a": comment.number,
        "comment_token": confirmation_token(comment),
        "comment_survey_token": survey_token(service=COMMENT, subject_id=comment.pk),
        "draft_a_document": document.pk,
        "attachment_a": attachment.pk,
    }
