"""Map styles of the WMS layers, built from the one palette file ``wms/maps/palette.json``.

A style is a list of named rules (one per drawing class); the same rules give the Mapnik style XML
(``style_xml``), the legend (``wms/maps/legend.py`` renders each rule's symbolizers through Mapnik) and the
capabilities' style list, so the legend matches the drawing exactly.

Zones are classed in SQL (``zone_class_sql``): exact symbol, then the POG zone kind, then the first
letter of the symbol, else ``other``. The constants come from the palette file, never from requests.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from django.utils.translation import gettext_lazy as _

from wms.core.extra_layers import get_extra

PALETTE_FILE = Path(__file__).resolve().parent / "palette.json"
PATTERN_DIR = Path(__file__).resolve().parent / "patterns"
FONT = "DejaVu Sans Book"
FONT_BOLD = "DejaVu Sans Bold"
SAFE_CONSTANT = re.compile(r"^[A-Za-z0-9/,.\- ]+$")

ZONES = "plan_zones"
PARCELS = "parcels"
PRECINCTS = "precincts"
BOUNDARIES = "plan_boundaries"
REGULATIONS = "regulations"
RASTER = "raster"
BASEMAP = "basemap"


@lru_cache(maxsize=1)
def palette() -> dict:
    with PALETTE_FILE.open(encoding="utf-8") as fh:
        return json.load(fh)


def mm(value: float) -> float:
    """Millimetres on the map -> pixels at the OGC 0.28 mm pixel."""
    return round(value / palette()["pixel_mm"], 2)


@dataclass(frozen=True)
class Rule:
    """One drawing class: its name (RULE in GetLegendGraphic), title and Mapnik symbolizers."""

    name: str
    title: str
    filter: str | None  # Mapnik filter expression, or None for every feature
    symbolizers: tuple[tuple[float | None, float | None, str], ...]  # (min scale, max scale, xml)
    geometry: str = "polygon"  # swatch shape in the legend: polygon or line

    def rules_xml(self, scale: float | None = None) -> str:
        """Mapnik <Rule> elements for this class (one per scale band)."""
        filt = f"<Filter>{escape(self.filter)}</Filter>" if self.filter else ""
        bands: dict[tuple[float | None, float | None], list[str]] = {}
        for lo, hi, xml in self.symbolizers:
            if scale is not None and not _in_range(scale, lo, hi):
                continue
            key = (None, None) if scale is not None else (lo, hi)
            bands.setdefault(key, []).append(xml)
        out = []
        for (lo, hi), xmls in bands.items():
            limits = (f"<MinScaleDenominator>{lo}</MinScaleDenominator>" if lo else "") + (
                f"<MaxScaleDenominator>{hi}</MaxScaleDenominator>" if hi else ""
            )
            out.append(f"<Rule>{limits}{filt}{''.join(xmls)}</Rule>")
        return "".join(out)


@dataclass(frozen=True)
class StyleDef:
    kind: str
    name: str
    title: str
    rules: tuple[Rule, ...]
    labels: tuple[Rule, ...] = ()
    # symbolizers drawn for every feature after its class rule (outlines shared by all classes)
    common: tuple[tuple[float | None, float | None, str], ...] = ()

    def common_rule(self) -> Rule:
        return Rule(name="_common", title="", filter=None, symbolizers=self.common)

    def rule(self, name: str) -> Rule | None:
        return next((r for r in self.rules if r.name == name), None)


def _in_range(scale: float, lo: float | None, hi: float | None) -> bool:
    return (lo is None or scale >= lo) and (hi is None or scale < hi)


def _line(color: str, width: float, dash: list[float] | None = None) -> str:
    dash_attr = f' stroke-dasharray="{",".join(str(d) for d in dash)}"' if dash else ""
    return f'<LineSymbolizer stroke="{color}" stroke-width="{width}"{dash_attr}/>'


def _fill(color: str, opacity: float = 1.0) -> str:
    return f'<PolygonSymbolizer fill="{color}" fill-opacity="{opacity}" gamma="0.7"/>'


def marker_xml(color: str, size: float, stroke: str = "#ffffff") -> str:
    """A round marker (points; the inside of an area) for styles of registered layers."""
    return (
        f'<MarkersSymbolizer fill="{color}" width="{size}" height="{size}" stroke="{stroke}" '
        'stroke-width="1.5" allow-overlap="true" placement="interior"/>'
    )


line_xml = _line
fill_xml = _fill


def label_xml(expression: str, *, size: float, color: str, halo: str = "#ffffff") -> str:
    """A bold label; ``expression`` is a Mapnik text expression (``'PROJEKT ' + [oznaczenie]``)."""
    return _text(field="", size=size, color=color, halo=halo, font=FONT_BOLD).replace(
        "[]", escape(expression)
    )


def _pattern(name: str) -> str:
    return f"<PolygonPatternSymbolizer file={quoteattr(str(PATTERN_DIR / name))}/>"


pattern_xml = _pattern  # a file of wms/maps/patterns


def _text(field: str, *, size: float, color: str, halo: str, font: str = FONT) -> str:
    return (
        f'<TextSymbolizer face-name="{font}" size="{size}" fill="{color}" halo-fill="{halo}" '
        f'halo-radius="2" halo-rasterizer="fast" placement="interior" allow-overlap="false" clip="false" '
        f'margin="2">[{field}]</TextSymbolizer>'
    )


def _zone_outline() -> tuple[tuple[float | None, float | None, str], ...]:
    o = palette()["zones"]["outline"]
    edge = o["large_scale_max"]
    return (
        (None, edge, _line(o["color"], mm(o["width_mm_large"]))),
        (edge, None, _line(o["color"], mm(o["width_mm_small"]))),
    )


def zone_classes() -> list[dict]:
    zones = palette()["zones"]
    return [*zones["classes"], zones["other"]]


def _zone_rules(*, filled: bool) -> tuple[Rule, ...]:
    rules = []
    for cls in zone_classes():
        symbolizers: list[tuple[float | None, float | None, str]] = []
        if filled:
            symbolizers.append((None, None, _fill(cls["fill"])))
            if cls.get("pattern"):
                symbolizers.append((None, None, _pattern(cls["pattern"])))
        symbols = ", ".join(cls.get("symbols", [])[:4] + cls.get("pog_zone_kinds", []))
        title = f"{cls['title_pl']} ({symbols})" if symbols else cls["title_pl"]
        rules.append(
            Rule(
                name=cls["key"],
                title=title,
                filter=f"[cls] = '{cls['key']}'",
                symbolizers=tuple(symbolizers),
            )
        )
    return tuple(rules)


def _zone_labels() -> tuple[Rule, ...]:
    label = palette()["zones"]["label"]
    return (
        Rule(
            name="oznaczenie",
            title=str(_("zone designation")),
            filter=None,
            symbolizers=(
                (
                    None,
                    label["max_scale"],
                    _text(
                        "designation",
                        size=mm(label["size_mm"]),
                        color=label["color"],
                        halo=label["halo"],
                        font=FONT_BOLD,
                    ),
                ),
            ),
        ),
    )


def _parcel_rules() -> tuple[tuple[Rule, ...], tuple[Rule, ...]]:
    p = palette()["parcels"]
    lab = p["label"]
    rules = (
        Rule(
            name="dzialka",
            title=p["title_pl"],
            filter=None,
            symbolizers=((None, None, _line(p["color"], p["width_px"])),),
        ),
    )
    labels = (
        Rule(
            name="numer",
            title=str(_("parcel number")),
            filter=None,
            symbolizers=(
                (
                    None,
                    lab["max_scale"],
                    _text("number", size=lab["size_px"], color=lab["color"], halo=lab["halo"]),
                ),
            ),
        ),
    )
    return rules, labels


def _precinct_rules() -> tuple[tuple[Rule, ...], tuple[Rule, ...]]:
    p = palette()["precincts"]
    lab = p["label"]
    rules = (
        Rule(
            name="obreb",
            title=p["title_pl"],
            filter=None,
            symbolizers=((None, None, _line(p["color"], p["width_px"], p["dash_px"])),),
            geometry="line",
        ),
    )
    labels = (
        Rule(
            name="nazwa",
            title=str(_("precinct name")),
            filter=None,
            symbolizers=(
                (
                    None,
                    lab["max_scale"],
                    _text("name", size=lab["size_px"], color=lab["color"], halo=lab["halo"]),
                ),
            ),
        ),
    )
    return rules, labels


def _boundary_rules() -> tuple[Rule, ...]:
    b = palette()["boundaries"]
    return (
        Rule(
            name="granica",
            title=b["title_pl"],
            filter=None,
            symbolizers=((None, None, _line(b["color"], mm(b["width_mm"]))),),
            geometry="line",
        ),
    )


def _regulation_rules() -> tuple[Rule, ...]:
    reg = palette()["regulations"]
    o = reg["outline"]
    edge = o["large_scale_max"]
    dash_large = [mm(d) for d in o["dash_mm_large"]]
    dash_small = [mm(d) for d in o["dash_mm_small"]]
    rules = []
    for cls in reg["classes"]:
        rules.append(
            Rule(
                name=cls["key"],
                title=cls["title_pl"],
                filter=f"[cls] = '{cls['key']}'",
                symbolizers=(
                    (None, None, _pattern(cls["pattern"])),
                    (None, edge, _line(o["color"], mm(o["width_mm_large"]), dash_large)),
                    (edge, None, _line(o["color"], mm(o["width_mm_small"]), dash_small)),
                ),
            )
        )
    return tuple(rules)


def _basemap_style(name: str, title: str) -> StyleDef:
    """The muted offline background: one feature list (column ``part``) drawn bottom to top."""
    b = palette()["basemap"]
    gmina, precincts, parcels, plans = b["gmina"], b["precincts"], b["parcels"], b["plans"]
    edge = _line(gmina["color"], gmina["width_px"])

    def part(key: str) -> str:
        return f"[part] = '{key}'"

    def label(spec: dict) -> tuple[float | None, float | None, str]:
        text = _text("label", size=spec["size_px"], color=spec["color"], halo=spec["halo"])
        return spec.get("min_scale"), spec.get("max_scale"), text

    rules = (
        Rule("gmina", gmina["title_pl"], part("gmina"), ((None, None, _fill(gmina["fill"])),)),
        Rule(
            "obreb",
            precincts["title_pl"],
            part("obreb"),
            (
                (None, None, _fill(precincts["fill"])),
                (
                    None,
                    None,
                    _line(precincts["color"], precincts["width_px"], precincts["dash_px"]),
                ),
            ),
        ),
        Rule(
            "dzialka",
            parcels["title_pl"],
            part("dzialka"),
            ((None, parcels["max_scale"], _line(parcels["color"], parcels["width_px"])),),
            geometry="line",
        ),
        Rule(
            "plan",
            plans["title_pl"],
            part("plan"),
            ((None, None, _line(plans["color"], plans["width_px"])),),
            geometry="line",
        ),
    )
    labels = (
        # the gmina's edge on top of its precincts, then the names; the precincts' names are the
        # `obreby` layer's (drawn over this one on the map page: the same name twice would overprint)
        Rule("granica_gminy", "", part("gmina"), ((None, None, edge), label(gmina["label"]))),
        Rule("ulica", str(_("street name")), part("ulica"), (label(b["streets"]["label"]),)),
    )
    return StyleDef(BASEMAP, name, title, rules, labels)


@lru_cache(maxsize=1)
def _styles() -> dict[str, dict[str, StyleDef]]:
    parcel_rules, parcel_labels = _parcel_rules()
    precinct_rules, precinct_labels = _precinct_rules()
    default = str(_("default"))
    outline = _zone_outline()
    return {
        ZONES: {
            "default": StyleDef(
                ZONES, "default", default, _zone_rules(filled=True), _zone_labels(), outline
            ),
            "kontur": StyleDef(
                ZONES,
                "kontur",
                str(_("outlines only")),
                _zone_rules(filled=False),
                _zone_labels(),
                outline,
            ),
        },
        PARCELS: {"default": StyleDef(PARCELS, "default", default, parcel_rules, parcel_labels)},
        PRECINCTS: {
            "default": StyleDef(PRECINCTS, "default", default, precinct_rules, precinct_labels)
        },
        BOUNDARIES: {"default": StyleDef(BOUNDARIES, "default", default, _boundary_rules())},
        REGULATIONS: {"default": StyleDef(REGULATIONS, "default", default, _regulation_rules())},
        RASTER: {"default": StyleDef(RASTER, "default", default, ())},
        BASEMAP: {"default": _basemap_style("default", default)},
    }


def _kind_styles(kind: str) -> dict[str, StyleDef]:
    extra = get_extra(kind)
    if extra is not None:  # a layer registered by an app above wms: its one style
        return {"default": extra.style}
    return _styles().get(kind, {})


def styles_of(kind: str) -> list[StyleDef]:
    return list(_kind_styles(kind).values())


def get_style(kind: str, name: str) -> StyleDef | None:
    """The style ``name`` of a layer kind; an empty name or "default" is the default style."""
    return _kind_styles(kind).get(name or "default")


@lru_cache(maxsize=64)
def style_xml(style: StyleDef, *, labels: bool = True) -> tuple[str, str]:
    """(drawing rules XML, label rules XML) for a Mapnik <Style>; labels may be ''."""
    body = "".join(r.rules_xml() for r in style.rules)
    if style.common:
        body += style.common_rule().rules_xml()
    label_xml = "".join(r.rules_xml() for r in style.labels) if labels else ""
    return body, label_xml


# -- SQL classing of zones -------------------------------------------------------------------


def _quote(value: str) -> str:
    if not SAFE_CONSTANT.match(value):
        raise ValueError(f"unexpected character in palette constant {value!r}")
    return f"'{value}'"


def _names(cls: dict) -> list[str]:
    return [*cls.get("symbols", []), *cls.get("pog_zone_kinds", [])]


@lru_cache(maxsize=4)
def zone_class_sql(symbol: str = "z.symbol", zone_kind: str = "z.zone_kind") -> tuple[str, str]:
    """(LEFT JOIN clauses, class expression) giving a zone's drawing class key in SQL.

    Hash joins against VALUES lists built from the palette: exact symbol, POG zone kind, first
    letter, else ``other``. (A CASE with ~100 branches cost 30 ms to plan and 10 µs per row.)
    """
    zones = palette()["zones"]
    norm = f"upper(replace({symbol}, ' ', ''))"
    exact: dict[str, str] = {}
    for cls in zones["classes"]:
        for name in _names(cls):
            exact.setdefault(name, cls["key"])
    kinds = {k: cls["key"] for cls in zones["classes"] for k in cls.get("pog_zone_kinds", [])}

    def values(pairs: dict[str, str]) -> str:
        return ", ".join(f"({_quote(a)}, {_quote(b)})" for a, b in pairs.items())

    joins = (
        f" LEFT JOIN (VALUES {values(exact)}) AS pal_s(sym, key) ON pal_s.sym = {norm}"
        f" LEFT JOIN (VALUES {values(kinds)}) AS pal_k(kind, key) ON pal_k.kind = {zone_kind}"
        f" LEFT JOIN (VALUES {values(zones['letter_fallback'])}) AS pal_l(letter, key)"
        f" ON pal_l.letter = left({norm}, 1)"
    )
    expr = f"COALESCE(pal_s.key, pal_k.key, pal_l.key, {_quote(zones['other']['key'])})"
    return joins, expr


def zone_class_of(symbol: str, zone_kind: str = "") -> str:
    """The same classing in Python (legend look-ups, tests)."""
    zones = palette()["zones"]
    norm = (symbol or "").replace(" ", "").upper()
    for cls in zones["classes"]:
        if norm in _names(cls):
            return cls["key"]
    for cls in zones["classes"]:
        if zone_kind and zone_kind in cls.get("pog_zone_kinds", []):
            return cls["key"]
    return zones["letter_fallback"].get(norm[:1], zones["other"]["key"])


def zone_fill(key: str) -> str:
    return next(c["fill"] for c in zone_classes() if c["key"] == key)


def symbolizers_at(rule: Rule, scale: float) -> str:
    """The symbolizer XML of ``rule`` that applies at ``scale`` (legends)."""
    return "".join(xml for lo, hi, xml in rule.symbolizers if _in_range(scale, lo, hi))
