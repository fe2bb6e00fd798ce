"""Tenant first: only the gmina's clerks see its queue and issue; everybody else gets 404."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from extracts.models import Extract, ExtractRequest
from extracts.workflow import Requester, issue_request, submit_request
from tests.conftest import client_for
from tests.factories import settle_fee

pytestmark = pytest.mark.django_db


def _endpoints(req):
    base = f"/wypisy/{req.municipality.slug}/kolejka/"
    return [
        ("get", base),
        ("get", f"{base}{req.pk}/"),
        ("post", f"{base}{req.pk}/wydaj/"),
        ("post", f"{base}{req.pk}/odrzuc/"),
        ("get", f"{base}{req.pk}/wypis.pdf"),
    ]


@pytest.mark.parametrize("who", ["clerk_b", "planner_a", "planner_b", "surveyor"])
def test_nobody_but_the_gminas_clerks_reaches_its_queue_detail_issue_reject_or_download(
    world, request, request_a, who
):
    client = client_for(request.getfixturevalue(who))
    for method, url in _endpoints(request_a):
        response = getattr(client, method)(url, {"reason": "x"} if method == "post" else None)
        assert response.status_code == 404, (who, url)
    request_a.refresh_from_db()
    assert request_a.status == "submitted" and not Extract.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in_from_the_queue_and_back(
    world, anonymous, request_a
):
    for method, url in _endpoints(request_a):
        response = getattr(anonymous, method)(url)
        assert response.status_code == 302, url
        assert response["Location"] == f"/konto/logowanie/?next={quote(url)}", url


def test_a_gmina_admin_sees_the_queue_but_only_clerks_issue(world, admin_a, request_a):
    client = client_for(admin_a)
    assert client.get("/wypisy/gmina-a/kolejka/").status_code == 200
    assert client.post(f"/wypisy/gmina-a/kolejka/{request_a.pk}/wydaj/").status_code == 403
    assert (
        client.post(
            f"/wypisy/gmina-a/kolejka/{request_a.pk}/odrzuc/", {"reason": "x", "confirm": "1"}
        ).status_code
        == 403
    )


def test_a_clerk_cannot_reach_another_gminas_request_through_their_own_queue(
    world, clerk_a, clerk_b
):
    (req_b,) = submit_request(
        identifiers=[world.parcel_b.identifier],
        kind="wypis",
        requester=Requester(name="B", address="B"),
        submission_key="b",
    )
    issue_request(req=settle_fee(req_b), clerk=clerk_b)
    client = client_for(clerk_a)
    for suffix in ("", "wydaj/", "odrzuc/", "wypis.pdf"):
        method = client.post if suffix in ("wydaj/", "odrzuc/") else client.get
        assert method(f"/wypisy/gmina-a/kolejka/{req_b.pk}/{suffix}").status_code == 404
    queue = client.get("/wypisy/gmina-a/kolejka/").content.decode()
    assert world.parcel_b.identifier not in queue
    assert ExtractRequest.objects.get(pk=req_b.pk).status == "issued"


def test_the_informational_pdf_of_another_gminas_parcel_is_404(world, anonymous):
    assert (
        anonymous.get(f"/gmina-b/dzialki/{world.parcel_a.identifier}/wypis.pdf").status_code == 404
    )
    assert anonymous.get("/gmina-a/dzialki/209901_2.0001.999/wypis.pdf").status_code == 404


def test_the_informational_pdf_of_a_retired_parcel_is_404(world, anonymous):
    from django.utils import timezone

    parcel = world.parcel_a
    parcel.valid_to = timezone.now()
    parcel.save(update_fields=["valid_to"])
    assert anonymous.get(f"/gmina-a/dzialki/{parcel.identifier}/wypis.pdf").status_code == 404


def test_a_status_page_needs_the_requests_secret_token(world, anonymous, request_a):
    assert anonymous.get(f"/wypisy/wniosek/{request_a.token}/").status_code == 200
    assert anonymous.get("/wypisy/wniosek/00000000-0000-0000-0000-000000000000/").status_code == 404
    # not issued yet: nothing to download
    assert anonymous.get(f"/wypisy/wniosek/{request_a.token}/wypis.pdf").status_code == 404


def test_the_request_form_is_prefilled_with_the_parcel_from_the_map(world, anonymous):
    response = anonymous.get("/wypisy/", {"dzialka": world.parcel_a.identifier})
    assert response.status_code == 200
    html = response.content.decode()
    assert world.parcel_a.identifier in html and 'name="submission_key"' in html


def test_the_verification_form_asks_for_a_code(world, anonymous):
    response = anonymous.get("/weryfikacja/")
    assert response.status_code == 200 and 'name="kod"' in response.content.decode()
