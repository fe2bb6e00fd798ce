"""Address search: what people type (``ul. Polna 5``, ``Polna 5``, ``Polna 5, Wierzbno``,
``Wierzbno 12`` in a village without streets) matched against the gmina's address points, each
answered with the current parcel under the point.

Tenant first: within a gmina only its own points; platform-wide only active gminy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib.gis.db.models.functions import Transform
from django.db.models import Case, OuterRef, Q, QuerySet, Subquery, Value, When

from layers.models import Address, Municipality, Parcel

STREET_PREFIX = r"(?:ul(?:ica)?|al(?:eja)?|pl(?:ac)?|os(?:iedle)?|rondo)\.?\s+"
ADDRESS_RE = re.compile(
    rf"^(?:(?P<before>[^,\d][^,]*?)\s*,\s*)?(?:{STREET_PREFIX})?(?P<name>[^,]*?[^\W\d_][^,]*?)\s+"
    r"(?:nr\.?\s*)?(?P<number>\d{1,4}[A-Za-z]?(?:\s*/\s*\d{1,4}[A-Za-z]?)?)"
    r"(?:\s*,\s*(?:\d{2}-\d{3}\s+)?(?P<after>[^,\d][^,]*))?$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class AddressQuery:
    name: str  # a street's name, or a locality's where the village has no streets
    number: str
    locality: str = ""


@dataclass(frozen=True)
class AddressHit:
    label: str
    street: str
    number: str
    locality: str
    postcode: str
    municipality_slug: str
    municipality_name: str
    lon: float
    lat: float
    parcel: str  # the identifier of the current parcel under the point, or ""


def parse_address(text: str) -> AddressQuery | None:
    """``ul. Polna 5``, ``Polna 5``, ``Polna 5, Wierzbno`` or ``Wierzbno, Polna 5``; else None."""
    match = ADDRESS_RE.match(" ".join((text or "").split()))
    if not match:
        return None
    locality = (match["after"] or match["before"] or "").strip()
    number = re.sub(r"\s+", "", match["number"]).upper()
    return AddressQuery(name=match["name"].strip(), number=number, locality=locality)


def find_addresses(query: AddressQuery, *, municipality: Municipality | None) -> QuerySet[Address]:
    """Address points of ``query``: a street of that name (or a village without streets), the
    house number exactly (case-insensitive), in the locality if one was typed. Exact street
    names first; each row carries ``parcel_identifier`` and ``point4326``."""
    qs = Address.objects.select_related("municipality")
    if municipality is None:
        qs = qs.filter(municipality__is_active=True)
    else:
        qs = qs.for_municipality(municipality)
    named = Q(street__icontains=query.name) | Q(street="", locality__iexact=query.name)
    qs = qs.filter(named, number__iexact=query.number)
    if query.locality:
        qs = qs.filter(locality__icontains=query.locality)
    under = Parcel.objects.current().filter(
        municipality=OuterRef("municipality"), geom__intersects=OuterRef("point")
    )
    first = Case(
        When(Q(street__iexact=query.name) | Q(locality__iexact=query.name), then=Value(0)),
        default=Value(1),
    )
    return qs.annotate(
        parcel_identifier=Subquery(under.order_by("identifier").values("identifier")[:1]),
        point4326=Transform("point", 4326),
        first=first,
    ).order_by("first", "municipality__name", "locality", "street", "number")


def address_hit(address: Address) -> AddressHit:
    point = address.point4326
    return AddressHit(
        label=address.label,
        street=address.street,
        number=address.number,
        locality=address.locality,
        postcode=address.postcode,
        municipality_slug=address.municipality.slug,
        municipality_name=address.municipality.name,
        lon=round(point.x, 7),
        lat=round(point.y, 7),
        parcel=address.parcel_identifier or "",
    )
