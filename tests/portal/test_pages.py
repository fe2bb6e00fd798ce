"""The portal's pages: home, a gmina's map page, plan list and plan page, languages, speed."""

from __future__ import annotations

import json
import re
import statistics
import time

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import client_for


def map_config(response) -> dict:
    match = re.search(
        r'<script id="map-config" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    assert match, "the gmina page hands its map configuration over with json_script"
    return json.loads(match.group(1))


def test_the_home_page_lists_the_gminy_with_their_plans_and_parcels(anonymous, world):
    response = anonymous.get(reverse("home"))
    body = response.content.decode()
    row = re.search(r"<tr><td><a href=\"/gmina-b/\">Gmina B</a></td>(.*?)</tr>", body).group(1)
    # one published plan in force (the draft does not count), two current parcels
    assert re.findall(r'<td class="num">(\d+)</td>', row) == ["1", "2"]
    assert 'id="home-outlines"' in body and 'action="/szukaj/"' in body


def test_the_gmina_page_configures_the_map_over_the_portals_own_wms(anonymous, world):
    response = anonymous.get(reverse("municipality", args=["gmina-a"]))
    assert response.status_code == 200
    config = map_config(response)
    assert config["ows"] == "/gmina-a/ows"
    assert [layer["name"] for layer in config["layers"]] == [
        "wektor-str",
        "granice",
        "dzialki",
        "obreby",
    ]
    assert all("REQUEST=GetLegendGraphic" in layer["legend"] for layer in config["layers"])
    # no BASEMAP_URL: the offline background, the gmina WMS's own layer (tests/wms/test_basemap.py)
    assert config["basemap"]["url"] == "" and config["basemap"]["layer"] == "podklad"
    assert config["basemap"]["bgcolor"].startswith("0x")
    assert config["outline"]["type"] in {"Polygon", "MultiPolygon"}
    (south, west), (north, east) = config["bounds"]
    assert 22 < west < east < 24 and 52 < south < north < 54  # gmina A lies in Podlaskie
    assert [p["number"] for p in config["precincts"]] == ["0001"]
    assert config["panelUrl"] == "/gmina-a/panel/" and config["searchUrl"] == "/gmina-a/szukaj.json"


def test_nothing_loads_from_outside_by_default(anonymous, world):
    for url in ("/", "/gmina-a/", "/gmina-a/plany/", f"/gmina-a/plany/{world.plan_a.pk}/"):
        body = anonymous.get(url).content.decode()
        external = re.findall(r'(?:src|href)="(?:https?:)?//[^"]*"', body)
        assert external == [], (url, external)
        assert "<script>" not in body and "onclick" not in body  # no inline scripts (CSP)


def test_a_configured_base_layer_is_handed_to_the_map(anonymous, world, settings):
    settings.BASEMAP_URL = "https://tiles.example/{z}/{x}/{y}.png"
    settings.BASEMAP_ATTRIBUTION = "© example"
    config = map_config(anonymous.get(reverse("municipality", args=["gmina-a"])))
    assert config["basemap"] == {
        "url": "https://tiles.example/{z}/{x}/{y}.png",
        "attribution": "© example",
        "layer": "",  # the XYZ layer replaces the offline background
        "bgcolor": "",
    }
    for url in ("/", f"/gmina-a/plany/{world.plan_a.pk}/"):
        body = anonymous.get(url).content.decode()
        assert 'data-basemap-url="https://tiles.example/{z}/{x}/{y}.png"' in body, url


def test_the_gmina_page_is_served_in_under_100_ms(anonymous, world, django_assert_max_num_queries):
    url = reverse("municipality", args=["gmina-a"])
    anonymous.get(url)  # warm up templates and translations
    timings = []
    for _ in range(7):
        started = time.perf_counter()
        # gmina, plans, catalogue, layers of the map, and the gmina's open consultations
        with django_assert_max_num_queries(5):
            assert anonymous.get(url).status_code == 200
        timings.append(time.perf_counter() - started)
    assert statistics.median(timings) < 0.100, timings


def test_the_plan_list_shows_status_dates_and_kind_of_visible_plans(anonymous, world, planner_b):
    body = anonymous.get(reverse("plan-list", args=["gmina-b"])).content.decode()
    assert "MPZP wsi Gmina B" in body and "MPZP" in body and "Uchwała Nr I/1/2024" in body
    assert "tajny" not in body
    assert (
        "tajny"
        in client_for(planner_b).get(reverse("plan-list", args=["gmina-b"])).content.decode()
    )


def test_the_plan_page_shows_metadata_history_documents_and_zones(anonymous, world):
    world.plan_a.documents.create(
        municipality=world.gmina_a,
        kind="resolution",
        title="Uchwała w BIP",
        url="https://bip.example/1.pdf",
    )
    response = anonymous.get(reverse("plan-detail", args=["gmina-a", world.plan_a.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    for text in (
        "MPZP wsi Gmina A",
        "Uchwała Nr I/1/2024",
        "1:1000",
        "Uchwała w BIP",
        "§ 7.",
        "1KDD",
    ):
        assert text in body, text
    assert 'data-map="outline"' in body and 'aria-current="true"' in body


def test_the_plan_page_lists_every_version_it_may_show(anonymous, world):
    from tests.factories import make_plan

    old = world.plan_a
    new = make_plan(
        world.gmina_a,
        boundary=old.boundary,
        title="MPZP wsi Gmina A – zmiana",
        previous_version=old,
    )
    body = anonymous.get(reverse("plan-detail", args=["gmina-a", new.pk])).content.decode()
    assert reverse("plan-detail", args=["gmina-a", old.pk]) in body
    body = anonymous.get(reverse("plan-detail", args=["gmina-a", old.pk])).content.decode()
    assert reverse("plan-detail", args=["gmina-a", new.pk]) in body


def test_an_unpublished_plan_is_a_404_for_everyone_but_its_gminas_staff(
    anonymous, world, planner_a, planner_b, surveyor
):
    url = reverse("plan-detail", args=["gmina-b", world.draft_b.pk])
    for client in (anonymous, client_for(planner_a), client_for(surveyor)):
        assert client.get(url).status_code == 404
    assert client_for(planner_b).get(url).status_code == 200


def test_another_gminas_plan_is_a_404(anonymous, world):
    assert (
        anonymous.get(reverse("plan-detail", args=["gmina-a", world.plan_b.pk])).status_code == 404
    )
    assert anonymous.get("/gmina-a/plany/abc/").status_code == 404
    assert anonymous.get("/nie-ma/plany/").status_code == 404


def test_the_gmina_page_never_shows_another_gminas_draft(world, planner_a):
    body = client_for(planner_a).get(reverse("municipality", args=["gmina-b"])).content.decode()
    assert "MPZP wsi Gmina B" in body and "tajny" not in body


@pytest.mark.parametrize("url", ["/", "/gmina-a/", "/gmina-a/plany/"])
def test_pages_are_polish_first_with_an_english_switch(world, url):
    client = Client()
    body = client.get(url).content.decode()
    assert '<html lang="pl">' in body and "Przejdź do treści" in body
    assert 'action="/i18n/setlang/"' in body
    client.post("/i18n/setlang/", {"language": "en", "next": url})
    body = client.get(url).content.decode()
    assert '<html lang="en">' in body and "Skip to content" in body


def test_a_drafted_new_version_stays_out_of_the_public_history(anonymous, world, planner_b):
    from tests.factories import make_plan

    draft = make_plan(
        world.gmina_b,
        boundary=world.plan_b.boundary,
        title="Zmiana planu – projekt niejawny",
        published=False,
        status="elaboration",
        previous_version=world.plan_b,
    )
    url = reverse("plan-detail", args=["gmina-b", world.plan_b.pk])
    assert "projekt niejawny" not in anonymous.get(url).content.decode()
    body = client_for(planner_b).get(url).content.decode()
    assert reverse("plan-detail", args=["gmina-b", draft.pk]) in body
