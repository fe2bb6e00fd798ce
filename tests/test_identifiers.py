"""Parcel identifiers, TERYT codes and what people type into the search box."""

from __future__ import annotations

import pytest

from layers.identifiers import (
    IdentifierError,
    ParcelQuery,
    normalize_number,
    parse_parcel_id,
    parse_search,
    pl2000_zone_for_longitude,
    units_of,
    validate_terc,
)
from tests.conftest import fixture_path


def test_it_reads_every_real_egib_sample_file_name():
    files = sorted(fixture_path("egib-samples").glob("*.gml"))
    assert len(files) == 15
    for path in files:
        pid = parse_parcel_id(path.stem)
        assert pid.unit == "221101_1"
        assert pid.precinct == "0001"
        # the file name writes 111_2 for parcel 111/2, and the file holds the real identifier
        assert f"<egb:idDzialki>{pid}</egb:idDzialki>" in path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("text", "unit", "precinct", "number", "sheet"),
    [
        ("200211_2.0005.123/4", "200211_2", "0005", "123/4", None),
        ("200211_2.0005.123", "200211_2", "0005", "123", None),
        ("146502_8.0101.AR_12.55/1", "146502_8", "0101", "55/1", 12),
        ("069901_4.0001.7", "069901_4", "0001", "7", None),
        (" 221101_1.0001.111_2 ", "221101_1", "0001", "111/2", None),
    ],
)
def test_it_parses_full_identifiers(text, unit, precinct, number, sheet):
    pid = parse_parcel_id(text)
    assert (pid.unit, pid.precinct, pid.number, pid.sheet) == (unit, precinct, number, sheet)
    assert pid.precinct_id == f"{unit}.{precinct}"


def test_it_writes_identifiers_back_unchanged():
    for text in ("200211_2.0005.123/4", "146502_8.0101.AR_12.55/1"):
        assert str(parse_parcel_id(text)) == text


@pytest.mark.parametrize(
    "text",
    [
        "",
        "200211_2.0005",  # no number
        "200211_2.5.123",  # precinct not 4 digits
        "200211_7.0005.123",  # no unit kind 7
        "200211-2.0005.123",
        "990211_2.0005.123",  # no voivodeship 99
        "200211_2.0005.0123",  # leading zero
        "200211_2.0005.123/0",
        "200211_2.0005.12a",
        "200211_2.0005.AR_0.12",
    ],
)
def test_it_rejects_malformed_identifiers_with_a_reason(text):
    with pytest.raises(IdentifierError) as excinfo:
        parse_parcel_id(text)
    assert str(excinfo.value)


def test_a_gmina_miejsko_wiejska_registers_parcels_in_its_town_and_rural_area():
    assert units_of("069901_3") == {"069901_3", "069901_4", "069901_5"}
    assert units_of("209901_2") == {"209901_2"}


def test_terc_codes_are_checked():
    assert validate_terc("226101_1") == "226101_1"
    for bad in ("22610_1", "226101_0", "000101_1", "226100_1", "336101_1"):
        with pytest.raises(IdentifierError):
            validate_terc(bad)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("200211_2.0005.123/4", ParcelQuery("200211_2", "0005", "123/4")),
        ("0005 123/4", ParcelQuery(precinct="0005", number="123/4")),
        ("5 123/4", ParcelQuery(precinct="0005", number="123/4")),
        ("obręb 5, dz. 123/4", ParcelQuery(precinct="0005", number="123/4")),
        ("123/4", ParcelQuery(number="123/4")),
        ("123 / 4", ParcelQuery(number="123/4")),
        ("dz. nr 88", ParcelQuery(number="88")),
        ("Olszanka", ParcelQuery(text="Olszanka")),
        ("", ParcelQuery()),
    ],
)
def test_search_understands_what_people_type(typed, expected):
    assert parse_search(typed) == expected


def test_numbers_from_file_names_become_slashes():
    assert normalize_number("111_2") == "111/2"


def test_the_pl2000_zone_follows_the_nearest_central_meridian():
    assert pl2000_zone_for_longitude(14.5) == 5
    assert pl2000_zone_for_longitude(18.7) == 6
    assert pl2000_zone_for_longitude(21.9) == 7
    assert pl2000_zone_for_longitude(22.8) == 8
