"""layers/permissions.py: the one answer to "may U do A on O", persona by persona."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import RequestFactory
from rest_framework.views import APIView

from accounts.drf import allows
from accounts.models import SurveyorProfile
from layers.permissions import (
    ROLE_ACTIONS,
    USER_ACTIONS,
    can,
    denial_status,
    municipalities_where,
    roles_in,
    visible_plans_filter,
)
from plans.models import Plan

PERSONAS = ("planner_a", "clerk_a", "admin_a", "planner_b", "surveyor", "platform_admin")

# action on gmina A -> personas allowed (anonymous: never, for these)
ON_GMINA_A = {
    "plan.view_unpublished": {"planner_a", "clerk_a", "admin_a", "platform_admin"},
    "plan.import": {"planner_a", "admin_a", "platform_admin"},
    "plan.publish": {"planner_a", "admin_a", "platform_admin"},
    "plan.change_status": {"planner_a", "admin_a", "platform_admin"},
    "parcel.import": {"planner_a", "admin_a", "platform_admin"},
    "extract.view_queue": {"clerk_a", "admin_a", "platform_admin"},
    "extract.issue": {"clerk_a", "platform_admin"},
    "extract.reject": {"clerk_a", "platform_admin"},
    "staff.manage": {"admin_a", "platform_admin"},
    "consultation.manage": {"planner_a", "admin_a", "platform_admin"},
    "audit.view": {"admin_a", "platform_admin"},
    "monitoring.view": {"admin_a", "platform_admin"},
    "surveyor.approve": {"admin_a", "platform_admin"},
}


@pytest.fixture
def people(request, world):
    return {name: request.getfixturevalue(name) for name in PERSONAS}


def test_every_role_action_is_in_the_table():
    assert set(ON_GMINA_A) == set(ROLE_ACTIONS)


def test_role_actions_on_gmina_a_and_its_objects(people, world):
    from django.contrib.auth.models import AnonymousUser

    for action, expected in sorted(ON_GMINA_A.items()):
        on_gmina = {name for name, user in people.items() if can(user, action, world.gmina_a)}
        on_plan = {name for name, user in people.items() if can(user, action, world.plan_a)}
        assert (action, on_gmina) == (action, expected)
        assert (action, on_plan) == (action, expected)  # an object of the gmina counts as it
        assert not can(AnonymousUser(), action, world.gmina_a)


def test_account_actions(people, world):
    from django.contrib.auth.models import AnonymousUser

    assert not can(people["surveyor"], "extract.request")
    SurveyorProfile.objects.create(
        user=people["surveyor"], licence_number="1", municipality=world.gmina_a, status="approved"
    )
    people["surveyor"].refresh_from_db()
    for action in ("extract.request", "extract.request_batch"):
        allowed = {n for n, u in people.items() if can(u, action)}
        assert allowed == {"surveyor", "platform_admin"}
        assert not can(AnonymousUser(), action)
    assert {n for n, u in people.items() if can(u, "otp.setup")} == set(PERSONAS) - {"surveyor"}
    assert {n for n, u in people.items() if can(u, "audit.view_all")} == {"platform_admin"}
    assert {n for n, u in people.items() if can(u, "surveyor.register")} == set(PERSONAS) - {
        "surveyor"
    }
    assert not can(AnonymousUser(), "surveyor.register")


def test_public_actions_and_unpublished_plans(people, world):
    from django.contrib.auth.models import AnonymousUser

    for user in [AnonymousUser(), *people.values()]:
        assert can(user, "plan.view_published", world.plan_b)
        assert can(user, "parcel.view", world.parcel_b)
    draft_viewers = {n for n, u in people.items() if can(u, "plan.view_published", world.draft_b)}
    assert draft_viewers == {"planner_b", "platform_admin"}
    assert not can(AnonymousUser(), "plan.view_published", world.draft_b)


def test_visible_plans_filter_matches_can(people, world):
    from django.contrib.auth.models import AnonymousUser

    for user in [AnonymousUser(), *people.values()]:
        visible = set(Plan.objects.filter(visible_plans_filter(user)))
        expected = {p for p in Plan.objects.all() if can(user, "plan.view_published", p)}
        assert visible == expected


def test_unknown_actions_are_an_error_not_a_no(people):
    with pytest.raises(ValueError, match="unknown action"):
        can(people["planner_a"], "plan.delete_everything")
    with pytest.raises(ValueError):
        municipalities_where(people["planner_a"], "extract.request")
    assert not set(ROLE_ACTIONS) & USER_ACTIONS


def test_inactive_accounts_lose_every_role(people, world):
    planner = people["planner_a"]
    planner.is_active = False
    assert roles_in(planner, world.gmina_a) == set()
    assert not can(planner, "plan.import", world.gmina_a)
    admin = people["platform_admin"]
    admin.is_active = False
    assert not can(admin, "staff.manage", world.gmina_a)


def test_municipalities_where_lists_the_gminy_of_a_role(people, world):
    assert list(municipalities_where(people["planner_a"], "plan.import")) == [world.gmina_a]
    assert list(municipalities_where(people["planner_a"], "extract.issue")) == []
    assert set(municipalities_where(people["platform_admin"], "extract.issue")) == {
        world.gmina_a,
        world.gmina_b,
    }


def test_denial_status_says_login_404_or_403(people, world):
    from django.contrib.auth.models import AnonymousUser

    assert denial_status(AnonymousUser(), "staff.manage", world.gmina_a) == 401
    assert denial_status(people["planner_b"], "staff.manage", world.gmina_a) == 404
    assert denial_status(people["planner_a"], "staff.manage", world.gmina_a) == 403
    assert denial_status(people["admin_a"], "staff.manage", world.gmina_a) is None


def test_the_drf_permission_class_asks_the_same_rules(people, world):
    permission = allows("extract.request_batch")()
    request = RequestFactory().post("/api/x")
    request.user = people["surveyor"]
    assert not permission.has_permission(request, APIView())
    request.user = people["platform_admin"]
    assert permission.has_permission(request, APIView())
    staff = allows("extract.issue")()
    request.user = people["clerk_a"]
    assert staff.has_object_permission(request, APIView(), world.gmina_a)
    assert not staff.has_object_permission(request, APIView(), world.gmina_b)


ROOT = Path(__file__).resolve().parents[2]
# constructs that decide "who may" and belong only in layers/permissions.py
RULE_PATTERNS = re.compile(
    r"is_superuser|\.is_staff\b|memberships__role|Role\.(PLANNER|CLERK|ADMIN)|role__in|_portal_roles"
)
# modules that manage roles (not decide with them) or create the demo's accounts
ALLOWED = {
    "layers/permissions.py",
    "layers/models.py",
    "portal/management/commands/load_demo.py",
    "accounts/staff.py",
}


def test_no_module_outside_the_permission_module_encodes_rules():
    offenders = []
    for path in sorted(ROOT.glob("*/**/*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if relative.split("/")[0] in {".venv", "tests", "node_modules", "bench"}:
            continue
        if "/migrations/" in relative or relative in ALLOWED:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if RULE_PATTERNS.search(line):
                offenders.append(f"{relative}:{number}: {line.strip()}")
    assert not offenders, (
        "permission rules outside layers/permissions.py (ask can()/municipalities_where() "
        "instead):\n" + "\n".join(offenders)
    )
