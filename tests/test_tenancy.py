"""Tenant-first lookups and the pages of the foundation: another gmina's objects are a 404."""

from __future__ import annotations

import pytest
from django.http import Http404
from django.urls import reverse

from layers.models import Parcel
from layers.permissions import can, visible_plans_filter
from layers.tenancy import get_for_municipality_or_404
from plans.models import Plan, PlanZone
from tests.conftest import client_for


def test_lookups_within_the_gmina_find_its_objects(world):
    assert (
        get_for_municipality_or_404(Parcel, world.gmina_a, pk=world.parcel_a.pk) == world.parcel_a
    )


def test_another_gminas_object_is_a_404(world):
    with pytest.raises(Http404):
        get_for_municipality_or_404(Parcel, world.gmina_b, pk=world.parcel_a.pk)
    with pytest.raises(Http404):
        get_for_municipality_or_404(Plan, world.gmina_a, pk="not-a-number")


def test_the_home_page_lists_the_gminy(anonymous, world):
    response = anonymous.get(reverse("home"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Gmina A" in body and "Gmina B" in body and "209901_2" in body


def test_a_gmina_page_shows_only_its_published_plans(anonymous, world):
    body = anonymous.get(reverse("municipality", args=["gmina-b"])).content.decode()
    assert "MPZP wsi Gmina B" in body
    assert "tajny" not in body


def test_a_parcel_page_is_reached_through_its_own_gmina_only(anonymous, world):
    url_a = reverse("parcel", args=["gmina-a", world.parcel_a.identifier])
    assert url_a.endswith("/dzialki/209901_2.0001.12/3/")
    response = anonymous.get(url_a)
    assert response.status_code == 200
    body = response.content.decode()
    for designation in ("1MN", "1KDD", "1U"):
        assert designation in body
    assert (
        anonymous.get(reverse("parcel", args=["gmina-b", world.parcel_a.identifier])).status_code
        == 404
    )


def test_an_unknown_gmina_is_a_404(anonymous, world):
    assert anonymous.get("/nie-ma-takiej/").status_code == 404


def test_the_simple_map_data_stay_within_the_gmina(anonymous, world):
    url = reverse("municipality-features", args=["gmina-b"])
    data = anonymous.get(url, {"bbox": "14,49,24.5,55"}).json()
    labels = {f["properties"]["label"] for f in data["features"]}
    assert world.parcel_b.identifier in labels
    assert world.parcel_a.identifier not in labels
    assert "9MW" not in labels  # the unpublished draft
    assert anonymous.get(url, {"bbox": "garbage"}).status_code == 400


def test_planners_see_their_own_drafts_and_nobody_elses(world, planner_a, planner_b, surveyor):
    def visible(user):
        return set(Plan.objects.filter(visible_plans_filter(user)).values_list("title", flat=True))

    assert world.draft_b.title in visible(planner_b)
    assert world.draft_b.title not in visible(planner_a)
    assert world.draft_b.title not in visible(surveyor)
    zones = PlanZone.objects.filter(visible_plans_filter(planner_a, prefix="plan__"))
    assert not zones.filter(designation="9MW").exists()


def test_roles_are_per_gmina(world, planner_a, clerk_a, planner_b, platform_admin):
    assert can(planner_a, "plan.import", world.gmina_a)
    assert not can(planner_a, "plan.import", world.gmina_b)
    assert not can(planner_b, "plan.import", world.plan_a)
    assert can(clerk_a, "extract.issue", world.gmina_a)
    assert not can(planner_a, "extract.issue", world.gmina_a)
    assert can(platform_admin, "plan.import", world.gmina_b)
    assert can(None, "plan.view_published", world.plan_a)
    assert not can(None, "plan.view_published", world.draft_b)
    with pytest.raises(ValueError):
        can(planner_a, "plan.destroy", world.plan_a)


def test_the_admin_opens_for_a_platform_admin(world, platform_admin):
    client = client_for(platform_admin)
    for url in (
        "/admin/",
        "/admin/layers/parcel/",
        f"/admin/layers/parcel/{world.parcel_a.pk}/change/",
        "/admin/plans/plan/",
        f"/admin/plans/planzone/{world.plan_a.zones.first().pk}/change/",
        "/admin/layers/municipality/add/",
        "/admin/accounts/auditevent/",
    ):
        assert client.get(url).status_code == 200, url


def test_the_admin_refuses_residents(anonymous, world):
    assert anonymous.get("/admin/layers/parcel/").status_code == 302
