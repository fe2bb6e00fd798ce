"""Charts as inline SVG drawn on the server: no script, no external request, readable without colour.

Each chart has a title and a description for screen readers, and every bar a <title> with its value;
the same figures are in the table below it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT, PAD = 720, 220, 36


def bar_chart(
    *, title: str, points: Sequence[tuple[str, float]], unit: str = "", label_every: int = 1
) -> SafeString:
    """Bars for ``points`` (label, value); a zero line and the maximum on the axis."""
    top = max((v for _l, v in points), default=0) or 1
    step = (WIDTH - 2 * PAD) / max(len(points), 1)
    bars = []
    for i, (label, value) in enumerate(points):
        h = (HEIGHT - 2 * PAD) * value / top
        x = PAD + i * step
        y = HEIGHT - PAD - h
        bars.append(
            f'<rect x="{x + 1:.1f}" y="{y:.1f}" width="{max(step - 2, 1):.1f}" height="{h:.1f}">'
            f"<title>{escape(label)}: {value:g}{escape(unit)}</title></rect>"
        )
        if i % label_every == 0:
            bars.append(
                f'<text x="{x + step / 2:.1f}" y="{HEIGHT - PAD + 14}" '
                f'text-anchor="middle">{escape(label)}</text>'
            )
    return mark_safe(  # noqa: S308  (every text above is escaped)
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(title)}</title>"
        f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" y2="{HEIGHT - PAD}" class="axis"/>'
        f'<text x="{PAD - 4}" y="{PAD}" text-anchor="end">{top:g}</text>'
        f'<text x="{PAD - 4}" y="{HEIGHT - PAD}" text-anchor="end">0</text>'
        + "".join(bars)
        + "</svg>"
    )


def week_label(monday: dt.date) -> str:
    return monday.strftime("%d.%m")
