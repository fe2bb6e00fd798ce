"""Personas and two gminy (STYLE.md §2): gmina A (planner, clerk, admin), gmina B (planner),
a surveyor, an anonymous resident and a platform admin.

Gmina A lies in Podlaskie (PL-2000 zone 8), gmina B in Lubelskie (zone 7). Each has one precinct,
a few parcels and a published MPZP in force; B also has an unpublished draft plan that nobody
outside B may see.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client

from layers.models import Membership, Municipality, Parcel
from plans.models import Plan
from tests.factories import box, make_municipality, make_parcel, make_plan, make_precinct, make_zone

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"

A_ORIGIN = (751000.0, 598000.0)
B_ORIGIN = (703000.0, 388000.0)


@pytest.fixture(autouse=True)
def _fast_passwords_and_a_fresh_cache(settings):
    """Hashing test passwords slowly costs ~1 s per persona; rate-limit counters must not leak;
    imports run unpaced (plans/ingest/pace.py has its own tests)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.IMPORT_CPU_SHARE = 1.0
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session", autouse=True)
def _close_the_catalogue_listener(django_db_setup):
    """wms/core/generation.py keeps a LISTENing connection: closed before the test database is dropped."""
    yield
    from wms.core.generation import watch

    watch.close()


def repository_file(*parts: str) -> Path:
    """A file or folder of this repository; a missing one fails the test with a clear message."""
    path = ROOT.joinpath(*parts)
    if not path.exists():
        pytest.fail(f"test data missing from the repository: {path.relative_to(ROOT)}")
    return path


def fixture_path(*parts: str) -> Path:
    """A file of fixtures/ (its README gives each file's source and licence)."""
    return repository_file("fixtures", *parts)


def schema_path(*parts: str) -> Path:
    """A file of schemas/ (the offline APP, EGiB and OGC schemas)."""
    return repository_file("schemas", *parts)


@dataclass
class World:
    gmina_a: Municipality
    gmina_b: Municipality
    plan_a: Plan
    plan_b: Plan
    draft_b: Plan
    parcel_a: Parcel
    parcel_b: Parcel


def _build_gmina(teryt: str, name: str, slug: str, origin: tuple[float, float]):
    x, y = origin
    municipality = make_municipality(teryt, name, slug, origin)
    precinct = make_precinct(municipality, "0001", f"{name}-Wieś")
    plan_area = box(x + 100, y + 100, x + 500, y + 400)
    plan = make_plan(municipality, boundary=plan_area, title=f"MPZP wsi {name}")
    make_zone(
        plan,
        "1MN",
        box(x + 100, y + 100, x + 300, y + 400),
        name="zabudowa mieszkaniowa jednorodzinna",
        provisions="§ 6. Dla terenu 1MN ustala się zabudowę mieszkaniową jednorodzinną.",
    )
    make_zone(
        plan,
        "1U",
        box(x + 312, y + 100, x + 500, y + 400),
        name="zabudowa usługowa",
        provisions="§ 7. Dla terenu 1U ustala się zabudowę usługową.",
    )
    make_zone(
        plan,
        "1KDD",
        box(x + 300, y + 100, x + 312, y + 400),
        name="droga dojazdowa",
        provisions="§ 8. Dla terenu 1KDD ustala się drogę publiczną klasy dojazdowej.",
    )
    # A parcel straddling 1MN, 1KDD and 1U; one outside any plan.
    parcel = make_parcel(precinct, "12/3", box(x + 250, y + 200, x + 350, y + 260))
    make_parcel(precinct, "40", box(x + 1000, y + 1000, x + 1100, y + 1100))
    return municipality, plan, parcel


@pytest.fixture
def world(db) -> World:
    return build_world()


def build_world() -> World:
    """The two gminy and B's draft; also called by tests/fuzz for its server's database."""
    gmina_a, plan_a, parcel_a = _build_gmina("209901_2", "Gmina A", "gmina-a", A_ORIGIN)
    gmina_b, plan_b, parcel_b = _build_gmina("069901_2", "Gmina B", "gmina-b", B_ORIGIN)
    x, y = B_ORIGIN
    draft_b = make_plan(
        gmina_b,
        boundary=box(x + 600, y + 600, x + 900, y + 900),
        published=False,
        status=Plan.Status.ELABORATION,
        title="Projekt MPZP Gmina B – tajny",
    )
    make_zone(
        draft_b,
        "9MW",
        box(x + 600, y + 600, x + 900, y + 900),
        name="zabudowa wielorodzinna (projekt)",
    )
    return World(gmina_a, gmina_b, plan_a, plan_b, draft_b, parcel_a, parcel_b)


def _user(
    username: str, *, municipality: Municipality | None = None, role: str | None = None, **flags
):
    user = get_user_model().objects.create_user(
        username=username, password="test-pass-123", **flags
    )
    if municipality and role:
        Membership.objects.create(user=user, municipality=municipality, role=role)
    return user


@pytest.fixture
def planner_a(world):
    return _user("planner_a", municipality=world.gmina_a, role=Membership.Role.PLANNER)


@pytest.fixture
def clerk_a(world):
    return _user("clerk_a", municipality=world.gmina_a, role=Membership.Role.CLERK)


@pytest.fixture
def admin_a(world):
    return _user("admin_a", municipality=world.gmina_a, role=Membership.Role.ADMIN)


@pytest.fixture
def planner_b(world):
    return _user("planner_b", municipality=world.gmina_b, role=Membership.Role.PLANNER)


@pytest.fixture
def surveyor(world):
    return _user("surveyor")


@pytest.fixture
def platform_admin(world):
    return _user("platform_admin", is_staff=True, is_superuser=True)


@pytest.fixture
def anonymous(world) -> Client:
    return Client()


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client
