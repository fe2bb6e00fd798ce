"""The satisfaction question behind a signed link: which case it asks about, and the one answer.

The token (layers/survey_tokens.py) names a service and a case; the case must exist in the state
the question follows (an issued extract, a stored consultation comment), else the link is invalid.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from consultation.survey_link import surveyed_comment
from extracts.survey_link import surveyed_request
from layers import survey_tokens
from layers.models import Municipality
from monitoring.models import SurveyAnswer

QUESTIONS = {
    survey_tokens.EXTRACT: _("How satisfied are you with how your request was handled?"),
    survey_tokens.COMMENT: _("How satisfied are you with how you could submit your comment?"),
}


@dataclass(frozen=True)
class SurveyedCase:
    service: str
    subject_id: int
    municipality: Municipality
    subject: object  # the ExtractRequest or the Comment, for the page's first sentence

    @property
    def question(self) -> str:
        return QUESTIONS[self.service]

    def is_answered(self) -> bool:
        return SurveyAnswer.objects.filter(
            service=self.service, subject_id=self.subject_id
        ).exists()


def surveyed_case(token: str) -> SurveyedCase | None:
    """The case a survey token asks about; None for a bad token or a case not (yet) asked about."""
    named = survey_tokens.survey_subject(token)
    if named is None:
        return None
    if named.service == survey_tokens.EXTRACT:
        subject = surveyed_request(named.subject_id)
    else:
        subject = surveyed_comment(named.subject_id)
    if subject is None:
        return None
    return SurveyedCase(named.service, named.subject_id, subject.municipality, subject)


def record_answer(*, case: SurveyedCase, score: int, comment: str) -> bool:
    """Store the one answer; False if the case was answered already (the unique key decides)."""
    try:
        with transaction.atomic():
            SurveyAnswer.objects.create(
                municipality=case.municipality,
                service=case.service,
                subject_id=case.subject_id,
                score=score,
                comment=comment,
            )
    except IntegrityError:  # answered before, or a second tab answered first
        return False
    return True
