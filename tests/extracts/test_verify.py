"""Public verification: the code from the PDF leads to /weryfikacja/<code>; a changed file fails."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from extracts.workflow import issue_request
from tests.extracts.conftest import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(world, clerk_a, request_a):
    return issue_request(req=request_a, clerk=clerk_a)


def test_the_code_printed_in_the_pdf_verifies_as_valid_with_issuer_date_and_parcels(
    issued, anonymous, world
):
    text = "".join(pdf_text(issued.pdf).split())
    match = re.search(r"/weryfikacja/([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})", text)
    assert match and match.group(1) == issued.verification_code
    page = anonymous.get(f"/weryfikacja/{match.group(1)}")
    assert page.status_code == 200
    html = page.content.decode()
    assert "VALID" in html and "INVALID" not in html
    assert issued.reference in html and "clerk_a" in html
    assert world.parcel_a.identifier in html
    assert issued.issued_at.strftime("%Y-%m-%d") in html


def test_an_unknown_code_is_invalid(anonymous, world):
    page = anonymous.get("/weryfikacja/AAAA-BBBB-CCCC")
    assert page.status_code == 404 and "INVALID" in page.content.decode()


def test_the_issued_file_matches_and_a_changed_file_fails(issued, anonymous):
    url = f"/weryfikacja/{issued.verification_code}"
    original = bytes(issued.pdf)
    ok = anonymous.post(url, {"file": SimpleUploadedFile("w.pdf", original, "application/pdf")})
    assert "unchanged" in ok.content.decode()
    changed = bytearray(original)
    changed[len(changed) // 2] ^= 0x01
    bad = anonymous.post(
        url, {"file": SimpleUploadedFile("w.pdf", bytes(changed), "application/pdf")}
    )
    assert "does NOT match" in bad.content.decode()


def test_the_form_takes_a_typed_code_in_lower_case(issued, anonymous):
    response = anonymous.get("/weryfikacja/", {"kod": issued.verification_code.lower()})
    assert response.status_code == 302
    assert anonymous.get(response["Location"]).status_code == 200
