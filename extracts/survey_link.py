"""The signed link that asks a requester, once, how satisfied he is with an issued extract.

The token signs the request's number with a salt of its own (django.core.signing), so it cannot be
made up or reused for another purpose; that it is answered once is the survey's unique key.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

from extracts.models import ExtractRequest

SALT = "extracts.survey.v1"
MAX_AGE = 90 * 86400  # the question stays open for 90 days after the issue


def survey_token(*, req: ExtractRequest) -> str:
    return signing.dumps({"s": "extract", "r": req.pk}, salt=SALT)


def survey_url(*, req: ExtractRequest, absolute: bool = False) -> str:
    path = reverse("survey", kwargs={"token": survey_token(req=req)})
    return settings.SITE_URL + path if absolute else path


def surveyed_request(token: str) -> ExtractRequest | None:
    """The issued request a token names; None for a forged, expired or foreign token."""
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("s") != "extract":
        return None
    return (
        ExtractRequest.objects.filter(pk=data.get("r"), status=ExtractRequest.Status.ISSUED)
        .select_related("municipality")
        .first()
    )
