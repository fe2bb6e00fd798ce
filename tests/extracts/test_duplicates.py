"""Duplicate requests (issue 19, point 8): back + submit files the same request again; the
applicant is warned on the status page and the clerk sees a mark in the queue."""

from __future__ import annotations

import pytest

from extracts.workflow import Requester, issue_request, submit_request
from tests.conftest import client_for
from tests.factories import settle_fee

pytestmark = pytest.mark.django_db
WARNING = "You filed the same request"  # tests/extracts/conftest.py: English


def form(world, key: str, **changes) -> dict[str, str]:
    return {
        "parcels": world.parcel_a.identifier,
        "kind": "wypis",
        "name": "Jan Kowalski",
        "address": "Wieś 1",
        "submission_key": key,
        **changes,
    }


def test_back_and_submit_again_warns_the_applicant_and_marks_the_queue(world, anonymous, clerk_a):
    first = anonymous.post("/wypisy/", form(world, "first"))
    again = anonymous.post("/wypisy/", form(world, "second"))  # a fresh form after going back
    assert first.status_code == again.status_code == 302
    assert WARNING not in anonymous.get(first["Location"]).content.decode()
    assert WARNING in anonymous.get(again["Location"]).content.decode()
    queue = client_for(clerk_a).get("/wypisy/gmina-a/kolejka/").content.decode()
    assert queue.count("same as request") == 1


@pytest.mark.parametrize(
    "change", [{"kind": "wyrys"}, {"name": "Anna Nowak"}, {"parcels": "209901_2.0001.40"}]
)
def test_another_kind_applicant_or_parcel_is_not_a_duplicate(world, anonymous, change):
    anonymous.post("/wypisy/", form(world, "first"))
    again = anonymous.post("/wypisy/", form(world, "second", **change))
    assert WARNING not in anonymous.get(again["Location"]).content.decode()


def test_a_decided_request_is_not_a_duplicate_any_more(world, anonymous, clerk_a):
    (first,) = submit_request(
        identifiers=[world.parcel_a.identifier],
        kind="wypis",
        requester=Requester(name="Jan Kowalski", address="Wieś 1"),
        submission_key="first",
    )
    settle_fee(first)
    issue_request(req=first, clerk=clerk_a)
    again = anonymous.post("/wypisy/", form(world, "second"))
    assert WARNING not in anonymous.get(again["Location"]).content.decode()
