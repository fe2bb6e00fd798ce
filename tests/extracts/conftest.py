"""Helpers for the extract tests: PDF text and a request of gmina A's parcel 12/3."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from extracts.workflow import Requester, submit_request
from tests.factories import settle_fee


def pdf_text(data: bytes) -> str:
    """The extractable text of a PDF, pages joined (pypdf)."""
    reader = PdfReader(io.BytesIO(bytes(data)))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def pdf_pages(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(bytes(data))).pages)


@pytest.fixture
def request_a(world):
    """A pending wypis i wyrys request for parcel 12/3 of gmina A, its fee paid (ready to issue)."""
    (req,) = submit_request(
        identifiers=[world.parcel_a.identifier],
        kind="wypis_wyrys",
        requester=Requester(
            name="Zofia Żółkiewska",
            address="ul. Łąkowa 5, 15-001 Białystok",
            email="zofia@example.org",
        ),
        purpose="sprzedaż działki",
        submission_key="key-a",
    )
    return settle_fee(req)


@pytest.fixture
def unpaid_request_a(world):
    """A pending wypis request for parcel 12/3 of gmina A whose fee nobody has recorded yet."""
    (req,) = submit_request(
        identifiers=[world.parcel_a.identifier],
        kind="wypis",
        requester=Requester(name="Jan Nowak", address="ul. Polna 5, 15-001 Białystok"),
        submission_key="key-unpaid",
    )
    return req


@pytest.fixture
def clerk_b(world):
    from django.contrib.auth import get_user_model

    from layers.models import Membership

    user = get_user_model().objects.create_user(username="clerk_b", password="test-pass-123")
    Membership.objects.create(user=user, municipality=world.gmina_b, role=Membership.Role.CLERK)
    return user


@pytest.fixture(autouse=True)
def english_messages(settings):
    """Messages are checked in English (the msgids); the PDF itself is always Polish."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _forget_mapnik_maps():
    """Loaded Mapnik maps hold PostGIS datasources of the test database: drop them after a test."""
    from wms.maps.render import clear_map_cache

    yield
    clear_map_cache()
