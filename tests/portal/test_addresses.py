"""Address points: imported from the national register's GML (PRG, prg-ad schema) through the
parcels' import path, and found by what people type, within the gmina that owns them."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from layers.models import Address
from layers.search import search
from plans.ingest.addresses import import_addresses
from plans.ingest.pipeline import import_parcels

PRG = (
    Path(__file__).resolve().parent.parent.parent / "fixtures" / "ingest" / "prg_adresy_gmina_a.gml"
)
ID_A = "209901_2.0001.12/3"


@pytest.fixture
def addresses_a(world):
    report = import_addresses(municipality=world.gmina_a, paths=[PRG])
    assert report.ok and report.written, report.as_text()
    return report


def test_the_command_imports_the_current_points_northing_first(world, capsys):
    call_command("import_addresses", "--municipality", "gmina-a", str(PRG))
    rows = {a.label: a for a in Address.objects.for_municipality(world.gmina_a)}
    assert set(rows) == {"Polna 5, Gmina A-Wieś", "Polna 7a, Gmina A-Wieś", "Gmina A-Wieś 12"}
    polna5 = rows["Polna 5, Gmina A-Wieś"]
    assert (polna5.point.x, polna5.point.y) == (751300.0, 598230.0)  # x = easting
    assert polna5.postcode == "16-080" and polna5.local_id.endswith("0001")


def test_the_parcels_import_recognises_an_address_file(world):
    report = import_parcels(municipality=world.gmina_a, paths=[PRG])
    assert report.kind == "addresses" and report.written
    assert Address.objects.for_municipality(world.gmina_a).count() == 3


def test_points_outside_the_gmina_reject_the_whole_import(world, addresses_a):
    with pytest.raises(CommandError):
        call_command("import_addresses", "--municipality", "gmina-b", str(PRG))
    assert not Address.objects.for_municipality(world.gmina_b).exists()
    report = import_addresses(municipality=world.gmina_b, paths=[PRG])
    assert "address.outside_municipality" in report.rules() and not report.written


def test_a_file_that_is_not_an_address_export_is_refused(world, tmp_path):
    other = tmp_path / "x.gml"
    other.write_text('<?xml version="1.0"?><a xmlns="urn:x"/>')
    report = import_addresses(municipality=world.gmina_a, paths=[other])
    assert "file.format" in report.rules() and not report.written


@pytest.mark.parametrize(
    "typed", ["ul. Polna 5", "Polna 5", "polna 5", "Polna 5, Gmina A-Wieś", "ulica Polna nr 5"]
)
def test_an_address_leads_to_the_parcel_under_it(world, addresses_a, typed):
    result = search(municipality=world.gmina_a, text=typed)
    assert [(a.label, a.parcel) for a in result.addresses] == [("Polna 5, Gmina A-Wieś", ID_A)]
    assert result.found and result.exact


def test_an_address_on_no_parcel_is_the_point_itself(world, addresses_a):
    [hit] = search(municipality=world.gmina_a, text="Polna 7A").addresses
    assert hit.parcel == "" and 22.0 < hit.lon < 24.5 and 52.0 < hit.lat < 54.0


def test_a_village_address_without_a_street(world, addresses_a):
    [hit] = search(municipality=world.gmina_a, text="Gmina A-Wieś 12").addresses
    assert hit.parcel == "209901_2.0001.40"


def test_a_wrong_locality_finds_nothing(world, addresses_a):
    result = search(municipality=world.gmina_a, text="Polna 5, Kruszyn")
    assert not result.found and "Polna 5, Kruszyn" in result.message


def test_addresses_are_found_only_within_their_gmina(anonymous, world, addresses_a):
    assert search(municipality=world.gmina_b, text="Polna 5").addresses == []
    data = anonymous.get(reverse("search-json", args=["gmina-b"]), {"q": "Polna 5"}).json()
    assert data["addresses"] == []
    everywhere = anonymous.get(reverse("platform-search-json"), {"q": "Polna 5"}).json()
    assert [a["municipality_slug"] for a in everywhere["addresses"]] == ["gmina-a"]


def test_the_search_page_links_an_address_to_its_parcel(anonymous, world, addresses_a):
    response = anonymous.get(reverse("search", args=["gmina-a"]), {"q": "ul. Polna 5"})
    assert response.status_code == 200
    assert reverse("parcel", args=["gmina-a", ID_A]) in response.content.decode()
    point = anonymous.get(reverse("search", args=["gmina-a"]), {"q": "Polna 7a"})
    assert "z=18&amp;lat=5" in point.content.decode()
