"""Search: what people type (the full id, ``0005 123/4``, ``123/4`` within a chosen precinct, the
start of a number, a precinct's or gmina's name, an address) understood by
:func:`layers.identifiers.parse_search` and :func:`layers.addresses.parse_address`, answered within
one gmina or, from the platform's home page, across the active gminy.

Every query is tenant-first: a gmina's search only ever looks at that gmina's rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.contrib.gis.db.models.functions import Envelope, Transform
from django.db.models import Case, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from layers.addresses import AddressHit, address_hit, find_addresses, parse_address
from layers.identifiers import ParcelQuery, parse_search
from layers.maps import bounds_of
from layers.models import Municipality, Parcel, Precinct

MAX_QUERY_LENGTH = 100
PRECINCT_RE = re.compile(r"^[0-9]{1,4}$")
NAME_NUMBER_RE = re.compile(
    r"^(?P<name>.*?[^\W\d_].*?)[\s,]+(?:dz(?:iałka|ialka)?\.?\s*(?:nr\.?)?\s*)?"
    r"(?P<number>[1-9][0-9]{0,5}(?:\s*[/_]\s*[1-9][0-9]{0,4})?)$",
    re.IGNORECASE,
)
DEFAULT_LIMIT = 10


@dataclass(frozen=True)
class ParcelHit:
    identifier: str
    number: str
    precinct_number: str
    precinct_name: str
    municipality_slug: str
    municipality_name: str
    area_m2: float
    exact: bool = False  # the number is what was typed (not a "starts with" suggestion)


@dataclass(frozen=True)
class PrecinctHit:
    identifier: str
    number: str
    name: str
    municipality_slug: str
    municipality_name: str
    bounds: list[list[float]] | None  # [[south, west], [north, east]] in EPSG:4326, for the map


@dataclass(frozen=True)
class MunicipalityHit:
    slug: str
    name: str
    teryt: str
    bounds: list[list[float]] | None


@dataclass
class SearchResult:
    query: str
    understood: ParcelQuery
    parcels: list[ParcelHit] = field(default_factory=list)
    precincts: list[PrecinctHit] = field(default_factory=list)
    municipalities: list[MunicipalityHit] = field(default_factory=list)
    addresses: list[AddressHit] = field(default_factory=list)
    # the parcel typed by its full identifier, found in another gmina (links to its page there)
    elsewhere: list[ParcelHit] = field(default_factory=list)
    exact: bool = False  # the parcels are exact matches (not "starts with" suggestions)
    truncated: bool = False
    message: str = ""

    @property
    def found(self) -> bool:
        return bool(self.parcels or self.precincts or self.municipalities or self.addresses)

    def as_json(self) -> dict:
        return {
            "query": self.query,
            "exact": self.exact,
            "truncated": self.truncated,
            "message": self.message,
            "parcels": [hit.__dict__ for hit in self.parcels],
            "precincts": [hit.__dict__ for hit in self.precincts],
            "municipalities": [hit.__dict__ for hit in self.municipalities],
            "addresses": [hit.__dict__ for hit in self.addresses],
            "elsewhere": [hit.__dict__ for hit in self.elsewhere],
        }


def _parcels_in(municipality: Municipality | None) -> QuerySet[Parcel]:
    # a hit names the parcel, its precinct and gmina: none of the three geometries is read (a
    # platform-wide search of a union returns the same number in many gminy)
    qs = (
        Parcel.objects.current()
        .select_related("precinct", "municipality")
        .defer("geom", "precinct__geom", "municipality__boundary")
    )
    if municipality is None:
        return qs.filter(municipality__is_active=True)
    return qs.for_municipality(municipality)


def _precincts_in(municipality: Municipality | None) -> QuerySet[Precinct]:
    qs = Precinct.objects.select_related("municipality").annotate(
        envelope4326=Transform(Envelope("geom"), 4326)
    )
    if municipality is None:
        return qs.filter(municipality__is_active=True)
    return qs.for_municipality(municipality)


def _parcel_hit(parcel: Parcel, *, exact: bool = False) -> ParcelHit:
    return ParcelHit(
        exact=exact,
        identifier=parcel.identifier,
        number=parcel.number,
        precinct_number=parcel.precinct.number,
        precinct_name=parcel.precinct.name,
        municipality_slug=parcel.municipality.slug,
        municipality_name=parcel.municipality.name,
        area_m2=round(parcel.area_m2, 1),
    )


def municipalities_withbounds_of() -> QuerySet[Municipality]:
    return Municipality.objects.filter(is_active=True).annotate(
        envelope4326=Transform(Envelope("boundary"), 4326)
    )


def _precinct_hit(precinct: Precinct) -> PrecinctHit:
    return PrecinctHit(
        bounds=bounds_of(precinct.envelope4326),
        identifier=precinct.identifier,
        number=precinct.number,
        name=precinct.name,
        municipality_slug=precinct.municipality.slug,
        municipality_name=precinct.municipality.name,
    )


def _parcel_filter(understood: ParcelQuery, precinct: str | None) -> Q | None:
    """The exact-match filter for what was understood; None when it names no parcel."""
    if understood.number is None:
        return None
    where = Q(number=understood.number)
    if understood.unit:
        where &= Q(precinct__unit=understood.unit)
        if understood.sheet:
            where &= Q(identifier__contains=f".AR_{understood.sheet}.")
    chosen = understood.precinct or precinct
    if chosen:
        where &= Q(precinct__number=chosen)
    return where


def _take(qs: QuerySet, limit: int) -> tuple[list, bool]:
    rows = list(qs[: limit + 1])
    return rows[:limit], len(rows) > limit


def _clean(text: str) -> str:
    return " ".join("".join(c for c in (text or "") if c.isprintable()).split())[:MAX_QUERY_LENGTH]


def search(
    *,
    municipality: Municipality | None,
    text: str,
    precinct: str | None = None,
    limit: int = DEFAULT_LIMIT,
) -> SearchResult:
    """Gminy and precincts by name, parcels (exact first, then numbers starting with what was
    typed, across all precincts) and addresses.

    ``precinct`` is a 4-digit precinct number chosen beside the box; a typed precinct wins over it.
    """
    text = _clean(text)
    precinct = precinct.zfill(4) if precinct and PRECINCT_RE.match(precinct) else None
    understood = parse_search(text)
    result = SearchResult(query=text, understood=understood)
    if not text:
        result.message = _(
            "Type a parcel number (e.g. 123/4), a precinct and a number, an address or a name."
        )
        return result
    if understood.number is not None:
        _find_by_number(result, municipality=municipality, precinct=precinct, limit=limit)
    elif match := NAME_NUMBER_RE.match(understood.text or ""):
        _find_by_name_and_number(result, match, municipality=municipality, limit=limit)
    if not result.parcels and understood.text:
        _find_addresses(result, municipality=municipality, limit=limit)
    if not result.parcels and not result.addresses and (understood.text or not understood.number):
        _find_by_name(result, municipality=municipality, name=understood.text or text, limit=limit)
    if not result.found:
        result.message = _not_found_message(result, precinct=precinct, municipality=municipality)
    return result


def _find_by_number(
    result: SearchResult, *, municipality: Municipality | None, precinct: str | None, limit: int
) -> None:
    """Exact matches first, then (unless a full identifier was typed) the numbers that start
    with what was typed, in every precinct: ``83`` -> 83, 83/1, 83/3 (any precinct), 830."""
    understood = result.understood
    parcels = _parcels_in(municipality).order_by("precinct__unit", "precinct__number", "number")
    exact, result.truncated = _take(parcels.filter(_parcel_filter(understood, precinct)), limit)
    result.exact = bool(exact)
    hits = [_parcel_hit(p, exact=True) for p in exact]
    if understood.unit is None and len(hits) < limit:
        prefix = Q(number__startswith=understood.number) & ~Q(number=understood.number)
        if chosen := understood.precinct or precinct:
            prefix &= Q(precinct__number=chosen)
        divided = Case(
            When(number__startswith=f"{understood.number}/", then=Value(0)), default=Value(1)
        )
        more = parcels.filter(prefix).annotate(divided=divided)
        more = more.order_by("divided", "precinct__unit", "precinct__number", "number")
        rows, truncated = _take(more, limit - len(hits))
        hits += [_parcel_hit(p) for p in rows]
        result.truncated = result.truncated or truncated
    result.parcels = hits
    if not hits and understood.unit and municipality is not None:
        result.elsewhere = _elsewhere(understood, municipality=municipality)


def _elsewhere(understood: ParcelQuery, *, municipality: Municipality) -> list[ParcelHit]:
    """A full identifier typed into one gmina's search that names a current parcel of another
    active gmina: that parcel, so the page can lead there (parcels are public everywhere)."""
    where = _parcel_filter(understood, None)
    rows = _parcels_in(None).exclude(municipality=municipality).filter(where)[:2]
    return [_parcel_hit(p, exact=True) for p in rows]


def _find_by_name_and_number(
    result: SearchResult, match: re.Match, *, municipality: Municipality | None, limit: int
) -> None:
    """ "Olszanka 12/3": a precinct's (or, platform-wide, a gmina's) name and a parcel number."""
    number = match["number"].replace(" ", "").replace("_", "/")
    name = match["name"].strip()
    named = Q(precinct__name__icontains=name)
    if municipality is None:
        named |= Q(municipality__name__icontains=name)
    parcels = _parcels_in(municipality).order_by("precinct__unit", "precinct__number", "number")
    rows, result.truncated = _take(parcels.filter(named, number=number), limit)
    result.exact = bool(rows)
    result.parcels = [_parcel_hit(p, exact=True) for p in rows]


def _find_addresses(result: SearchResult, *, municipality: Municipality | None, limit: int) -> None:
    query = parse_address(result.understood.text or "")
    if query is None:
        return
    rows, truncated = _take(find_addresses(query, municipality=municipality), limit)
    result.addresses = [address_hit(a) for a in rows]
    result.exact = result.exact or bool(rows)
    result.truncated = result.truncated or truncated


def _find_by_name(
    result: SearchResult, *, municipality: Municipality | None, name: str, limit: int
) -> None:
    """The gmina itself (platform-wide: every active gmina of that name), then precincts."""
    gminy = municipalities_withbounds_of().filter(name__icontains=name)
    if municipality is not None:
        gminy = gminy.filter(pk=municipality.pk)
    result.municipalities = [
        MunicipalityHit(slug=m.slug, name=m.name, teryt=m.teryt, bounds=bounds_of(m.envelope4326))
        for m in gminy.order_by("name")[:limit]
    ]
    by_name = Q(name__icontains=name)
    if municipality is None:
        by_name |= Q(municipality__name__icontains=name)
    precincts = _precincts_in(municipality).filter(by_name)
    rows, more = _take(precincts.order_by("name", "unit", "number"), limit)
    result.precincts = [_precinct_hit(p) for p in rows]
    result.truncated = result.truncated or more


def _not_found_message(
    result: SearchResult, *, precinct: str | None, municipality: Municipality | None
) -> str:
    understood, text = result.understood, result.query
    if result.elsewhere:
        hit = result.elsewhere[0]
        return _("Parcel %(identifier)s lies in %(municipality)s.") % {
            "identifier": hit.identifier,
            "municipality": hit.municipality_name,
        }
    foreign = municipality is not None and understood.unit not in municipality.registration_units()
    if understood.unit and foreign:
        return _(
            "%(text)s is an identifier of another municipality (unit %(unit)s); "
            "no current parcel of a partner municipality has it."
        ) % {"text": text, "unit": understood.unit}
    if understood.number and (understood.precinct or precinct):
        return _("No parcel %(number)s in precinct %(precinct)s.") % {
            "number": understood.number,
            "precinct": understood.precinct or precinct,
        }
    if understood.number and understood.unit:
        return _("No current parcel has the identifier %(text)s.") % {"text": text}
    if understood.number:
        return _("No parcel numbered %(number)s.") % {"number": understood.number}
    return _(
        "Nothing found for “%(text)s”: no parcel, address, precinct or municipality of that name."
    ) % {"text": text}
