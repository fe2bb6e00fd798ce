"""The signed one-time link of the satisfaction survey, shared by every service that asks.

The app that served the person (extracts after an issue, consultation after a comment) builds the
link here, and monitoring, which records the answer, reads it back here: neither has to import the
other (pyproject.toml, import-linter). The token signs ``(service, case number)`` with a salt of its
own (django.core.signing), so it cannot be made up or reused for another purpose or another service;
that it is answered once is the survey's unique key (monitoring.SurveyAnswer).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "extracts.survey.v1"  # the first service's salt: links already sent keep working
MAX_AGE = 90 * 86400  # the question stays open for 90 days
EXTRACT = "extract"  # a certified extract, asked after the issue
COMMENT = "comment"  # a consultation comment, asked after its confirmation
SERVICES = (EXTRACT, COMMENT)


@dataclass(frozen=True)
class SurveySubject:
    service: str
    subject_id: int


def survey_token(*, service: str, subject_id: int) -> str:
    if service not in SERVICES:
        raise ValueError(f"no survey for the service {service!r}")
    return signing.dumps({"s": service, "r": subject_id}, salt=SALT)


def survey_url(*, service: str, subject_id: int, absolute: bool = False) -> str:
    path = reverse("survey", kwargs={"token": survey_token(service=service, subject_id=subject_id)})
    return settings.SITE_URL + path if absolute else path


def survey_subject(token: str) -> SurveySubject | None:
    """The service and case a token names; None for a forged, expired or malformed token."""
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("s") not in SERVICES:
        return None
    subject_id = data.get("r")
    if not isinstance(subject_id, int) or isinstance(subject_id, bool):
        return None
    return SurveySubject(service=data["s"], subject_id=subject_id)
