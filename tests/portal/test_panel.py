"""The side panel / parcel page: zones covering a parcel with their share, computed in EPSG:2180."""

from __future__ import annotations

import re

import pytest
from django.urls import resolve, reverse

from portal.panel import find_parcel, parcel_panel
from tests.conftest import A_ORIGIN, client_for
from tests.factories import box, make_plan, make_zone
from tests.portal.conftest import lonlat_of


def shares(panel) -> dict[str, tuple[float, float]]:
    return {s.zone.designation: (s.area_m2, s.share_pct) for s in panel.zones}


def test_it_computes_each_zones_share_of_the_parcel_in_square_metres_and_percent(world):
    parcel = find_parcel(municipality=world.gmina_a, identifier=world.parcel_a.identifier)
    panel = parcel_panel(municipality=world.gmina_a, parcel=parcel, user=None)
    # the parcel is 100 m × 60 m; 1MN takes 50 m of it, 1KDD 12 m, 1U 38 m
    assert panel.area_m2 == 6000.0
    assert shares(panel) == {
        "1MN": (3000.0, 50.0),
        "1KDD": (720.0, 12.0),
        "1U": (2280.0, 38.0),
    }
    assert panel.plans[0].covered_pct == 100.0
    assert [p.plan for p in panel.plans] == [world.plan_a]


def test_zones_only_touching_the_parcel_or_in_a_repealed_plan_are_left_out(world):
    x, y = A_ORIGIN
    repealed = make_plan(world.gmina_a, boundary=box(x, y, x + 900, y + 900), status="obsolete")
    make_zone(repealed, "5ZP", box(x + 250, y + 200, x + 350, y + 260))
    touching = make_plan(world.gmina_a, boundary=box(x + 350, y, x + 900, y + 900), title="Obok")
    make_zone(touching, "7R", box(x + 350, y + 200, x + 400, y + 260))
    parcel = find_parcel(municipality=world.gmina_a, identifier=world.parcel_a.identifier)
    panel = parcel_panel(municipality=world.gmina_a, parcel=parcel, user=None)
    assert set(shares(panel)) == {"1MN", "1KDD", "1U"}


def test_the_panel_needs_a_constant_number_of_queries(world, django_assert_max_num_queries):
    url = reverse("parcel-panel", args=["gmina-a"])
    client = client_for_anonymous()
    with django_assert_max_num_queries(6):
        assert client.get(url, {"dzialka": world.parcel_a.identifier}).status_code == 200
    x, y = A_ORIGIN
    for i in range(5):  # five more plans, each with a zone and a document over the parcel
        plan = make_plan(world.gmina_a, boundary=box(x, y, x + 900, y + 900), title=f"Plan {i}")
        make_zone(plan, f"{i}U", box(x + 250, y + 200, x + 260 + i, y + 260))
        plan.documents.create(
            municipality=world.gmina_a,
            kind="resolution",
            title=f"Uchwała {i}",
            url=f"https://bip.example/{i}.pdf",
        )
    with django_assert_max_num_queries(6):
        body = client.get(url, {"dzialka": world.parcel_a.identifier}).content.decode()
    assert body.count('class="zone"') == 8
    assert "Uchwała 4" in body


def client_for_anonymous():
    from django.test import Client

    return Client()


def test_a_click_on_the_map_finds_the_parcel_under_it(anonymous, world):
    lon, lat = lonlat_of(world.parcel_a)
    response = anonymous.get(reverse("parcel-panel", args=["gmina-a"]), {"lon": lon, "lat": lat})
    assert response.status_code == 200
    body = response.content.decode()
    assert f'data-identifier="{world.parcel_a.identifier}"' in body
    assert re.search(r'data-outline="\{&quot;type&quot;:&quot;MultiPolygon', body)


def test_a_click_outside_any_parcel_says_so(anonymous, world):
    response = anonymous.get(reverse("parcel-panel", args=["gmina-a"]), {"lon": 19.0, "lat": 52.0})
    assert response.status_code == 404
    assert 'role="status"' in response.content.decode()


@pytest.mark.parametrize(
    "params", [{"lon": "x", "lat": "1"}, {"lon": "200", "lat": "52"}, {"lat": "52"}, {}]
)
def test_bad_coordinates_get_a_clear_error(anonymous, world, params):
    response = anonymous.get(reverse("parcel-panel", args=["gmina-a"]), params)
    assert response.status_code == 400
    assert "lon" in response.content.decode()


def test_another_gminas_parcel_is_a_404_in_the_panel_and_the_page(anonymous, world):
    url = reverse("parcel-panel", args=["gmina-a"])
    assert anonymous.get(url, {"dzialka": world.parcel_b.identifier}).status_code == 404
    lon, lat = lonlat_of(world.parcel_b)
    assert anonymous.get(url, {"lon": lon, "lat": lat}).status_code == 404
    page = reverse("parcel", args=["gmina-a", world.parcel_b.identifier])
    assert anonymous.get(page).status_code == 404


def test_unpublished_plans_show_only_to_their_own_gminas_staff(
    anonymous, world, parcel_under_draft_b, planner_a, planner_b, surveyor
):
    url = reverse("parcel-panel", args=["gmina-b"])
    query = {"dzialka": parcel_under_draft_b.identifier}
    for client in (anonymous, client_for(planner_a), client_for(surveyor)):
        body = client.get(url, query).content.decode()
        assert "9MW" not in body and "tajny" not in body
    body = client_for(planner_b).get(url, query).content.decode()
    assert "9MW" in body and "tajny" in body


def test_the_parcel_page_is_shareable_and_complete(anonymous, world):
    url = reverse("parcel", args=["gmina-a", world.parcel_a.identifier])
    body = anonymous.get(url).content.decode()
    for text in ("1MN", "1KDD", "1U", "§ 6.", "Uchwała Nr I/1/2024", "50,0", "12,0", "38,0"):
        assert text in body, text
    assert f"{url}wypis.pdf" in body
    assert resolve(f"{url}wypis.pdf").url_name == "extract-informational"  # the extracts' contract
    assert "/wypisy/?dzialka=209901_2.0001.12%2F3" in body
    assert reverse("plan-detail", args=["gmina-a", world.plan_a.pk]) in body


def test_plan_ogolny_overlays_show_with_their_share(world):
    from plans.models import Regulation

    x, y = A_ORIGIN
    Regulation.objects.create(
        municipality=world.gmina_a,
        plan=world.plan_a,
        kind="OUZ",
        designation="OUZ1",
        geom=box(x + 250, y + 200, x + 275, y + 260),  # a quarter of the parcel
    )
    parcel = find_parcel(municipality=world.gmina_a, identifier=world.parcel_a.identifier)
    panel = parcel_panel(municipality=world.gmina_a, parcel=parcel, user=None)
    [overlay] = panel.plans[0].regulations
    assert (overlay.regulation.designation, overlay.area_m2, overlay.share_pct) == (
        "OUZ1",
        1500.0,
        25.0,
    )


def test_a_click_on_a_zone_without_a_parcel_names_the_zone(anonymous, world):
    from django.contrib.gis.geos import Point

    x, y = A_ORIGIN
    spot = Point(x + 306, y + 380, srid=2180).transform(4326, clone=True)  # on road 1KDD
    response = anonymous.get(
        reverse("parcel-panel", args=["gmina-a"]), {"lon": spot.x, "lat": spot.y}
    )
    assert response.status_code == 404
    body = response.content.decode()
    assert "1KDD" in body and "droga dojazdowa" in body and "1MN" not in body
    # another gmina's draft zone is never named, even where it lies
    from tests.conftest import B_ORIGIN

    bx, by = B_ORIGIN
    spot = Point(bx + 850, by + 850, srid=2180).transform(4326, clone=True)
    body = anonymous.get(
        reverse("parcel-panel", args=["gmina-b"]), {"lon": spot.x, "lat": spot.y}
    ).content.decode()
    assert "9MW" not in body


@pytest.mark.parametrize(
    "identifier", ["\x00", "x" * 500, "209901_2.0001.0", "' OR 1=1 --", "12/3"]
)
def test_a_malformed_identifier_is_a_clear_not_found(anonymous, world, identifier):
    response = anonymous.get(reverse("parcel-panel", args=["gmina-a"]), {"dzialka": identifier})
    assert response.status_code == 404
    assert 'role="status"' in response.content.decode()


def test_an_identifier_as_written_in_file_names_finds_the_parcel(anonymous, world):
    response = anonymous.get(
        reverse("parcel-panel", args=["gmina-a"]), {"dzialka": "209901_2.0001.12_3"}
    )
    assert response.status_code == 200
