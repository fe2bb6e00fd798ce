"""GetLegendGraphic: one PNG per layer and style (or one rule), drawn from the style's own rules.

The swatches are rendered by Mapnik with exactly the symbolizers the map uses at the requested
SCALE (default 1:1,000), so the legend matches the drawing; Pillow only writes the titles.
"""

from __future__ import annotations

import io
from functools import lru_cache

from django.http import HttpResponse
from PIL import Image, ImageDraw, ImageFont

from layers.models import Municipality
from wms.maps.layer_catalog import get_layer
from wms.maps.map_errors import WmsError
from wms.maps.map_request import Params
from wms.maps.render import render_swatches
from wms.maps.styles import Rule, StyleDef, get_style, symbolizers_at

FONT_FILE = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
SWATCH = (28, 18)
GAP = 6
PAD = 4
TEXT_GAP = 8
DEFAULT_SCALE = 1000.0


@lru_cache(maxsize=1)
def _font() -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(FONT_FILE, 12)


def legend_rules(style: StyleDef, scale: float) -> list[tuple[Rule, str]]:
    """(rule, symbolizer XML) rows of the legend at ``scale``; rules that draw nothing are left out."""
    common = "".join(symbolizers_at(style.common_rule(), scale)) if style.common else ""
    rows = []
    for rule in style.rules:
        own = symbolizers_at(rule, scale)
        if own:
            rows.append((rule, own + common))
    if not rows and common:
        rows.append((Rule("kontur", "granica terenu", None, ()), common))
    return rows


# kept per style and scale: text measured with the font, the same for every layer of a kind (a
# platform capabilities document of thousands of gminy asks it for every layer)
@lru_cache(maxsize=256)
def legend_size(style: StyleDef, scale: float = DEFAULT_SCALE) -> tuple[int, int]:
    rows = legend_rules(style, scale)
    text = max((_font().getlength(rule.title) for rule, _xml in rows), default=0)
    width = PAD * 2 + SWATCH[0] + TEXT_GAP + int(text) + 1
    height = PAD * 2 + len(rows) * (SWATCH[1] + GAP) - GAP if rows else SWATCH[1]
    return width, max(height, 1)


def _swatch_style(rows: list[tuple[Rule, str]]) -> str:
    return "".join(
        f"<Rule><Filter>[row] = {n}</Filter>{xml}</Rule>" for n, (_r, xml) in enumerate(rows)
    )


def legend_png(
    *, style: StyleDef, scale: float, rule_name: str | None, size: tuple[int, int] | None
) -> bytes:
    rows = legend_rules(style, scale)
    if rule_name:
        rows = [(r, xml) for r, xml in rows if r.name == rule_name]
        if not rows:
            raise WmsError(
                "InvalidParameterValue",
                f"RULE={rule_name} is not a rule of this style",
                locator="RULE",
            )
        swatch = size or SWATCH
        png = render_swatches(
            style_xml=_swatch_style(rows), geometry=rows[0][0].geometry, count=1, size=swatch, gap=0
        )
        return png
    width, height = legend_size(style, scale)
    canvas = Image.new("RGBA", (width, height), (255, 255, 255, 255))
    draw = ImageDraw.Draw(canvas)
    for n, (rule, xml) in enumerate(rows):
        top = PAD + n * (SWATCH[1] + GAP)
        png = render_swatches(
            style_xml=_swatch_style([(rule, xml)]),
            geometry=rule.geometry,
            count=1,
            size=SWATCH,
            gap=0,
        )
        swatch = Image.open(io.BytesIO(png)).convert("RGBA")
        canvas.alpha_composite(swatch, (PAD, top))
        draw.text(
            (PAD + SWATCH[0] + TEXT_GAP, top + 2), rule.title, fill=(0, 0, 0, 255), font=_font()
        )
    buf = io.BytesIO()
    canvas.save(buf, "PNG")
    return buf.getvalue()


def _scale(params: Params) -> float:
    raw = params.get("SCALE").strip()
    if not raw:
        return DEFAULT_SCALE
    try:
        value = float(raw)
    except ValueError as exc:
        raise WmsError(
            "InvalidParameterValue", f"SCALE={raw} is not a number", locator="SCALE"
        ) from exc
    if not value > 0:
        raise WmsError("InvalidParameterValue", f"SCALE={raw} must be positive", locator="SCALE")
    return value


def _size(params: Params) -> tuple[int, int] | None:
    if not (params.get("WIDTH") or params.get("HEIGHT")):
        return None
    try:
        width, height = (
            int(params.get("WIDTH") or SWATCH[0]),
            int(params.get("HEIGHT") or SWATCH[1]),
        )
    except ValueError as exc:
        raise WmsError(
            "InvalidParameterValue", "WIDTH/HEIGHT must be whole numbers", locator="WIDTH"
        ) from exc
    if not (0 < width <= 512 and 0 < height <= 512):
        raise WmsError(
            "InvalidParameterValue", "legend WIDTH/HEIGHT must be 1..512", locator="WIDTH"
        )
    return width, height


def legend_response(*, params: Params, municipality: Municipality | None) -> HttpResponse:
    name = params.require("LAYER")
    cat = get_layer(municipality=municipality, name=name)
    style = get_style(cat.kind, params.get("STYLE").strip())
    if style is None:
        raise WmsError(
            "StyleNotDefined", f"layer {name} has no style {params.get('STYLE')!r}", locator="STYLE"
        )
    fmt = (params.get("FORMAT") or "image/png").strip().lower()
    if fmt != "image/png":
        raise WmsError("InvalidFormat", f"FORMAT={fmt}: legends are image/png", locator="FORMAT")
    body = legend_png(
        style=style,
        scale=_scale(params),
        rule_name=params.get("RULE").strip() or None,
        size=_size(params),
    )
    return HttpResponse(body, content_type="image/png")
