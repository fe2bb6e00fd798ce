"""Tenant-first lookups: every gmina-owned object is fetched *within* its gmina.

Views never do ``Model.objects.get(pk=…)`` on gmina-owned models; they call
``get_for_municipality_or_404(Model, municipality, pk=…)``, so another gmina's object is a 404.
The gmina itself comes from the URL's slug through ``get_municipality_or_404``.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models
from django.http import Http404
from django.shortcuts import get_object_or_404

from layers.models import Municipality

M = TypeVar("M", bound=models.Model)


def get_municipality_or_404(slug: str) -> Municipality:
    """The active gmina with this slug, or Http404."""
    return get_object_or_404(Municipality, slug=slug, is_active=True)


def get_for_municipality_or_404(
    model_or_qs: type[M] | models.QuerySet[M], municipality: Municipality, **lookup: Any
) -> M:
    """One object of ``municipality`` matching ``lookup``, or Http404 (also for another gmina's)."""
    qs = (
        model_or_qs
        if isinstance(model_or_qs, models.QuerySet)
        else model_or_qs._default_manager.all()
    )
    try:
        return qs.filter(municipality=municipality).get(**lookup)
    except (qs.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404(f"No {qs.model._meta.verbose_name} here") from exc
