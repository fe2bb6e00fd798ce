"""EGiB identifiers: TERYT codes of gminy, precincts (obręby) and parcels (działki).

A parcel identifier is ``WWPPGG_R.OOOO.NR`` (or ``WWPPGG_R.OOOO.AR_n.NR`` with an arkusz mapy):
WW voivodeship, PP powiat, GG gmina, R the kind of unit (1 urban gmina, 2 rural gmina, 3 urban-rural
gmina, 4 its town, 5 its rural area, 8 a district of Warsaw, 9 a delegatura of a city), OOOO the
precinct, NR the parcel number, possibly with a slash (``123/4``). Parsing is strict for stored
identifiers and forgiving for what people type into a search box (:func:`parse_search`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

UNIT_KINDS = {"1", "2", "3", "4", "5", "8", "9"}
# Units that parcels are registered in: a gmina miejsko-wiejska (3) registers them in its town (4)
# and its rural area (5).
TERC_RE = re.compile(r"^(?P<woj>\d{2})(?P<pow>\d{2})(?P<gmi>\d{2})_(?P<kind>\d)$")
NUMBER_RE = re.compile(r"^[1-9]\d{0,5}(?:/[1-9]\d{0,4})?$")
PRECINCT_RE = re.compile(r"^\d{4}$")
PARCEL_RE = re.compile(
    r"^(?P<unit>\d{6}_\d)\.(?P<precinct>\d{4})\.(?:AR_(?P<sheet>[1-9]\d{0,3})\.)?(?P<number>[^.\s]+)$"
)


class IdentifierError(ValueError):
    """A malformed TERYT code, precinct or parcel identifier; the message says which part and why."""


def validate_terc(code: str) -> str:
    """Return ``code`` if it is a well-formed TERC code of a gmina (``WWPPGG_R``), else raise."""
    match = TERC_RE.match(code or "")
    if not match:
        raise IdentifierError(
            _("“%(code)s”: a TERYT code of a gmina is WWPPGG_R, e.g. 200211_2") % {"code": code}
        )
    if match["woj"] == "00" or int(match["woj"]) % 2 or int(match["woj"]) > 32:
        raise IdentifierError(
            _("“%(code)s”: %(woj)s is not a voivodeship code (02, 04, …, 32)")
            % {"code": code, "woj": match["woj"]}
        )
    if match["pow"] == "00" or match["gmi"] == "00":
        raise IdentifierError(
            _("“%(code)s”: the powiat and gmina parts cannot be 00") % {"code": code}
        )
    if match["kind"] not in UNIT_KINDS:
        raise IdentifierError(
            _("“%(code)s”: unit kind %(kind)s is not one of 1, 2, 3, 4, 5, 8, 9")
            % {"code": code, "kind": match["kind"]}
        )
    return code


def units_of(terc: str) -> set[str]:
    """The registration units (jednostki ewidencyjne) of a gmina: ``_3`` covers ``_4`` and ``_5``."""
    validate_terc(terc)
    base, kind = terc.split("_")
    return {f"{base}_4", f"{base}_5", terc} if kind == "3" else {terc}


def normalize_number(number: str) -> str:
    """A parcel number as registered: ``123/4``; file names write ``123_4`` for it."""
    number = (number or "").strip().replace("_", "/").replace(" ", "")
    if not NUMBER_RE.match(number):
        raise IdentifierError(
            _(
                "“%(number)s”: a parcel number is digits with an optional /digits part, e.g. 123 or 123/4"
            )
            % {"number": number}
        )
    return number


@dataclass(frozen=True, order=True)
class ParcelId:
    unit: str  # WWPPGG_R, the registration unit
    precinct: str  # OOOO
    number: str  # 123/4
    sheet: int | None = None  # AR_n, map sheet of older registers

    @property
    def precinct_id(self) -> str:
        return f"{self.unit}.{self.precinct}"

    @property
    def terc(self) -> str:
        return self.unit

    def __str__(self) -> str:
        sheet = f".AR_{self.sheet}" if self.sheet else ""
        return f"{self.unit}.{self.precinct}{sheet}.{self.number}"


def parse_parcel_id(text: str) -> ParcelId:
    """Parse a full parcel identifier strictly; ``_`` in the number is read as ``/`` (file names)."""
    raw = (text or "").strip()
    match = PARCEL_RE.match(raw)
    if not match:
        raise IdentifierError(
            _(
                "“%(id)s”: a parcel identifier is WWPPGG_R.OOOO.NR (e.g. 200211_2.0005.123/4) "
                "or WWPPGG_R.OOOO.AR_n.NR"
            )
            % {"id": raw}
        )
    validate_terc(match["unit"])
    number = normalize_number(match["number"])
    sheet = int(match["sheet"]) if match["sheet"] else None
    return ParcelId(unit=match["unit"], precinct=match["precinct"], number=number, sheet=sheet)


def is_parcel_id(text: str) -> bool:
    try:
        parse_parcel_id(text)
    except IdentifierError:
        return False
    return True


@dataclass(frozen=True)
class ParcelQuery:
    """What a person typed, understood: any part may be missing."""

    unit: str | None = None
    precinct: str | None = None
    number: str | None = None
    sheet: int | None = None
    text: str | None = None  # free text, e.g. a precinct name


SEARCH_PRECINCT_NUMBER_RE = re.compile(
    r"^(?:obr(?:ęb|eb)?\.?\s*)?(?P<precinct>\d{1,4})[\s.,;:-]+(?:dz(?:iałka|ialka)?\.?\s*)?"
    r"(?P<number>\d{1,6}(?:\s*[/_]\s*\d{1,5})?)$",
    re.IGNORECASE,
)
SEARCH_NUMBER_RE = re.compile(
    r"^(?:dz(?:iałka|ialka)?\.?\s*(?:nr\.?)?\s*)?(?P<number>\d{1,6}(?:\s*[/_]\s*\d{1,5})?)$",
    re.IGNORECASE,
)


def parse_search(text: str) -> ParcelQuery:
    """Understand what people type: the full id, ``0005 123/4``, ``5.123/4``, ``123/4``, a name."""
    raw = " ".join((text or "").split())
    if not raw:
        return ParcelQuery()
    if raw.count(".") >= 2 and "_" in raw.split(".")[0]:
        try:
            pid = parse_parcel_id(raw.replace(" ", ""))
        except IdentifierError:
            pass
        else:
            return ParcelQuery(pid.unit, pid.precinct, pid.number, pid.sheet)
    if match := SEARCH_PRECINCT_NUMBER_RE.match(raw):
        number = match["number"].replace(" ", "").replace("_", "/")
        if NUMBER_RE.match(number):
            return ParcelQuery(precinct=match["precinct"].zfill(4), number=number)
    if match := SEARCH_NUMBER_RE.match(raw):
        number = match["number"].replace(" ", "").replace("_", "/")
        if NUMBER_RE.match(number):
            return ParcelQuery(number=number)
    return ParcelQuery(text=raw)


def pl2000_zone_for_longitude(lon: float) -> int:
    """The PL-2000 zone (5…8, EPSG:2176…2179) whose central meridian (15, 18, 21, 24°E) is nearest."""
    zone = round(lon / 3.0)
    return min(max(zone, 5), 8)


def pl2000_srid(zone: int) -> int:
    if zone not in (5, 6, 7, 8):
        raise IdentifierError(
            _("PL-2000 zone %(zone)s does not exist (5, 6, 7, 8)") % {"zone": zone}
        )
    return 2171 + zone
