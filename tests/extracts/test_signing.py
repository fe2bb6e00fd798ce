"""The certified extract as a gmina signs it (issue 19, point 3): who signs, the fee recorded
before issuing, a preview, a confirmation, the gmina's payment details, headings by kind and
verification codes as people type them."""

from __future__ import annotations

import datetime as dt

import pytest

from accounts.models import AuditEvent, StaffProfile
from extracts.models import Extract, ExtractCounter, ExtractRequest
from extracts.workflow import WorkflowError, issue_request, preview_request, record_payment
from layers.payments import format_nrb, normalise_nrb, nrb_is_valid, with_check_digits
from tests.conftest import client_for
from tests.extracts.conftest import pdf_text

pytestmark = pytest.mark.django_db

NRB = "61109010140000071219812874"  # PL61 1090 1014 0000 0712 1981 2874, a published example


def words(data: bytes) -> str:
    return " ".join(pdf_text(data).split())


def test_a_login_is_never_printed_as_the_signer_only_a_full_name_and_position(
    world, clerk_a, request_a
):
    extract = issue_request(req=request_a, clerk=clerk_a)
    assert extract.issued_by_name == ""
    text = words(extract.pdf)
    assert "clerk_a" not in text
    assert "z up. organu wykonawczego gminy Gmina A" in text


def test_the_signature_block_prints_the_staff_profile_and_the_gminas_executive(
    world, clerk_a, request_a
):
    StaffProfile.objects.create(user=clerk_a, full_name="Anna Nowak", position="podinspektor")
    world.gmina_a.authority_genitive = "Wójta Gminy A"
    world.gmina_a.save(update_fields=["authority_genitive"])
    extract = issue_request(req=request_a, clerk=clerk_a)
    assert extract.issued_by_name == "Anna Nowak"
    assert "z up. Wójta Gminy A Anna Nowak podinspektor Gmina A" in words(extract.pdf)


def test_issuing_is_refused_until_the_payment_or_an_exemption_is_recorded(
    world, clerk_a, unpaid_request_a
):
    with pytest.raises(WorkflowError, match="Record the payment"):
        issue_request(req=unpaid_request_a, clerk=clerk_a)
    client = client_for(clerk_a)
    url = f"/wypisy/gmina-a/kolejka/{unpaid_request_a.pk}/"
    client.post(url + "wydaj/", {"confirmed": "yes"})
    assert not Extract.objects.exists() and not ExtractCounter.objects.exists()
    with pytest.raises(WorkflowError, match="Give the date"):
        record_payment(req=unpaid_request_a, clerk=clerk_a, reference="  ")
    response = client.post(url + "oplata/", {"paid_on": "2026-03-02", "reference": "PRZ/17"})
    assert response.status_code == 302
    unpaid_request_a.refresh_from_db()
    assert unpaid_request_a.paid_on == dt.date(2026, 3, 2)
    assert unpaid_request_a.payment_recorded_by == clerk_a
    assert AuditEvent.objects.filter(action="extract.payment").count() == 1
    client.post(url + "wydaj/", {"confirmed": "yes"})
    extract = Extract.objects.get()
    assert "Opłatę uiszczono dnia 02.03.2026 (dowód wpłaty: PRZ/17)" in words(extract.pdf)


def test_issuing_asks_for_a_confirmation_that_works_without_javascript(world, clerk_a, request_a):
    client = client_for(clerk_a)
    url = f"/wypisy/gmina-a/kolejka/{request_a.pk}/wydaj/"
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert 'name="confirmed" value="yes"' in html and "podglad.pdf" in html
    assert client.post(url).status_code == 200  # no confirmation: the page again, nothing issued
    assert not Extract.objects.exists()
    detail = client.get(f"/wypisy/gmina-a/kolejka/{request_a.pk}/").content.decode()
    assert f'href="{url}"' in detail  # the queue links to the confirmation, it does not issue


def test_the_preview_is_marked_not_numbered_not_stored_and_not_counted(
    world, clerk_a, unpaid_request_a, anonymous, planner_a
):
    data = preview_request(req=unpaid_request_a, clerk=clerk_a)
    text = words(data)
    assert "PODGLĄD – projekt" in text and "WWZ." not in text
    assert not Extract.objects.exists() and not ExtractCounter.objects.exists()
    url = f"/wypisy/gmina-a/kolejka/{unpaid_request_a.pk}/podglad.pdf"
    response = client_for(clerk_a).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert client_for(planner_a).get(url).status_code == 404
    unpaid_request_a.refresh_from_db()
    assert unpaid_request_a.status == ExtractRequest.Status.SUBMITTED


def test_bank_account_numbers_are_checked_with_the_iban_checksum():
    assert nrb_is_valid(NRB)
    assert not nrb_is_valid("62109010140000071219812874")
    assert normalise_nrb("PL61 1090 1014 0000 0712 1981 2874") == NRB
    assert format_nrb(NRB) == "61 1090 1014 0000 0712 1981 2874"
    assert nrb_is_valid(with_check_digits("999900000000000000002001"))


def test_the_gmina_admin_sets_the_account_and_a_wrong_number_is_refused(world, admin_a, clerk_a):
    url = "/konto/gminy/gmina-a/oplaty/"
    client = client_for(admin_a)
    data = {
        "authority_genitive": "Wójta Gminy A",
        "payee_name": "Urząd Gminy A",
        "bank_account": "PL62 1090 1014 0000 0712 1981 2874",
        "payment_title_pattern": "Opłata skarbowa – {rodzaj}, wniosek nr {nr}",
    }
    assert client.post(url, data).status_code == 400
    data["bank_account"] = "PL61 1090 1014 0000 0712 1981 2874"
    assert client.post(url, data).status_code == 302
    world.gmina_a.refresh_from_db()
    assert world.gmina_a.bank_account == NRB
    assert client_for(clerk_a).get(url).status_code == 403


def test_the_status_page_names_the_kind_and_says_where_to_pay(world, request_a, anonymous):
    world.gmina_a.bank_account = NRB
    world.gmina_a.payee_name = "Urząd Gminy A"
    world.gmina_a.save(update_fields=["bank_account", "payee_name"])
    html = anonymous.get(f"/wypisy/wniosek/{request_a.token}/").content.decode()
    assert "Request for a wypis i wyrys" in html
    assert "61 1090 1014 0000 0712 1981 2874" in html and "Urząd Gminy A" in html
    assert f"Opłata skarbowa – wypis i wyrys, wniosek nr {request_a.pk}" in html


def test_the_kind_heading_is_polish_in_polish(world, request_a, anonymous):
    from django.utils import translation

    with translation.override("pl"):
        html = anonymous.get(
            f"/wypisy/wniosek/{request_a.token}/", HTTP_ACCEPT_LANGUAGE="pl"
        ).content.decode()
    assert "Wniosek o wypis i wyrys" in html


@pytest.mark.parametrize("typed", ["{code}", "{lower}", "{bare}", "{bare_lower}", " {spaced} "])
def test_a_verification_code_is_found_in_any_case_and_without_dashes(
    world, clerk_a, request_a, anonymous, typed
):
    code = issue_request(req=request_a, clerk=clerk_a).verification_code
    bare = code.replace("-", "")
    value = typed.format(
        code=code,
        lower=code.lower(),
        bare=bare,
        bare_lower=bare.lower(),
        spaced=" ".join([bare[:4], bare[4:8], bare[8:]]),
    )
    page = anonymous.get("/weryfikacja/", {"kod": value}, follow=True)
    assert page.status_code == 200 and "INVALID" not in page.content.decode()
    direct = anonymous.get(f"/weryfikacja/{value.strip().replace(' ', '')}")
    assert direct.status_code == 200


def test_staff_set_their_own_name_and_position_and_the_admin_sets_a_members(
    world, clerk_a, admin_a
):
    from layers.models import Membership

    client = client_for(clerk_a)
    data = {"full_name": "Anna Nowak", "position": "podinspektor"}
    assert client.post("/konto/podpis/", data).status_code == 302
    assert StaffProfile.objects.get(user=clerk_a).full_name == "Anna Nowak"
    assert "Anna Nowak, podinspektor" in client.get("/konto/").content.decode()
    membership = Membership.objects.get(user=clerk_a)
    url = f"/konto/gminy/gmina-a/zespol/{membership.pk}/podpis/"
    data = {"full_name": "Anna Nowak-Kowalska", "position": "inspektor"}
    assert client_for(admin_a).post(url, data).status_code == 302
    assert StaffProfile.objects.get(user=clerk_a).position == "inspektor"
    assert client.post(url, data).status_code == 403
