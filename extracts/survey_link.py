"""The signed link that asks a requester, once, how satisfied he is with an issued extract.

The token itself is layers/survey_tokens.py (shared with the consultation comments' question).
"""

from __future__ import annotations

from extracts.models import ExtractRequest
from layers import survey_tokens
from layers.survey_tokens import SALT

__all__ = ["SALT", "survey_token", "survey_url", "surveyed_request"]


def survey_token(*, req: ExtractRequest) -> str:
    return survey_tokens.survey_token(service=survey_tokens.EXTRACT, subject_id=req.pk)


def survey_url(*, req: ExtractRequest, absolute: bool = False) -> str:
    return survey_tokens.survey_url(
        service=survey_tokens.EXTRACT, subject_id=req.pk, absolute=absolute
    )


def surveyed_request(subject_id: int) -> ExtractRequest | None:
    """The issued request a survey token names (None while it is not issued)."""
    return (
        ExtractRequest.objects.filter(pk=subject_id, status=ExtractRequest.Status.ISSUED)
        .select_related("municipality")
        .first()
    )
