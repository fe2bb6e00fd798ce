"""The certified extract workflow end to end: request, fee, queue, issue/reject, audit, e-mail."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import AuditEvent
from extracts.models import Extract, ExtractRequest
from extracts.workflow import WorkflowError, issue_request, reject_request
from plans.models import Plan
from tests.conftest import client_for
from tests.extracts.conftest import pdf_text
from tests.factories import box, make_plan, make_zone, settle_fee

pytestmark = pytest.mark.django_db


def _form(world, *ids, key="k1", kind="wypis_wyrys"):
    return {
        "parcels": "\n".join(ids),
        "kind": kind,
        "name": "Jan Kowalski",
        "address": "ul. Źródlana 3, 00-001 Wieś",
        "email": "jan@example.org",
        "purpose": "",
        "submission_key": key,
    }


def test_it_files_a_request_with_a_fee_quote_from_the_real_pdf(
    world, anonymous, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = anonymous.post("/wypisy/", _form(world, world.parcel_a.identifier))
    assert response.status_code == 302
    req = ExtractRequest.objects.get()
    assert req.municipality == world.gmina_a and req.status == "submitted"
    assert req.fee_quote["total"] == "50"  # wypis up to 5 pages 30 zł + one A4 wyrys 20 zł
    page = anonymous.get(response["Location"])
    assert page.status_code == 200
    assert "50 zł" in page.content.decode()
    assert AuditEvent.objects.filter(action="extract.request", municipality=world.gmina_a).exists()
    (message,) = mail.outbox
    assert message.to == ["jan@example.org"] and str(req.token) in message.body


def test_it_splits_parcels_of_two_gminy_into_one_request_each_and_says_so(world, anonymous):
    response = anonymous.post(
        "/wypisy/", _form(world, world.parcel_a.identifier, world.parcel_b.identifier)
    )
    assert response.status_code == 302
    requests = ExtractRequest.objects.order_by("municipality__name")
    assert [(r.municipality.slug, r.parcel_ids) for r in requests] == [
        ("gmina-a", [world.parcel_a.identifier]),
        ("gmina-b", [world.parcel_b.identifier]),
    ]
    assert requests[0].group == requests[1].group
    text = anonymous.get(response["Location"]).content.decode()
    assert "split into 2 requests" in text or "2 requests" in text
    assert "Gmina A" in text and "Gmina B" in text


def test_a_double_submit_files_the_request_once(world, anonymous):
    first = anonymous.post("/wypisy/", _form(world, world.parcel_a.identifier, key="same"))
    second = anonymous.post("/wypisy/", _form(world, world.parcel_a.identifier, key="same"))
    assert ExtractRequest.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_unknown_and_retired_parcels_are_refused_by_name_and_nothing_is_filed(world, anonymous):
    retired = world.gmina_a.parcels.get(number="40")
    retired.valid_to = timezone.now()
    retired.save(update_fields=["valid_to"])
    response = anonymous.post(
        "/wypisy/",
        _form(world, world.parcel_a.identifier, retired.identifier, "209901_2.0001.777"),
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert retired.identifier in text and "retired" in text
    assert "209901_2.0001.777" in text and "no such parcel" in text
    assert ExtractRequest.objects.count() == 0


def test_the_clerk_issues_a_numbered_pdf_stored_once_with_its_hash_audit_and_mail(
    world, clerk_a, request_a, django_capture_on_commit_callbacks
):
    client = client_for(clerk_a)
    queue = client.get("/wypisy/gmina-a/kolejka/")
    assert queue.status_code == 200 and "Żółkiewska" in queue.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/wypisy/gmina-a/kolejka/{request_a.pk}/wydaj/", {"confirmed": "yes"}
        )
    assert response.status_code == 302
    extract = Extract.objects.get()
    year = timezone.localdate().year
    assert (extract.number, extract.year, extract.reference) == (1, year, f"WWZ.1.{year}")
    import hashlib

    assert hashlib.sha256(bytes(extract.pdf)).hexdigest() == extract.sha256
    text = " ".join(pdf_text(extract.pdf).split())
    assert f"WWZ.1.{year}" in text and extract.verification_code in text
    assert f"/weryfikacja/{extract.verification_code}" in text
    assert "Zofia Żółkiewska" in text and "clerk_a" not in text
    assert "nie stanowi wypisu" not in text
    assert extract.plans[0]["title"] == world.plan_a.title
    request_a.refresh_from_db()
    assert request_a.status == "issued" and request_a.decided_by == clerk_a
    assert AuditEvent.objects.filter(action="extract.issue", actor=clerk_a).count() == 1
    assert len(mail.outbox) == 1 and extract.verification_code in mail.outbox[0].body
    assert mail.outbox[0].to == ["zofia@example.org"]
    # the requester follows the status and downloads the very same bytes
    status = client_for(clerk_a).get(f"/wypisy/wniosek/{request_a.token}/")
    assert extract.reference in status.content.decode()
    assert "Fee counted from the issued document: <strong>50 zł</strong>" in status.content.decode()
    download = status.client.get(f"/wypisy/wniosek/{request_a.token}/wypis.pdf")
    assert download.content == bytes(extract.pdf)
    assert AuditEvent.objects.filter(action="extract.download").count() == 1


def test_nothing_is_issued_twice(world, clerk_a, request_a):
    issue_request(req=request_a, clerk=clerk_a)
    with pytest.raises(WorkflowError, match="already"):
        issue_request(req=request_a, clerk=clerk_a)
    response = client_for(clerk_a).post(
        f"/wypisy/gmina-a/kolejka/{request_a.pk}/wydaj/", {"confirmed": "yes"}
    )
    assert response.status_code == 302
    assert Extract.objects.count() == 1


def test_a_rejection_needs_a_reason_which_the_requester_sees(
    world, clerk_a, request_a, anonymous, django_capture_on_commit_callbacks
):
    client = client_for(clerk_a)
    client.post(f"/wypisy/gmina-a/kolejka/{request_a.pk}/odrzuc/", {"reason": "  "})
    request_a.refresh_from_db()
    assert request_a.status == "submitted"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/wypisy/gmina-a/kolejka/{request_a.pk}/odrzuc/",
            {"reason": "Brak opłaty skarbowej", "confirm": "1"},
        )
    request_a.refresh_from_db()
    assert request_a.status == "rejected"
    assert (
        "Brak opłaty skarbowej"
        in anonymous.get(f"/wypisy/wniosek/{request_a.token}/").content.decode()
    )
    assert AuditEvent.objects.filter(action="extract.reject").count() == 1
    assert "Brak opłaty skarbowej" in mail.outbox[-1].body
    with pytest.raises(WorkflowError):
        issue_request(req=request_a, clerk=clerk_a)


def test_a_plan_amended_between_request_and_issue_is_stated_as_on_the_issue_date(
    world, clerk_a, request_a
):
    today = timezone.localdate()
    old = world.plan_a
    old.in_force_to = today
    old.status = Plan.Status.OBSOLETE
    old.save(update_fields=["in_force_to", "status"])
    x, y = 751000.0, 598000.0
    new = make_plan(
        world.gmina_a,
        boundary=box(x + 100, y + 100, x + 500, y + 400),
        title="Zmiana MPZP wsi Gmina A",
        in_force_from=today,
        previous_version=old,
    )
    make_zone(new, "2MW", box(x + 100, y + 100, x + 500, y + 400), name="zabudowa wielorodzinna")
    extract = issue_request(req=request_a, clerk=clerk_a)
    text = " ".join(pdf_text(extract.pdf).split())
    assert "Zmiana MPZP wsi Gmina A" in text and "2MW" in text
    assert "1MN" not in text
    assert [p["title"] for p in extract.plans] == ["Zmiana MPZP wsi Gmina A"]
    assert extract.as_of == today


def test_an_issued_extract_cannot_be_changed_in_the_database(world, clerk_a, request_a):
    extract = issue_request(req=request_a, clerk=clerk_a)
    with pytest.raises(IntegrityError, match="immutable"), transaction.atomic():
        Extract.objects.filter(pk=extract.pk).update(sha256="0" * 64)


def test_the_clerk_of_another_gmina_cannot_issue_or_reject_in_the_domain(world, clerk_b, request_a):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        issue_request(req=request_a, clerk=clerk_b)
    with pytest.raises(PermissionDenied):
        reject_request(req=request_a, clerk=clerk_b, reason="nie moja gmina")
    assert Extract.objects.count() == 0


def test_numbers_restart_each_year_and_are_per_gmina(world, clerk_a):
    from extracts.workflow import next_number

    assert [next_number(municipality=world.gmina_a, year=2026) for _ in range(3)] == [1, 2, 3]
    assert next_number(municipality=world.gmina_b, year=2026) == 1
    assert next_number(municipality=world.gmina_a, year=2027) == 1


def test_a_zaswiadczenie_costs_17_zl(world, clerk_a):
    from extracts.workflow import Requester, submit_request

    (req,) = submit_request(
        identifiers=[world.parcel_a.identifier],
        kind="zaswiadczenie",
        requester=Requester(name="X", address="Y"),
        submission_key="z",
    )
    assert req.fee_quote["total"] == "17"
    extract = issue_request(req=settle_fee(req), clerk=clerk_a)
    text = " ".join(pdf_text(extract.pdf).split())
    assert "ZAŚWIADCZENIE" in text.upper() and "art. 217" in text
    assert dt.date.today().year == extract.year


def test_a_failure_while_issuing_leaves_no_gap_and_nothing_half_written(
    world, clerk_a, request_a, monkeypatch
):
    import extracts.workflow as workflow

    def broken(**kwargs):
        raise RuntimeError("renderer down")

    real = workflow.build_document
    monkeypatch.setattr(workflow, "build_document", broken)
    with pytest.raises(RuntimeError):
        issue_request(req=request_a, clerk=clerk_a)
    request_a.refresh_from_db()
    assert request_a.status == "submitted" and not Extract.objects.exists()
    monkeypatch.setattr(workflow, "build_document", real)
    assert issue_request(req=request_a, clerk=clerk_a).number == 1


def test_a_clerk_may_exempt_a_request_from_the_fee_with_a_ground_printed_in_the_pdf(
    world, clerk_a, request_a
):
    client = client_for(clerk_a)
    client.post(
        f"/wypisy/gmina-a/kolejka/{request_a.pk}/oplata/",
        {"exemption": "art. 2 ust. 1 pkt 1 lit. h – budownictwo mieszkaniowe"},
    )
    client.post(f"/wypisy/gmina-a/kolejka/{request_a.pk}/wydaj/", {"confirmed": "yes"})
    extract = Extract.objects.get()
    assert extract.fee["total"] == "0" and extract.fee["due_without_exemption"] == "50"
    text = " ".join(pdf_text(extract.pdf).split())
    assert "zwolnienie z opłaty skarbowej" in text and "budownictwo mieszkaniowe" in text
    event = AuditEvent.objects.get(action="extract.issue")
    assert event.details["exemption"].startswith("art. 2")


def test_a_parcel_retired_before_issue_stops_the_issue_with_a_clear_message(
    world, clerk_a, request_a
):
    parcel = world.parcel_a
    parcel.valid_to = timezone.now()
    parcel.save(update_fields=["valid_to"])
    response = client_for(clerk_a).post(
        f"/wypisy/gmina-a/kolejka/{request_a.pk}/wydaj/", {"confirmed": "yes"}, follow=True
    )
    assert "retired" in response.content.decode()
    request_a.refresh_from_db()
    assert request_a.status == "submitted" and not Extract.objects.exists()
    assert next_number_now(world) == 1


def next_number_now(world) -> int:
    from extracts.workflow import next_number

    return next_number(municipality=world.gmina_a, year=timezone.localdate().year)
