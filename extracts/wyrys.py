"""The wyrys: map excerpts at the plan's own scale, rendered through wms.maps.render (Mapnik).

A sheet is A4 portrait with a map frame of ``FRAME_MM``. At scale 1:S one millimetre of the frame is
S/1000 metres on the ground, so the frame covers a fixed ground extent; parcels that do not fit are
tiled over several sheets (never rescaled, EXTRACTS.md §4.3). The legend lists exactly the zone
symbols drawn on the sheets. Colours: the portal's palette via wms.maps.styles (DESIGN.md §5).
"""

from __future__ import annotations

import base64
import math
from dataclasses import dataclass, field

from django.contrib.gis.geos import Polygon

from layers.models import Parcel
from plans.models import Plan, PlanZone
from wms.maps.render import LayerSpec, render_map
from wms.maps.styles import zone_class_of, zone_fill

FRAME_MM = (180.0, 165.0)  # width, height of the map frame on an A4 portrait sheet
DPI = 200
SCALES = (1000, 2000, 5000, 10000)
SUBJECT_COLOUR = "#e6007e"  # not used by the planning palette
MARGIN_M = 8.0


def colour_for(zone: PlanZone) -> str:
    """The zone's fill from the portal's one palette (wms/maps/styles.py, wms/maps/palette.json)."""
    return zone_fill(zone_class_of(zone.symbol or zone.designation, zone.zone_kind))


def legend_key(zone: PlanZone) -> str:
    return zone.zone_kind or zone.symbol or zone.designation


@dataclass(frozen=True)
class LegendEntry:
    symbol: str
    name: str
    colour: str


@dataclass
class Sheet:
    bbox: tuple[float, float, float, float]
    png: bytes

    @property
    def data_uri(self) -> str:
        return "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")


@dataclass
class Wyrys:
    plan: Plan
    scale: int
    sheets: list[Sheet] = field(default_factory=list)
    legend: list[LegendEntry] = field(default_factory=list)
    frame_mm: tuple[float, float] = FRAME_MM

    @property
    def scale_bar(self) -> dict:
        """A scale bar of a round length about a quarter of the frame: metres and millimetres."""
        ground_width = self.frame_mm[0] * self.scale / 1000
        target = ground_width / 4
        step = 10 ** math.floor(math.log10(target))
        metres = max(m for m in (step, 2 * step, 5 * step) if m <= target)
        metres = int(metres) if metres >= 1 else metres
        mm = metres * 1000 / self.scale
        return {
            "metres": metres,
            "mm": mm,
            "half_mm": mm / 2,
            "end_x": mm + 1,  # the bar starts 1 mm into its SVG, so "0" is not cut
            "svg_width_mm": mm + 12,  # room for the end label, which never wraps
        }


def sheet_boxes(
    extent: tuple[float, float, float, float], *, scale: int, frame_mm=FRAME_MM
) -> list[tuple[float, float, float, float]]:
    """Ground boxes of the sheets covering ``extent`` at ``scale``: one centred, or a grid."""
    width, height = (frame_mm[0] * scale / 1000, frame_mm[1] * scale / 1000)
    x0, y0, x1, y1 = extent
    x0, y0, x1, y1 = x0 - MARGIN_M, y0 - MARGIN_M, x1 + MARGIN_M, y1 + MARGIN_M
    cols = max(1, math.ceil((x1 - x0) / width))
    rows = max(1, math.ceil((y1 - y0) / height))
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    left, top = cx - cols * width / 2, cy + rows * height / 2
    return [
        (
            left + c * width,
            top - (r + 1) * height,
            left + (c + 1) * width,
            top - r * height,
        )
        for r in range(rows)
        for c in range(cols)
    ]


def plan_scale(plan: Plan) -> int:
    """The plan's own drawing scale; MPZP default 1:1000, plan ogólny 1:10 000 (EXTRACTS.md §3.4)."""
    if plan.drawing_scale:
        return plan.drawing_scale
    return 10000 if plan.kind == Plan.Kind.POG else 1000


def _ids(values) -> str:
    return ",".join(str(int(v)) for v in values) or "0"


def _px(mm: float, dpi: int) -> str:
    return f"{mm / 25.4 * dpi:.1f}"


def _zone_style(zones: list[PlanZone], dpi: int) -> str:
    by_colour: dict[str, list[int]] = {}
    for zone in zones:
        by_colour.setdefault(colour_for(zone), []).append(zone.pk)
    rules = "".join(
        '<Rule><Filter>{}</Filter><PolygonSymbolizer fill="{}"/></Rule>'.format(
            " or ".join(f"[zid] = {int(pk)}" for pk in pks), colour
        )
        for colour, pks in by_colour.items()
    )
    return (
        rules + f'<Rule><LineSymbolizer stroke="#000000" stroke-width="{_px(0.25, dpi)}"/></Rule>'
    )


def _zone_label_style(dpi: int) -> str:
    return (
        f'<Rule><TextSymbolizer face-name="DejaVu Sans Bold" size="{_px(3.0, dpi)}" '
        f'fill="#000000" halo-fill="#ffffff" halo-radius="{_px(0.4, dpi)}" '
        'placement="interior">[designation]</TextSymbolizer></Rule>'
    )


def _parcel_style(dpi: int) -> str:
    return (
        f'<Rule><LineSymbolizer stroke="#555555" stroke-width="{_px(0.15, dpi)}"/>'
        f'<TextSymbolizer face-name="DejaVu Sans Oblique" size="{_px(2.2, dpi)}" fill="#333333" '
        f'halo-fill="#ffffff" halo-radius="{_px(0.3, dpi)}" placement="interior">[number]'
        "</TextSymbolizer></Rule>"
    )


def _subject_style(dpi: int) -> str:
    """The subject parcel's outline and its number, placed before the zone labels (which then
    keep clear of it), so the number, not the zone's label, sits on the parcel."""
    width = _px(0.8, dpi)
    return (
        f'<Rule><LineSymbolizer stroke="{SUBJECT_COLOUR}" stroke-width="{width}"/>'
        f'<TextSymbolizer face-name="DejaVu Sans Bold" size="{_px(3.0, dpi)}" '
        f'fill="{SUBJECT_COLOUR}" halo-fill="#ffffff" halo-radius="{_px(0.5, dpi)}" '
        'placement="interior" allow-overlap="true">[number]</TextSymbolizer></Rule>'
    )


def _boundary_style(dpi: int) -> str:
    dash = ",".join(_px(mm, dpi) for mm in (3, 1, 0.5, 1))
    return (
        f'<Rule><LineSymbolizer stroke="#000000" stroke-width="{_px(0.5, dpi)}" '
        f'stroke-dasharray="{dash}"/></Rule>'
    )


def _areas_only(*, geom: str, columns: str, rest: str) -> str:
    """Mapnik's datasource: ``geom`` (a clip or a cut) with ``columns`` ``rest``, only the areas
    kept: a clip can leave an empty polygon (a zone wholly inside the subject parcel, cut away for
    its label) or a line (a parcel touching the sheet's edge), and Mapnik stops the whole drawing
    at an empty polygon ("Exterior ring must be initialized")."""
    return (
        f"(SELECT * FROM (SELECT ST_CollectionExtract({geom}, 3) AS geom, {columns} {rest}) AS a"  # noqa: S608 (callers' integers only)
        " WHERE NOT ST_IsEmpty(a.geom)) AS t"
    )


def _layers(
    *, plan: Plan, zones: list[PlanZone], parcels: list[Parcel], dpi: int
) -> list[LayerSpec]:
    # geometries clipped to the sheet (!bbox!, Mapnik's token) so that labels land inside it
    muni = int(plan.municipality_id)
    subject = _ids(p.pk for p in parcels)
    zone_ids = _ids(z.pk for z in zones)  # integers only: the SQL below holds no outside text
    return [
        LayerSpec(
            "zones",
            _areas_only(
                geom="ST_Intersection(geom, !bbox!)",
                columns="id AS zid, designation",
                rest=f"FROM plans_planzone WHERE id IN ({zone_ids}) AND geom && !bbox!",
            ),
            _zone_style(zones, dpi),
        ),
        LayerSpec(
            "parcels",
            _areas_only(
                geom="ST_Intersection(geom, !bbox!)",
                columns="number",
                rest=f"FROM layers_parcel WHERE municipality_id = {muni} AND valid_to IS NULL AND geom && !bbox! AND id NOT IN ({subject})",
            ),
            _parcel_style(dpi),
        ),
        LayerSpec(
            "boundary",
            f"(SELECT ST_Boundary(boundary) AS geom FROM plans_plan WHERE id = {int(plan.pk)} AND boundary IS NOT NULL) AS t",  # noqa: S608 (integers only)
            _boundary_style(dpi),
        ),
        LayerSpec(
            "subject",
            f"(SELECT geom, number FROM layers_parcel WHERE id IN ({subject})) AS t",  # noqa: S608 (integers only)
            _subject_style(dpi),
        ),
        # zone labels last, on the zones minus the subject parcels: never on the parcel's number
        LayerSpec(
            "zone_labels",
            _areas_only(
                geom=f"ST_Difference(ST_Intersection(geom, !bbox!), (SELECT ST_Union(geom) FROM layers_parcel WHERE id IN ({subject})))",  # noqa: S608 (integers only)
                columns="designation",
                rest=f"FROM plans_planzone WHERE id IN ({zone_ids}) AND geom && !bbox!",
            ),
            _zone_label_style(dpi),
        ),
    ]


BLANK_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg=="
)


def build_wyrys(
    *,
    plan: Plan,
    parcels: list[Parcel],
    dpi: int = DPI,
    draw: bool = True,
    image_format: str = "png32:z=1",
) -> Wyrys:
    """The map sheets of ``plan`` around ``parcels`` at the plan's scale, with their legend.

    ``draw=False`` lays the sheets out with blank images (same size on paper): enough to count
    pages for a fee quote without rendering maps. ``image_format``: exact 32-bit colours by
    default (certified); ``png8:z=1`` is about 20 % cheaper (informational extracts).
    """
    scale = plan_scale(plan)
    extent = parcels[0].geom.extent
    for parcel in parcels[1:]:
        e = parcel.geom.extent
        extent = (
            min(extent[0], e[0]),
            min(extent[1], e[1]),
            max(extent[2], e[2]),
            max(extent[3], e[3]),
        )
    boxes = sheet_boxes(extent, scale=scale)
    frames = Polygon.from_bbox(boxes[0])
    for b in boxes[1:]:
        frames = frames.union(Polygon.from_bbox(b))
    frames.srid = 2180
    zones = list(
        PlanZone.objects.filter(plan=plan, geom__intersects=frames).order_by("symbol", "number")
    )
    width_px = round(FRAME_MM[0] / 25.4 * dpi)
    height_px = round(FRAME_MM[1] / 25.4 * dpi)
    layers = _layers(plan=plan, zones=zones, parcels=parcels, dpi=dpi)
    wyrys = Wyrys(plan=plan, scale=scale)
    for bbox in boxes:
        png = (
            render_map(
                layers=layers,
                bbox=bbox,
                width=width_px,
                height=height_px,
                background="#ffffff",
                image_format=image_format,
            )
            if draw
            else BLANK_PNG
        )
        wyrys.sheets.append(Sheet(bbox=bbox, png=png))
    seen: dict[str, LegendEntry] = {}
    for zone in zones:
        key = legend_key(zone)
        seen.setdefault(key, LegendEntry(key, zone.name or zone.designation, colour_for(zone)))
    wyrys.legend = sorted(seen.values(), key=lambda e: e.symbol)
    return wyrys


def other_legend_items() -> list[tuple[str, str]]:
    """The non-zone symbols drawn on every sheet (the document itself is in Polish)."""
    return [
        (SUBJECT_COLOUR, "granica działki objętej wyrysem"),
        ("#555555", "granice i numery działek ewidencyjnych"),
        ("#000000", "granica planu"),
    ]
