"""Example e-service data for the demo gminy: a few months of requests, PDFs and survey answers
(about the issued extracts, and about the demo consultation's comments if the gmina has one)."""

from __future__ import annotations

import datetime as dt
import random
import uuid

from django.utils import timezone

from consultation.models import Comment
from extracts.models import ExtractRequest, InformationalPdfDay
from layers.models import Municipality
from monitoring.models import SurveyAnswer

MONTHS = 4
COMMENTS = ("Szybko i sprawnie.", "Czekałem dłużej, niż się spodziewałem.", "Dziękuję za pomoc.")


def load_service_demo(*, municipality: Municipality, seed: int) -> None:
    """Requests filed over ``MONTHS`` months (most issued in days, a few late or open)."""
    rng = random.Random(seed)
    now = timezone.now()
    requests = []
    for n in range(rng.randint(60, 90)):
        filed = now - dt.timedelta(days=rng.uniform(0, 30 * MONTHS), hours=rng.uniform(0, 8))
        status = rng.choices(["issued", "rejected", "submitted"], [85, 5, 10])[0]
        decided = (
            filed + dt.timedelta(days=rng.lognormvariate(1.3, 0.7))
            if status != "submitted"
            else None
        )
        requests.append(
            ExtractRequest(
                municipality=municipality,
                submission_key=f"demo-{n}",
                group=uuid.uuid4(),
                requester_name="Mieszkaniec (dane przykładowe)",
                requester_address="ul. Przykładowa 1",
                kind=rng.choice(["wypis_wyrys", "wypis_wyrys", "wypis", "zaswiadczenie"]),
                parcel_ids=["przykład"],
                status=status,
                reject_reason="Działka spoza gminy." if status == "rejected" else "",
                decided_at=min(decided, now) if decided else None,
            )
        )
    created = ExtractRequest.objects.bulk_create(requests)
    for req, filed in zip(created, _filing_times(requests, rng, now), strict=True):
        ExtractRequest.objects.filter(pk=req.pk).update(submitted_at=filed)
    _answers(municipality, [r for r in created if r.status == "issued"], rng)
    today = timezone.localdate()
    InformationalPdfDay.objects.bulk_create(
        InformationalPdfDay(
            municipality=municipality, day=today - dt.timedelta(days=d), count=rng.randint(0, 12)
        )
        for d in range(30 * MONTHS)
    )


def _filing_times(requests, rng: random.Random, now: dt.datetime) -> list[dt.datetime]:
    """Before each decision (an open request: any time in the period)."""
    times = []
    for req in requests:
        if req.decided_at:
            times.append(req.decided_at - dt.timedelta(days=rng.lognormvariate(1.3, 0.7)))
        else:
            times.append(now - dt.timedelta(days=rng.uniform(0, 45)))
    return times


def _answers(municipality: Municipality, issued: list, rng: random.Random) -> None:
    answers = [
        SurveyAnswer(
            municipality=municipality,
            service=SurveyAnswer.Service.EXTRACT,
            subject_id=req.pk,
            score=rng.choices([5, 4, 3, 2, 1], [45, 30, 12, 8, 5])[0],
            comment=rng.choice(COMMENTS) if rng.random() < 0.3 else "",
        )
        for req in issued
        if rng.random() < 0.4
    ]
    answers += [
        SurveyAnswer(
            municipality=municipality,
            service=SurveyAnswer.Service.COMMENT,
            subject_id=pk,
            score=rng.choices([5, 4, 3, 2, 1], [35, 35, 15, 10, 5])[0],
        )
        for pk in Comment.objects.for_municipality(municipality).values_list("pk", flat=True)
        if rng.random() < 0.5
    ]
    SurveyAnswer.objects.bulk_create(answers)


def delete_service_demo(*, municipality: Municipality) -> None:
    """Before a demo gmina is loaded again: its example requests (never an issued extract's)."""
    SurveyAnswer.objects.filter(municipality=municipality).delete()
    ExtractRequest.objects.filter(municipality=municipality, extract__isnull=True).delete()
