"""Demo data: a consultation of Lipowo's draft plan with a few example comments (load_demo)."""

from __future__ import annotations

import datetime as dt

from django.contrib.gis.geos import Point, Polygon
from django.utils import timezone

from consultation.lifecycle import open_consultation
from consultation.models import Comment, Consultation
from layers.models import SRID, Municipality
from plans.models import Plan

EXAMPLES = (
    (
        "person",
        "Proszę o pozostawienie zieleni przy szkole.",
        "accepted",
        "Uwzględniono: teren ZP.",
    ),
    (
        "organisation",
        "Droga dojazdowa jest za wąska dla autobusu.",
        "partly",
        "Poszerzono do 10 m.",
    ),
    (
        "person",
        "Sprzeciwiam się zabudowie usługowej obok mojej działki.",
        "rejected",
        "Zgodne ze studium.",
    ),
)


def open_demo_consultation(municipality: Municipality) -> Consultation | None:
    """Open a consultation (started yesterday, 28 days) of the gmina's first draft plan."""
    plan = Plan.objects.for_municipality(municipality).filter(is_published=False).first()
    if plan is None or plan.consultations.exists():
        return None
    today = timezone.localdate()
    consultation = open_consultation(
        plan=plan,
        title=f"Konsultacje społeczne: {plan.title}",
        first_day=today - dt.timedelta(days=1),
        last_day=today + dt.timedelta(days=27),
        announcement=(
            "Wójt Gminy ogłasza konsultacje społeczne projektu planu (art. 8h ustawy o planowaniu "
            "i zagospodarowaniu przestrzennym). Uwagi można składać przez portal, pisemnie w urzędzie "
            "lub pocztą elektroniczną."
        ),
        events=[
            {
                "kind": "meeting",
                "starts_at": timezone.now() + dt.timedelta(days=7),
                "place": "Świetlica wiejska, Lipowo",
            },
            {
                "kind": "walk",
                "starts_at": timezone.now() + dt.timedelta(days=10),
                "place": "Zbiórka przy kościele",
            },
            {
                "kind": "point",
                "starts_at": timezone.now() + dt.timedelta(days=3),
                "place": "Urząd Gminy, pok. 12",
            },
        ],
    )
    centre = plan.boundary.centroid
    for index, (kind, content, position, reason) in enumerate(EXAMPLES):
        x, y = centre.x + 60 * (index - 1), centre.y + 40 * (index - 1)
        geom = (
            Point(x, y, srid=SRID)
            if index != 1
            else Polygon.from_bbox((x - 20, y - 20, x + 20, y + 20))
        )
        geom.srid = SRID
        Comment.objects.create(
            municipality=municipality,
            consultation=consultation,
            number=index + 1,
            submitter_kind=kind,
            name="Stowarzyszenie Przyjaciół Lipowa"
            if kind == "organisation"
            else f"Mieszkaniec {index + 1}",
            address="Lipowo 1",
            content=content,
            property_right="owner" if kind == "person" else "none",
            geom=geom,
            submitted_at=timezone.now(),
            position=position,
            reason=reason,
        )
    consultation.next_number = len(EXAMPLES) + 1
    consultation.save(update_fields=["next_number"])
    return consultation
