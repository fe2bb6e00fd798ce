"""Parcel search: what residents type, within one gmina, and across the platform."""

from __future__ import annotations

import pytest
from django.urls import reverse

from layers.models import Municipality
from layers.search import search
from tests.conftest import A_ORIGIN
from tests.factories import box, make_parcel, make_precinct

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
    response = anonymous.get(reverse("search", args=["gmina-b"]), {"q": "12/3"})
    assert reverse("parcel", args=["gmina-a", ID_A]) not in response.content.decode()


def test_another_gminas_identifier_leads_to_that_gminas_parcel_page(anonymous, world):
    result = search(municipality=world.gmina_b, text=ID_A)
    assert not result.parcels
    assert [h.identifier for h in result.elsewhere] == [ID_A]
    assert "Gmina A" in result.message and "0001" not in result.message.replace(ID_A, "")
    response = anonymous.get(reverse("search", args=["gmina-b"]), {"q": ID_A})
    assert response.status_code == 200
    body = response.content.decode()
    assert f'class="elsewhere"><a href="{reverse("parcel", args=["gmina-a", ID_A])}"' in body
    data = anonymous.get(reverse("search-json", args=["gmina-b"]), {"q": ID_A}).json()
    assert data["parcels"] == [] and data["elsewhere"][0]["municipality_slug"] == "gmina-a"


def test_an_identifier_of_no_partner_gmina_says_so(world):
    result = search(municipality=world.gmina_a, text="146501_8.0004.83")
    assert not result.found and not result.elsewhere
    assert "146501_8" in result.message and "0004" not in result.message.replace(
        "146501_8.0004.83", ""
    )


def test_an_unpublished_gminas_parcel_is_not_offered_elsewhere(world):
    Municipality.objects.filter(pk=world.gmina_a.pk).update(is_active=False)
    assert not search(municipality=world.gmina_b, text=ID_A).elsewhere


def test_a_partial_number_finds_exact_matches_first_then_numbers_starting_so_in_every_precinct(
    world,
):
    precinct = make_precinct(world.gmina_a, "0002", "Olszanka")
    x, y = A_ORIGIN
    for n, number in enumerate(["12", "12/5", "123", "212"]):
        make_parcel(precinct, number, box(x + 1500 + 30 * n, y + 100, x + 1520 + 30 * n, y + 150))
    result = search(municipality=world.gmina_a, text="12")
    assert numbers(result) == [
        "209901_2.0002.12",
        ID_A,
        "209901_2.0002.12/5",
        "209901_2.0002.123",
    ]
    assert result.exact and [h.exact for h in result.parcels] == [True, False, False, False]
    within = search(municipality=world.gmina_a, text="12", precinct="0001")
    assert numbers(within) == [ID_A]


def test_a_gmina_is_found_by_its_name_before_its_precincts(world):
    result = search(municipality=None, text="Gmina A")
    assert [m.slug for m in result.municipalities] == ["gmina-a"]
    assert result.municipalities[0].bounds is not None
    assert [p.municipality_slug for p in result.precincts] == ["gmina-a"]
    assert [m.slug for m in search(municipality=world.gmina_a, text="gmina a").municipalities] == [
        "gmina-a"
    ]
    # within a gmina, only that gmina
    assert search(municipality=world.gmina_b, text="Gmina A").municipalities == []


def test_the_platform_search_page_lists_the_gmina(anonymous, world):
    body = anonymous.get(reverse("platform-search"), {"q": "Gmina B"}).content.decode()
    assert body.index(f'href="{reverse("municipality", args=["gmina-b"])}"') < body.index(
        "?obreb=0001"
    )
