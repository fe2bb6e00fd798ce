"""Satisfaction survey answers: one per served case, given through a signed one-time link."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from layers import survey_tokens
from layers.models import Municipality, TenantQuerySet


class SurveyAnswer(models.Model):
    """The answer to "how satisfied are you" (1–5) about one case; the unique key makes it once."""

    class Service(models.TextChoices):
        EXTRACT = survey_tokens.EXTRACT, _("certified extract")
        COMMENT = survey_tokens.COMMENT, _("consultation comment")

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="+", verbose_name=_("municipality")
    )
    service = models.CharField(_("service"), max_length=16, choices=Service.choices)
    subject_id = models.BigIntegerField(_("case number"))
    score = models.PositiveSmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), blank=True, max_length=1000)
    answered_at = models.DateTimeField(_("answered"), auto_now_add=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        ordering = ["-answered_at"]
        constraints = [
            models.UniqueConstraint(fields=["service", "subject_id"], name="survey_answer_once"),
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5), name="survey_score_1_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service} {self.subject_id}: {self.score}"
