"""Parcel search: what people type (the full id, ``0005 123/4``, ``123/4`` within a chosen precinct,
a precinct name) understood by :func:`layers.identifiers.parse_search`, answered within one gmina or,
from the platform's home page, across the active gminy.

Every query is tenant-first: a gmina's search only ever looks at that gmina's rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.contrib.gis.db.models.functions import Envelope, Transform
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from layers.identifiers import ParcelQuery, parse_search
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


@dataclass(frozen=True)
class PrecinctHit:
    identifier: str
    number: str
    name: str
    municipality_slug: str
    municipality_name: str
    bounds: list[list[float]] | None  # [[south, west], [north, east]] in EPSG:4326, for the map


@dataclass
class SearchResult:
    query: str
    understood: ParcelQuery
    parcels: list[ParcelHit] = field(default_factory=list)
    precincts: list[PrecinctHit] = field(default_factory=list)
    exact: bool = False  # the parcels are exact matches (not "starts with" suggestions)
    truncated: bool = False
    message: str = ""

    @property
    def found(self) -> bool:
        return bool(self.parcels or self.precincts)

    def as_json(self) -> dict:
        return {
            "query": self.query,
            "exact": self.exact,
            "truncated": self.truncated,
            "message": self.message,
            "parcels": [hit.__dict__ for hit in self.parcels],
            "precincts": [hit.__dict__ for hit in self.precincts],
        }


def _parcels_in(municipality: Municipality | None) -> QuerySet[Parcel]:
    qs = Parcel.objects.current().select_related("precinct", "municipality")
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


def _parcel_hit(parcel: Parcel) -> ParcelHit:
    return ParcelHit(
        identifier=parcel.identifier,
        number=parcel.number,
        precinct_number=parcel.precinct.number,
        precinct_name=parcel.precinct.name,
        municipality_slug=parcel.municipality.slug,
        municipality_name=parcel.municipality.name,
        area_m2=round(parcel.area_m2, 1),
    )


def _precinct_hit(precinct: Precinct) -> PrecinctHit:
    envelope = precinct.envelope4326
    bounds = None
    if envelope is not None:
        west, south, east, north = envelope.extent
        bounds = [[round(south, 6), round(west, 6)], [round(north, 6), round(east, 6)]]
    return PrecinctHit(
        bounds=bounds,
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


def search(
    *,
    municipality: Municipality | None,
    text: str,
    precinct: str | None = None,
    limit: int = DEFAULT_LIMIT,
) -> SearchResult:
    """Parcels (exact first, else numbers starting with what was typed) and precincts by name.

    ``precinct`` is a 4-digit precinct number chosen beside the box; a typed precinct wins over it.
    """
    text = " ".join("".join(c for c in (text or "") if c.isprintable()).split())[:MAX_QUERY_LENGTH]
    precinct = precinct.zfill(4) if precinct and PRECINCT_RE.match(precinct) else None
    understood = parse_search(text)
    result = SearchResult(query=text, understood=understood)
    if not text:
        result.message = _("Type a parcel number (e.g. 123/4), a precinct and a number, or a name.")
        return result
    parcels = _parcels_in(municipality).order_by("precinct__unit", "precinct__number", "number")
    where = _parcel_filter(understood, precinct)
    if where is not None:
        rows, result.truncated = _take(parcels.filter(where), limit)
        result.exact = bool(rows)
        if not rows and understood.unit is None:
            # Suggestions while typing: numbers that start with what was typed ("12" -> 12, 12/3, 125).
            prefix = Q(number__startswith=understood.number)
            if chosen := understood.precinct or precinct:
                prefix &= Q(precinct__number=chosen)
            rows, result.truncated = _take(parcels.filter(prefix), limit)
        result.parcels = [_parcel_hit(p) for p in rows]
    elif match := NAME_NUMBER_RE.match(understood.text or ""):
        # "Olszanka 12/3": a precinct's name and a parcel number
        number = match["number"].replace(" ", "").replace("_", "/")
        named = Q(precinct__name__icontains=match["name"].strip())
        if municipality is None:
            named |= Q(municipality__name__icontains=match["name"].strip())
        rows, result.truncated = _take(parcels.filter(named, number=number), limit)
        result.exact = bool(rows)
        result.parcels = [_parcel_hit(p) for p in rows]
    if not result.parcels and (understood.text or understood.number is None):
        name = understood.text or text
        by_name = Q(name__icontains=name)
        if municipality is None:
            by_name |= Q(municipality__name__icontains=name)
        precincts = _precincts_in(municipality).filter(by_name)
        rows, more = _take(precincts.order_by("name", "unit", "number"), limit)
        result.precincts = [_precinct_hit(p) for p in rows]
        result.truncated = result.truncated or more
    if not result.found:
        result.message = _not_found_message(understood, precinct, text)
    return result


def _not_found_message(understood: ParcelQuery, precinct: str | None, text: str) -> str:
    if understood.number and (understood.precinct or precinct):
        return _("No parcel %(number)s in precinct %(precinct)s.") % {
            "number": understood.number,
            "precinct": understood.precinct or precinct,
        }
    if understood.number and understood.unit:
        return _("No current parcel has the identifier %(text)s.") % {"text": text}
    if understood.number:
        return _("No parcel numbered %(number)s.") % {"number": understood.number}
    return _("Nothing found for “%(text)s”: no parcel or precinct of that name.") % {"text": text}
