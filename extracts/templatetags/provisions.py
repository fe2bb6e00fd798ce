"""``{{ text|paragraphs }}``: plan provisions reflowed as paragraphs (extracts.provisions)."""

from __future__ import annotations

from django import template

from extracts.provisions import paragraphs as reflow

register = template.Library()


@register.filter
def paragraphs(text: str) -> list[str]:
    return reflow(text)
