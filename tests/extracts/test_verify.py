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
    assert issued.reference in html and world.gmina_a.name in html
    assert world.parcel_a.identifier in html
    assert issued.issued_at.strftime("%Y-%m-%d") in html


def issuer_shown(anonymous, extract) -> str:
    html = anonymous.get(f"/weryfikacja/{extract.verification_code}").content.decode()
    return re.search(r"<dt>Issued by</dt><dd>(.*?)</dd>", html).group(1)


def test_the_page_names_the_gmina_not_the_clerks_login(issued, anonymous, world):
    html = anonymous.get(f"/weryfikacja/{issued.verification_code}").content.decode()
    assert "clerk_a" not in html
    assert issuer_shown(anonymous, issued) == world.gmina_a.name


def test_an_invited_clerks_e_mail_address_never_shows(world, clerk_a, request_a, anonymous):
    clerk_a.username = clerk_a.email = "anna.nowak@gmina-a.pl"  # invited staff sign in by e-mail
    clerk_a.save(update_fields=["username", "email"])
    extract = issue_request(req=request_a, clerk=clerk_a)
    html = anonymous.get(f"/weryfikacja/{extract.verification_code}").content.decode()
    assert "anna.nowak" not in html and "@" not in html
    assert issuer_shown(anonymous, extract) == world.gmina_a.name


def test_the_clerks_full_name_shows_with_the_gmina(world, clerk_a, request_a, anonymous):
    clerk_a.first_name, clerk_a.last_name = "Anna", "Nowak"
    clerk_a.save(update_fields=["first_name", "last_name"])
    extract = issue_request(req=request_a, clerk=clerk_a)
    assert issuer_shown(anonymous, extract) == f"Anna Nowak, {world.gmina_a.name}"


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


@pytest.mark.django_db(transaction=True)
def test_the_certified_wypis_i_wyrys_carries_the_map_the_qr_code_and_the_signature(
    world, clerk_a, request_a
):
    import io
    from pathlib import Path

    from django.conf import settings
    from PIL import Image
    from pypdf import PdfReader

    from accounts.models import StaffProfile

    StaffProfile.objects.create(
        user=clerk_a, full_name="Anna Nowak", position="inspektor ds. planowania przestrzennego"
    )
    world.gmina_a.authority_genitive = "Wójta Gminy A"
    world.gmina_a.save(update_fields=["authority_genitive"])
    extract = issue_request(req=request_a, clerk=clerk_a)
    data = bytes(extract.pdf)
    artifacts = Path(settings.BASE_DIR) / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    (artifacts / "wypis-i-wyrys-certified-sample.pdf").write_bytes(data)
    reader = PdfReader(io.BytesIO(data))
    images = [img for page in reader.pages for img in page.images]
    sizes = sorted(Image.open(io.BytesIO(img.data)).size for img in images)
    # the QR code (small, square) and the map sheet (180 × 165 mm at 200 dpi)
    assert any(w == h and w < 400 for w, h in sizes), sizes
    assert (1417, 1299) in sizes, sizes
    text = " ".join(pdf_text(data).split())
    assert (
        "Za zgodność z oryginałem: z up. Wójta Gminy A, Anna Nowak, "
        "inspektor ds. planowania przestrzennego" in text
    )
    assert "z up. Wójta Gminy A Anna Nowak inspektor ds. planowania przestrzennego Gmina A" in text
    assert "clerk_a" not in text
    assert extract.fee["total"] == "50"


def test_odd_codes_are_invalid_without_reaching_the_database(world, anonymous):
    for code in ("AB%00CD", "x" * 500, "ABCD-EFGH-IJK%00"):
        response = anonymous.get(f"/weryfikacja/{code}")
        assert response.status_code == 404 and "INVALID" in response.content.decode()
    assert anonymous.post("/weryfikacja/AB%00CD").status_code == 404


def test_a_nul_byte_in_the_clerks_text_is_dropped_not_a_500(world, clerk_a, request_a):
    from tests.conftest import client_for

    client = client_for(clerk_a)
    response = client.post(
        f"/wypisy/gmina-a/kolejka/{request_a.pk}/odrzuc/",
        {"reason": "brak\x00 opłaty", "confirm": "1"},
    )
    assert response.status_code == 302
    request_a.refresh_from_db()
    assert request_a.reject_reason == "brak opłaty"
