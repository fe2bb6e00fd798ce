"""The signed link that asks a resident, once, how satisfied he is with submitting a comment.

Shown on the comment's confirmation page and in its confirmation e-mail; the token is
layers/survey_tokens.py (monitoring records the answer: consultation never imports it).
"""

from __future__ import annotations

from consultation.models import Comment
from layers import survey_tokens


def comment_survey_url(*, comment: Comment, absolute: bool = False) -> str:
    return survey_tokens.survey_url(
        service=survey_tokens.COMMENT, subject_id=comment.pk, absolute=absolute
    )


def surveyed_comment(subject_id: int) -> Comment | None:
    """The confirmed (stored) comment a survey token names, with its gmina and consultation."""
    return (
        Comment.objects.filter(pk=subject_id).select_related("municipality", "consultation").first()
    )
