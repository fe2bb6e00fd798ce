"""Surveyors find their work (issue 19, point 4): "Moje wnioski", the API docs linked and
readable, with a worked example of a batch."""

from __future__ import annotations

import pytest
from django.test import override_settings

from accounts.models import SurveyorProfile
from extracts.models import ExtractBatch
from extracts.workflow import Requester, submit_request
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def _approve(user, world):
    SurveyorProfile.objects.create(
        user=user, licence_number="12345", municipality=world.gmina_a, status="approved"
    )


def _file(world, user, key: str):
    (req,) = submit_request(
        identifiers=[world.parcel_a.identifier],
        kind="wypis_wyrys",
        requester=Requester(name=f"Geodeta {key}", address="ul. Polna 5", user=user),
        submission_key=key,
    )
    return req


def test_my_requests_lists_own_requests_and_batches_newest_first_and_nobody_elses(
    world, surveyor, planner_a
):
    _approve(surveyor, world)
    older, newer = _file(world, surveyor, "first"), _file(world, surveyor, "second")
    others = _file(world, planner_a, "others")
    batch = ExtractBatch.objects.create(
        owner=surveyor, parcel_ids=[world.parcel_a.identifier], as_of=world.plan_a.in_force_from
    )
    foreign = ExtractBatch.objects.create(
        owner=planner_a, parcel_ids=["x"] * 7, as_of=world.plan_a.in_force_from
    )
    html = client_for(surveyor).get("/wypisy/moje/").content.decode()
    assert html.index(str(newer.token)) < html.index(str(older.token))
    assert str(others.token) not in html
    assert f"/api/extracts/{batch.pk}/" in html and f"/api/extracts/{foreign.pk}/" not in html
    assert "/api/docs/" in html
    assert "/wypisy/moje/" in client_for(surveyor).get("/konto/").content.decode()


def test_the_api_docs_show_numbers_not_setting_names_or_operation_ids_and_a_curl_example(
    world, anonymous
):
    html = anonymous.get("/api/docs/").content.decode()
    assert "EXTRACT_BATCH_MAX" not in html and "schema_retrieve" not in html
    assert "_retrieve" not in html and "_create" not in html
    assert "/api/schema/" in html  # still linked, only not listed as an operation
    assert "at most 100 parcels" in html
    assert "curl -u LOGIN:PASSWORD" in html
    for path in ("/api/extracts/", "/api/extracts/17/", "/api/extracts/17/zip"):
        assert path in html


@override_settings(LANGUAGE_CODE="pl")
def test_the_api_docs_count_parcels_in_polish(world):
    from django.test import Client

    html = Client(headers={"accept-language": "pl"}).get("/api/docs/").content.decode()
    assert "Pakiet obejmuje najwyżej 100 działek." in html
