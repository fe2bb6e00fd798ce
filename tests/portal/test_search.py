"""Parcel search: what residents type, within one gmina, and across the platform."""

from __future__ import annotations

import pytest
from django.urls import reverse

from layers.models import Municipality
from layers.search import search

ID_A = "209901_2.0001.12/3"


def numbers(result) -> list[str]:
    return [hit.identifier for hit in result.parcels]


@pytest.mark.parametrize(
    "typed",
    [ID_A, " 209901_2.0001.12/3 ", "0001 12/3", "1 12/3", "obręb 1 dz. 12/3", "0001.12_3", "12/3"],
)
def test_it_finds_a_parcel_by_what_people_type(world, typed):
    result = search(municipality=world.gmina_a, text=typed)
    assert numbers(result) == [ID_A]
    assert result.exact


def test_it_finds_a_number_within_the_chosen_precinct(world):
    assert numbers(search(municipality=world.gmina_a, text="12/3", precinct="0001")) == [ID_A]
    assert numbers(search(municipality=world.gmina_a, text="12/3", precinct="1")) == [ID_A]
    result = search(municipality=world.gmina_a, text="12/3", precinct="0002")
    assert not result.found
    assert "0002" in result.message and "12/3" in result.message


def test_it_suggests_numbers_while_typing(world):
    result = search(municipality=world.gmina_a, text="12")
    assert numbers(result) == [ID_A]
    assert not result.exact
    assert numbers(search(municipality=world.gmina_a, text="4")) == ["209901_2.0001.40"]


def test_it_finds_precincts_by_name(world):
    result = search(municipality=world.gmina_a, text="gmina a-wieś")
    assert [p.identifier for p in result.precincts] == ["209901_2.0001"]
    assert result.precincts[0].bounds[0][0] < result.precincts[0].bounds[1][0]


def test_it_says_clearly_when_nothing_is_found(world):
    result = search(municipality=world.gmina_a, text="999/9")
    assert not result.found and "999/9" in result.message
    result = search(municipality=world.gmina_a, text="Nieistniejąca")
    assert not result.found and "Nieistniejąca" in result.message
    assert search(municipality=world.gmina_a, text="   ").message


def test_it_never_finds_another_gminas_parcel(world):
    assert not search(municipality=world.gmina_b, text=ID_A).found
    hits = search(municipality=world.gmina_b, text="12/3").parcels
    assert [h.identifier for h in hits] == [world.parcel_b.identifier]


def test_the_platform_search_spans_the_active_gminy_only(world):
    assert {h.municipality_slug for h in search(municipality=None, text="12/3").parcels} == {
        "gmina-a",
        "gmina-b",
    }
    assert [p.municipality_slug for p in search(municipality=None, text="Gmina B").precincts] == [
        "gmina-b"
    ]
    Municipality.objects.filter(pk=world.gmina_b.pk).update(is_active=False)
    assert {h.municipality_slug for h in search(municipality=None, text="12/3").parcels} == {
        "gmina-a"
    }


def test_the_json_endpoint_answers_suggestions(anonymous, world):
    url = reverse("search-json", args=["gmina-a"])
    data = anonymous.get(url, {"q": "0001 12/3"}).json()
    assert [p["identifier"] for p in data["parcels"]] == [ID_A]
    assert data["exact"] is True
    data = anonymous.get(url, {"q": "12/3", "obreb": "0009"}).json()
    assert data["parcels"] == [] and "0009" in data["message"]


def test_the_search_page_works_without_javascript(anonymous, world):
    response = anonymous.get(reverse("search", args=["gmina-a"]), {"q": "12/3"})
    assert response.status_code == 200
    assert reverse("parcel", args=["gmina-a", ID_A]) in response.content.decode()
    missing = anonymous.get(reverse("search", args=["gmina-a"]), {"q": "555"})
    assert missing.status_code == 404
    assert "555" in missing.content.decode()


def test_the_platform_search_page_links_to_each_gminas_parcel_page(anonymous, world):
    body = anonymous.get(reverse("platform-search"), {"q": "12/3"}).content.decode()
    assert reverse("parcel", args=["gmina-a", ID_A]) in body
    assert reverse("parcel", args=["gmina-b", world.parcel_b.identifier]) in body


@pytest.mark.parametrize(
    "typed",
    ["' OR 1=1 --", "%", "_", "a" * 5000, "12/3/4/5", "\x00", "209901_2.0001.AR_1.12/3", "💥"],
)
def test_it_survives_odd_input(anonymous, world, typed):
    for url in (reverse("search-json", args=["gmina-a"]), reverse("platform-search-json")):
        response = anonymous.get(url, {"q": typed, "obreb": typed})
        assert response.status_code == 200
        data = response.json()
        assert data["parcels"] == [] or typed.startswith("2099")


def test_an_unknown_gminas_search_is_a_404(anonymous, world):
    assert anonymous.get("/nie-ma/szukaj.json", {"q": "1"}).status_code == 404


def test_searching_is_rate_limited_per_client(anonymous, world, settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "search": "3/minute"}
    url = reverse("search-json", args=["gmina-a"])
    codes = [anonymous.get(url, {"q": "12"}).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


@pytest.mark.parametrize("typed", ["Gmina A-Wieś 12/3", "gmina a-wieś, dz. 12/3", "A-Wieś 12_3"])
def test_it_finds_a_parcel_by_precinct_name_and_number(world, typed):
    result = search(municipality=world.gmina_a, text=typed)
    assert numbers(result) == [ID_A] and result.exact


def test_a_precinct_name_with_a_wrong_number_says_not_found(world):
    result = search(municipality=world.gmina_a, text="Gmina A-Wieś 999")
    assert not result.parcels and not result.precincts
    assert "Gmina A-Wieś 999" in result.message


def test_the_search_page_of_one_gmina_never_lists_anothers_parcels(anonymous, world):
    response = anonymous.get(reverse("search", args=["gmina-b"]), {"q": ID_A})
    assert response.status_code == 404
    assert reverse("parcel", args=["gmina-a", ID_A]) not in response.content.decode()
