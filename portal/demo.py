"""Deterministic demo data: three clearly fictional gminy at real Polish coordinates.

Each gmina has four precincts (obręby) of field strips around a village; the village is covered by
an MPZP whose zones (``1MN``, ``2U``, ``1KDL``, …) tessellate the plan area exactly, with parcels
laid out block by block. Names and TERYT codes are invented (powiat 99 does not exist), positions
are real: Podlaskie near Tykocin (PL-2000 zone 8), Lubelskie near Puławy (zone 7) and near Chełm
(zone 8).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from django.contrib.gis.geos import MultiPolygon, Polygon
from django.core.files.base import ContentFile
from django.db import transaction

from consultation.demo import open_demo_consultation
from layers.models import Address, Layer, Municipality, Parcel, Precinct
from layers.municipalities import create_municipality, extend_boundary_to_data
from layers.payments import with_check_digits
from monitoring.demo import delete_service_demo, load_service_demo
from plans.demo_texts import general_provisions, zone_name, zone_parameters, zone_provisions
from plans.designations import parse_designation
from plans.models import Plan, PlanDocument, PlanZone

SRID = 2180
VALID_FROM = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
PRECINCT_W, PRECINCT_H = 2000.0, 1500.0


@dataclass(frozen=True)
class DemoGmina:
    teryt: str
    name: str
    slug: str
    origin: tuple[float, float]  # EPSG:2180 easting, northing of the south-west corner
    precinct_names: tuple[str, str, str, str]
    seed: int
    plan_status: str = Plan.Status.LEGAL_FORCE
    published: bool = True
    with_old_version: bool = False
    voivodeship_journal: str = "Dz. Urz. Woj. Podl."
    authority: str = ""  # the executive body in the genitive, as signed "z up. …"


DEMO_GMINY = (
    DemoGmina(
        teryt="209901_2",
        name="Wierzbno Demonstracyjne",
        slug="wierzbno-demo",
        origin=(751000.0, 598000.0),
        precinct_names=("Wierzbno", "Olszanka", "Kruszyn", "Borki"),
        seed=2001,
        with_old_version=True,
        authority="Wójta Gminy Wierzbno Demonstracyjne",
    ),
    DemoGmina(
        teryt="069901_3",
        name="Jaworzyn Demonstracyjny",
        slug="jaworzyn-demo",
        origin=(703000.0, 388000.0),
        precinct_names=("Jaworzyn-Miasto", "Dąbrowa", "Zalesie", "Łęgi"),
        seed=601,
        voivodeship_journal="Dz. Urz. Woj. Lubel.",
        authority="Burmistrza Jaworzyna Demonstracyjnego",
    ),
    DemoGmina(
        teryt="069902_2",
        name="Lipowo Demonstracyjne",
        slug="lipowo-demo",
        origin=(800000.0, 378000.0),
        precinct_names=("Lipowo", "Stawki", "Grabowiec", "Podlesie"),
        seed=602,
        authority="Wójta Gminy Lipowo Demonstracyjne",
        plan_status=Plan.Status.ELABORATION,
        published=False,
        voivodeship_journal="Dz. Urz. Woj. Lubel.",
    ),
)


@dataclass
class Numbering:
    next_number: int = 1
    taken: set[str] = field(default_factory=set)

    def plain(self) -> str:
        number = str(self.next_number)
        self.next_number += 1
        return number

    def divided(self, parts: int) -> list[str]:
        base = self.plain()
        return [f"{base}/{k}" for k in range(1, parts + 1)]


def _box(x0: float, y0: float, x1: float, y1: float, origin: tuple[float, float]) -> Polygon:
    ox, oy = origin
    return Polygon.from_bbox((ox + x0, oy + y0, ox + x1, oy + y1))


def _multi(geom) -> MultiPolygon:
    if isinstance(geom, MultiPolygon):
        geom.srid = SRID
        return geom
    return MultiPolygon(geom, srid=SRID)


def _split_widths(rng: random.Random, length: float, low: float, high: float) -> list[float]:
    widths, used = [], 0.0
    while length - used > high:
        width = round(rng.uniform(low, high), 1)
        widths.append(width)
        used += width
    widths.append(round(length - used, 3))
    return widths


# The village: plan area in precinct 0001 (local coordinates in metres from the gmina's origin).
PLAN_AREA = (200.0, 1700.0, 1800.0, 2800.0)
MAIN_ROAD = (2240.0, 2260.0)  # KDL, east-west
LOCAL_ROADS = [
    (460.0, 472.0),
    (720.0, 732.0),
    (980.0, 992.0),
    (1240.0, 1252.0),
    (1500.0, 1512.0),
]  # KDD, north-south
BLOCK_SYMBOLS = ["MN", "MN", "MN/U", "U", "MN", "ZP", "MN", "MN", "U", "MN/U", "MN", "R"]
SPLIT_SYMBOL, SPLIT_WITH = "R", "ZP"  # the R block is one parcel in two zones
MAIN_STREET = "Główna"
SIDE_STREETS = ("Polna", "Lipowa", "Leśna", "Ogrodowa", "Szkolna", "Kwiatowa")


def _village(
    gmina: DemoGmina,
) -> tuple[list[tuple[str, Polygon | MultiPolygon]], list[tuple[str, Polygon]]]:
    """Zones (designation, geometry) and village parcels (kind, geometry) of the plan area."""
    o = gmina.origin
    x0, y0, x1, y1 = PLAN_AREA
    zones: list[tuple[str, Polygon | MultiPolygon]] = []
    parcels: list[tuple[str, Polygon]] = []
    zones.append(("1KDL", _box(x0, MAIN_ROAD[0], x1, MAIN_ROAD[1], o)))
    parcels.append(("road", _box(x0, MAIN_ROAD[0], x1, MAIN_ROAD[1], o)))
    for i, (rx0, rx1) in enumerate(LOCAL_ROADS, start=1):
        south = _box(rx0, y0, rx1, MAIN_ROAD[0], o)
        north = _box(rx0, MAIN_ROAD[1], rx1, y1, o)
        zones.append((f"{i}KDD", MultiPolygon(south, north, srid=SRID)))
        parcels += [("road", south), ("road", north)]
    columns = [x0, *[edge for road in LOCAL_ROADS for edge in road], x1]
    counters: dict[str, int] = {}
    block = 0
    for band in ((y0, MAIN_ROAD[0]), (MAIN_ROAD[1], y1)):
        for cx0, cx1 in zip(columns[0::2], columns[1::2], strict=True):
            symbol = BLOCK_SYMBOLS[block % len(BLOCK_SYMBOLS)]
            block += 1
            counters[symbol] = counters.get(symbol, 0) + 1
            if symbol == SPLIT_SYMBOL:
                # one farm parcel that the plan splits between farmland and green (the panel's
                # share table shows both zones with their parts of the parcel)
                edge = round(cx0 + (cx1 - cx0) * 0.6, 3)
                counters[SPLIT_WITH] = counters.get(SPLIT_WITH, 0) + 1
                zones.append((f"{counters[symbol]}{symbol}", _box(cx0, band[0], edge, band[1], o)))
                zones.append(
                    (f"{counters[SPLIT_WITH]}{SPLIT_WITH}", _box(edge, band[0], cx1, band[1], o))
                )
            else:
                zones.append((f"{counters[symbol]}{symbol}", _box(cx0, band[0], cx1, band[1], o)))
            parcels += [
                ("block", p) for p in _block_parcels(gmina, symbol, cx0, band[0], cx1, band[1])
            ]
    return zones, parcels


def _block_parcels(
    gmina: DemoGmina, symbol: str, x0: float, y0: float, x1: float, y1: float
) -> list[Polygon]:
    rng = random.Random(f"{gmina.seed}-{x0}-{y0}")
    if symbol in ("ZP", "R"):
        return [_box(x0, y0, x1, y1, gmina.origin)]
    mid = round((y0 + y1) / 2, 3)
    low, high = (22.0, 38.0) if symbol != "U" else (40.0, 70.0)
    result = []
    for ry0, ry1 in ((y0, mid), (mid, y1)):
        x = x0
        for width in _split_widths(rng, x1 - x0, low, high):
            result.append(_box(x, ry0, x + width, ry1, gmina.origin))
            x += width
    return result


def _field_strips(gmina: DemoGmina, px: float, py: float, hole: Polygon | None) -> list[Polygon]:
    rng = random.Random(f"{gmina.seed}-fields-{px}-{py}")
    strips: list[Polygon] = []
    for row in range(3):
        ry0, ry1 = py + row * 500.0, py + (row + 1) * 500.0
        x = px
        for width in _split_widths(rng, PRECINCT_W, 18.0, 55.0):
            strip = _box(x, ry0, x + width, ry1, gmina.origin)
            x += width
            pieces = (
                strip.difference(hole) if hole is not None and strip.intersects(hole) else strip
            )
            for piece in pieces if isinstance(pieces, MultiPolygon) else [pieces]:
                if isinstance(piece, Polygon) and piece.area > 50:
                    strips.append(piece)
    return strips


def _precinct_unit(gmina: DemoGmina, index: int) -> str:
    base, kind = gmina.teryt.split("_")
    if kind == "3":  # gmina miejsko-wiejska: the town (_4) and the rural area (_5)
        return f"{base}_4" if index == 0 else f"{base}_5"
    return gmina.teryt


@transaction.atomic
def load_gmina(gmina: DemoGmina) -> Municipality:
    municipality = create_municipality(teryt=gmina.teryt, name=gmina.name, slug=gmina.slug)
    municipality.abstract = (
        f"Gmina demonstracyjna (fikcyjna) – dane przykładowe portalu. {gmina.name} nie istnieje."
    )
    municipality.contact_organization = f"Urząd Gminy {gmina.name}"
    municipality.contact_email = f"planowanie@{gmina.slug}.example"
    municipality.address = f"ul. Przykładowa 1, {gmina.precinct_names[0]}"
    municipality.authority_genitive = gmina.authority
    municipality.payee_name = f"Urząd Gminy {gmina.name}"
    # a fictional account of a fictional bank (9999), with valid check digits
    municipality.bank_account = with_check_digits(f"99990000{gmina.seed:016d}")
    municipality.save(
        update_fields=[
            "abstract",
            "contact_organization",
            "contact_email",
            "address",
            "authority_genitive",
            "payee_name",
            "bank_account",
        ]
    )

    zones, village_parcels = _village(gmina)
    plan_area = _box(*PLAN_AREA, gmina.origin)
    parcels: list[Parcel] = []
    for index, (px, py) in enumerate(
        ((0.0, PRECINCT_H), (PRECINCT_W, PRECINCT_H), (0.0, 0.0), (PRECINCT_W, 0.0))
    ):
        geom = _box(px, py, px + PRECINCT_W, py + PRECINCT_H, gmina.origin)
        precinct = Precinct.objects.create(
            municipality=municipality,
            unit=_precinct_unit(gmina, index),
            number=f"{index + 1:04d}",
            name=gmina.precinct_names[index],
            geom=_multi(geom),
        )
        numbering = Numbering()
        shapes: list[Polygon] = []
        if index == 0:
            shapes += [g for _kind, g in village_parcels]
        shapes += _field_strips(gmina, px, py, plan_area if index == 0 else None)
        rng = random.Random(f"{gmina.seed}-numbers-{index}")
        pending: list[str] = []
        for shape in shapes:
            if not pending:
                pending = (
                    numbering.divided(rng.choice((2, 2, 3, 4)))
                    if rng.random() < 0.35
                    else [numbering.plain()]
                )
            number = pending.pop(0)
            parcels.append(
                Parcel(
                    municipality=municipality,
                    precinct=precinct,
                    identifier=f"{precinct.identifier}.{number}",
                    number=number,
                    geom=_multi(shape),
                    area_m2=round(shape.area, 2),
                    registered_area_ha=round(shape.area / 10000, 4),
                    valid_from=VALID_FROM,
                    source="demo",
                )
            )
    Parcel.objects.bulk_create(parcels, batch_size=1000)
    Address.objects.bulk_create(_addresses(gmina, municipality, village_parcels))
    _load_plans(gmina, municipality, zones, plan_area)
    extend_boundary_to_data(municipality=municipality)
    Layer.bump(municipality=municipality, kinds=[k for k, _label in Layer.Kind.choices])
    return municipality


def _addresses(
    gmina: DemoGmina, municipality: Municipality, village_parcels: list[tuple[str, Polygon]]
) -> list[Address]:
    """Address points of the village's house plots: those along the main road on Główna (odd
    numbers south, even north), the others on the side street of their block column (Polna, …),
    each point in the middle of its plot."""
    ox, oy = gmina.origin
    road_y = oy + sum(MAIN_ROAD) / 2
    columns = [PLAN_AREA[0], *[road[1] for road in LOCAL_ROADS]]
    main: list[tuple[float, float, Polygon]] = []
    side: dict[str, list[tuple[float, float, Polygon]]] = {}
    for kind, shape in village_parcels:
        _x0, y0, _x1, y1 = shape.extent
        if kind != "block" or y1 - y0 > 300:  # roads, and the one-parcel green and farm blocks
            continue
        centre = shape.centroid
        if abs(centre.y - road_y) < 280:
            main.append((centre.x, centre.y, shape))
        else:
            column = sum(1 for edge in columns if ox + edge <= centre.x) - 1
            side.setdefault(SIDE_STREETS[column], []).append((centre.y, centre.x, shape))
    postcode = f"{10 + gmina.seed % 89:02d}-{gmina.seed % 1000:03d}"
    rows = []
    south = [s for s in sorted(main, key=lambda s: s[:2]) if s[1] < road_y]
    north = [s for s in sorted(main, key=lambda s: s[:2]) if s[1] >= road_y]
    for street, numbered in (
        (MAIN_STREET, [(2 * n + 1, s) for n, s in enumerate(south)]),
        (MAIN_STREET, [(2 * n + 2, s) for n, s in enumerate(north)]),
        *(
            (name, list(enumerate(sorted(plots, key=lambda s: s[:2]), start=1)))
            for name, plots in side.items()
        ),
    ):
        for number, (_a, _b, shape) in numbered:
            rows.append(
                Address(
                    municipality=municipality,
                    locality=gmina.precinct_names[0],
                    street=street,
                    number=str(number),
                    postcode=postcode,
                    point=shape.point_on_surface,
                    local_id=f"demo-{gmina.slug}-{street}-{number}",
                    source="demo",
                )
            )
    return rows


def _load_plans(gmina: DemoGmina, municipality: Municipality, zones, plan_area: Polygon) -> None:
    village = gmina.precinct_names[0]
    year = 2024
    previous = None
    if gmina.with_old_version:
        previous = _create_plan(
            gmina,
            municipality,
            zones,
            plan_area,
            village=village,
            year=2006,
            status=Plan.Status.OBSOLETE,
            number="XXXI/190/2006",
            published=True,
            in_force_to=dt.date(2024, 5, 14),
            drop_symbols=("U",),
        )
    _create_plan(
        gmina,
        municipality,
        zones,
        plan_area,
        village=village,
        year=year,
        status=gmina.plan_status,
        number="XII/85/2024",
        published=gmina.published,
        previous=previous,
    )


def _create_plan(
    gmina: DemoGmina,
    municipality: Municipality,
    zones,
    plan_area: Polygon,
    *,
    village: str,
    year: int,
    status: str,
    number: str,
    published: bool,
    previous: Plan | None = None,
    in_force_to: dt.date | None = None,
    drop_symbols: tuple[str, ...] = (),
) -> Plan:
    resolution_date = dt.date(year, 3, 28)
    in_force = status in (Plan.Status.LEGAL_FORCE, Plan.Status.OBSOLETE)
    terc6 = gmina.teryt[:6]
    plan = Plan.objects.create(
        municipality=municipality,
        kind=Plan.Kind.MPZP,
        title=f"Miejscowy plan zagospodarowania przestrzennego wsi {village}",
        resolution_number=f"Uchwała Nr {number} Rady Gminy {gmina.name}",
        resolution_date=resolution_date,
        publication=f"{gmina.voivodeship_journal} z {year} r. poz. {1000 + gmina.seed % 997}"
        if in_force
        else "",
        status=status,
        in_force_from=dt.date(year, 5, 15) if in_force else None,
        in_force_to=in_force_to,
        namespace=f"PL.ZIPPZP.{gmina.seed}/{terc6}-MPZP",
        local_id=f"{terc6}-MPZP-{village.upper()}",
        version_id=f"{year}0328T120000",
        boundary=_multi(plan_area.clone()),
        drawing_scale=1000,
        general_provisions=general_provisions(gmina_name=gmina.name, village=village),
        previous_version=previous,
        is_published=published,
    )
    rows = []
    for designation, geom in zones:
        parsed = parse_designation(designation)
        symbol = parsed.symbol
        if symbol in drop_symbols:  # the old plan had these blocks as MN
            designation, symbol = designation.replace(symbol, "MN") + "a", "MN"
        params = zone_parameters(symbol)
        rows.append(
            PlanZone(
                municipality=municipality,
                plan=plan,
                designation=designation,
                symbol=symbol,
                number=parsed.number,
                name=zone_name(symbol),
                local_id=f"{plan.local_id}-{designation}",
                provisions=zone_provisions(
                    designation=designation, symbol=symbol, paragraph=len(rows) + 6
                ),
                geom=_multi(geom.clone()),
                area_m2=round(geom.area, 2),
                **params,
            )
        )
    PlanZone.objects.bulk_create(rows)
    text = f"<html><meta charset='utf-8'><body><h1>{plan.resolution_number}</h1><pre>{plan.general_provisions}</pre>"
    text += "".join(f"<pre>{z.provisions}</pre>" for z in rows) + "</body></html>"
    document = PlanDocument(
        municipality=municipality,
        plan=plan,
        kind=PlanDocument.Kind.RESOLUTION,
        title=f"{plan.resolution_number} z dnia {resolution_date:%d.%m.%Y} r.",
        date=resolution_date,
    )
    document.file.save(f"{gmina.slug}-{year}-uchwala.html", ContentFile(text.encode()), save=False)
    document.save()
    return plan


def load_demo(*, force: bool = False) -> list[tuple[Municipality, bool]]:
    """Load every demo gmina that is not there yet (``force``: drop and reload them)."""
    result = []
    for gmina in DEMO_GMINY:
        existing = Municipality.objects.filter(teryt=gmina.teryt).first()
        if existing and not force:
            result.append((existing, False))
            continue
        if existing:
            with transaction.atomic():
                Plan.objects.filter(municipality=existing).update(previous_version=None)
                existing.parcels.all().delete()
                delete_service_demo(municipality=existing)
                existing.delete()
        municipality = load_gmina(gmina)
        open_demo_consultation(municipality)  # Lipowo's draft: a consultation with comments
        load_service_demo(municipality=municipality, seed=int(gmina.teryt[:6]))  # rates them too
        result.append((municipality, True))
    return result
