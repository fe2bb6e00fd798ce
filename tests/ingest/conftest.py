"""Gminy matching the real sample files (their TERYT codes), and helpers for the ingest tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from layers.models import Membership, Municipality
from layers.municipalities import create_municipality
from tests.conftest import fixture_path

TESTOWA = ("app-samples", "pog-testowa-2178")


def fixture(name: str) -> Path:
    return fixture_path("ingest", name)


def pog_testowa(name: str) -> Path:
    return fixture_path(*TESTOWA, name)


@pytest.fixture
def gmina_testowa(db) -> Municipality:
    """The gmina of the pog-testowa-2178 sample (przestrzenNazw …/121201-POG), no boundary yet."""
    return create_municipality(teryt="121201_2", name="Gmina Testowa", slug="testowa")


@pytest.fixture
def gmina_abc(db) -> Municipality:
    return create_municipality(teryt="321202_2", name="Gmina ABC", slug="abc")


@pytest.fixture
def gmina_egib(db) -> Municipality:
    """The gmina of the EGiB samples (unit 221101_1, obręb 0001)."""
    return create_municipality(teryt="221101_1", name="Gmina EGiB", slug="egib")


@pytest.fixture
def planner_testowa(gmina_testowa, django_user_model):
    user = django_user_model.objects.create_user(username="planner_testowa", password="x-pass-123")
    Membership.objects.create(user=user, municipality=gmina_testowa, role=Membership.Role.PLANNER)
    return user


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings, tmp_path):
    """Uploaded files go to a temporary MEDIA_ROOT, never into the project's .var."""
    settings.MEDIA_ROOT = tmp_path / "media"
