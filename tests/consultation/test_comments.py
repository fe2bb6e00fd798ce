"""A resident's comment: the form, the place, attachments by content, one transaction, numbers,
the deadline, rate limit, personal data never public, tenancy, audit."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from accounts.models import AuditEvent
from consultation import rules
from consultation.models import Comment, CommentAttachment
from consultation.report import report_csv, safe_cell
from tests.conftest import client_for
from tests.consultation.helpers import SECRET_ADDRESS, SECRET_NAME, add_comment

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def form_url(consultation):
    return f"/{consultation.municipality.slug}/konsultacje/{consultation.pk}/uwaga/"


def point_in(consultation, dx=0.0):
    from django.contrib.gis.geos import Point

    c = consultation.plan.boundary.centroid
    p = Point(c.x + dx, c.y, srid=2180)
    p.transform(4326)
    return json.dumps({"type": "Feature", "geometry": json.loads(p.geojson), "properties": {}})


def data(consultation, **extra):
    return {
        "submitter_kind": "person",
        "name": SECRET_NAME,
        "address": SECRET_ADDRESS,
        "email": "",
        "content": "<script>alert(1)</script> Proszę o zieleń.",
        "justification": "Bo tak.",
        "property_right": "owner",
        "place": point_in(consultation),
        "parcels": "",
        "zone": "",
        "confirm": "on",
        "started": rules.form_token(consultation.pk),
        **extra,
    }


def test_a_comment_is_stored_with_its_attachments_and_gets_the_next_number(consultation):
    client = Client()
    assert client.get(form_url(consultation)).status_code == 200
    files = [
        SimpleUploadedFile("mapa.pdf", PDF, "application/pdf"),
        SimpleUploadedFile("zdjecie.png", PNG, "image/png"),
    ]
    response = client.post(form_url(consultation), {**data(consultation), "attachments": files})
    assert response.status_code == 302, response.content.decode()[:2000]
    comment = Comment.objects.get(consultation=consultation)
    assert comment.number == 1 and comment.attachments.count() == 2
    assert {a.content_type for a in comment.attachments.all()} == {"application/pdf", "image/png"}
    page = client.get(response.url)
    assert b"1" in page.content and b"PDF" in page.content
    pdf = client.get(response.url + "pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    second = client.post(form_url(consultation), data(consultation, place="", zone="2MN"))
    assert second.status_code == 302
    assert list(consultation.comments.values_list("number", flat=True)) == [1, 2]


def test_a_disguised_attachment_is_refused_by_its_content(consultation):
    fake = SimpleUploadedFile("umowa.pdf", b"<html><script>x</script></html>", "application/pdf")
    response = Client().post(form_url(consultation), {**data(consultation), "attachments": [fake]})
    assert response.status_code == 400
    assert (
        "checked by its content" in response.content.decode()
        or "sprawdzono" in response.content.decode()
    )
    assert not Comment.objects.exists()


def test_too_many_or_too_big_attachments_are_refused(consultation, settings):
    settings.CONSULTATION_ATTACHMENT_MAX_BYTES = 20
    big = SimpleUploadedFile("duzy.pdf", PDF, "application/pdf")
    assert (
        Client()
        .post(form_url(consultation), {**data(consultation), "attachments": [big]})
        .status_code
        == 400
    )
    settings.CONSULTATION_ATTACHMENT_MAX_BYTES = 10_000
    four = [SimpleUploadedFile(f"{i}.pdf", PDF, "application/pdf") for i in range(4)]
    assert (
        Client()
        .post(form_url(consultation), {**data(consultation), "attachments": four})
        .status_code
        == 400
    )
    assert not Comment.objects.exists()


def test_a_failure_while_storing_an_attachment_leaves_no_comment_and_no_gap(
    consultation, monkeypatch
):
    original = CommentAttachment.save

    def broken(self, *args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(CommentAttachment, "save", broken)
    upload = SimpleUploadedFile("a.pdf", PDF, "application/pdf")
    with pytest.raises(OSError):
        Client(raise_request_exception=True).post(
            form_url(consultation), {**data(consultation), "attachments": [upload]}
        )
    assert not Comment.objects.exists()
    consultation.refresh_from_db()
    assert consultation.next_number == 1
    monkeypatch.setattr(CommentAttachment, "save", original)
    upload = SimpleUploadedFile("a.pdf", PDF, "application/pdf")
    Client().post(form_url(consultation), {**data(consultation), "attachments": [upload]})
    assert Comment.objects.get().number == 1


def test_a_place_outside_the_gmina_is_a_field_error(consultation):
    response = Client().post(
        form_url(consultation), data(consultation, place=point_in(consultation, dx=50_000))
    )
    assert response.status_code == 400
    assert (
        "outside the gmina" in response.content.decode()
        or "poza gminą" in response.content.decode()
    )


def test_an_invalid_area_or_a_missing_place_is_refused(consultation):
    bow = json.dumps(
        {
            "type": "Polygon",
            "coordinates": [
                [[22.0, 53.0], [22.01, 53.01], [22.01, 53.0], [22.0, 53.01], [22.0, 53.0]]
            ],
        }
    )
    assert Client().post(form_url(consultation), data(consultation, place=bow)).status_code == 400
    assert Client().post(form_url(consultation), data(consultation, place="")).status_code == 400
    assert (
        Client()
        .post(form_url(consultation), data(consultation, place="", parcels="999999_2.0001.1"))
        .status_code
        == 400
    )


def test_a_parcel_by_identifier_is_the_accessible_alternative(consultation, world):
    response = Client().post(
        form_url(consultation), data(consultation, place="", parcels=world.parcel_a.identifier)
    )
    assert response.status_code == 302
    assert Comment.objects.get().parcel_identifiers == world.parcel_a.identifier


def test_a_comment_after_the_deadline_is_refused_with_a_clear_message(consultation, monkeypatch):
    token = rules.form_token(consultation.pk)
    late = consultation.ends_at + dt.timedelta(seconds=1)
    monkeypatch.setattr("consultation.views.timezone.now", lambda: late)
    response = Client().post(form_url(consultation), data(consultation, started=token))
    # the form was opened long before, but the grace period is 15 minutes after the deadline:
    assert response.status_code == 201 or response.status_code == 302 or response.status_code == 403
    opened = consultation.ends_at - dt.timedelta(hours=2)
    monkeypatch.setattr("consultation.views.rules.form_opened_at", lambda *a: None)
    response = Client().post(form_url(consultation), data(consultation))
    assert response.status_code == 403
    assert "termin" in response.content.decode().lower() or "deadline" in response.content.decode()
    assert opened < late


def test_a_form_opened_in_time_and_sent_in_the_grace_period_is_accepted_and_marked(
    consultation, monkeypatch
):
    opened = consultation.ends_at - dt.timedelta(minutes=3)
    monkeypatch.setattr("consultation.views.rules.form_opened_at", lambda *a: opened)
    monkeypatch.setattr(
        "consultation.views.timezone.now", lambda: consultation.ends_at + dt.timedelta(minutes=2)
    )
    assert Client().post(form_url(consultation), data(consultation)).status_code == 302
    assert Comment.objects.get().in_grace_period


def test_a_flood_from_one_address_is_stopped_with_a_clear_message(consultation, settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "consultation": "2/hour"}
    client = Client()
    for _ in range(2):
        client.post(form_url(consultation), data(consultation))
    response = client.post(form_url(consultation), data(consultation))
    assert response.status_code == 429 and "Retry-After" in response


def test_html_in_a_comment_is_shown_as_text(consultation, planner_a):
    comment = add_comment(consultation, content="<script>alert(1)</script>")
    page = client_for(planner_a).get(
        f"/{consultation.municipality.slug}/konsultacje/{consultation.pk}/uwagi/{comment.number}/"
    )
    assert b"<script>alert(1)</script>" not in page.content
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in page.content


def test_nothing_is_public_before_the_start(consultation, planner_a):
    consultation.starts_at = timezone.now() + dt.timedelta(days=1)
    consultation.save(update_fields=["starts_at"])
    url = f"/{consultation.municipality.slug}/konsultacje/{consultation.pk}/"
    assert Client().get(url).status_code == 404
    assert (
        consultation.title.encode()
        not in Client().get(f"/{consultation.municipality.slug}/").content
    )
    assert client_for(planner_a).get(url).status_code == 200


def test_the_public_report_and_map_have_no_personal_data(consultation, planner_a):
    add_comment(
        consultation,
        content="Zieleń zamiast parkingu.",
        position="rejected",
        reason="Brak miejsca.",
    )
    base = f"/{consultation.municipality.slug}/konsultacje/{consultation.pk}"
    assert Client().get(base + "/raport/").status_code == 404
    client_for(planner_a).post(base + "/raport/opublikuj/")
    for path in ("/raport/", "/raport.csv", "/uwagi.geojson"):
        body = Client().get(base + path).content.decode()
        assert (
            "Zieleń zamiast parkingu." in body
            or "Zieleń zamiast parkingu."
            in json.loads(body)["features"][0]["properties"]["content"]
        )
        assert (
            SECRET_NAME not in body and SECRET_ADDRESS not in body and "jan@example.com" not in body
        )


def test_another_gminas_planner_sees_none_of_it(consultation, planner_b):
    comment = add_comment(consultation)
    base = f"/{consultation.municipality.slug}/konsultacje/{consultation.pk}"
    client = client_for(planner_b)
    for path in ("/kolejka/", f"/uwagi/{comment.number}/", "/rejestr.csv", "/kolejka.geojson"):
        assert client.get(base + path).status_code == 404, path
    assert client.get(base + "/raport/").status_code == 404


def test_viewing_and_exporting_personal_data_is_audited(consultation, planner_a):
    comment = add_comment(consultation)
    base = f"/{consultation.municipality.slug}/konsultacje/{consultation.pk}"
    client = client_for(planner_a)
    assert SECRET_NAME in client.get(f"{base}/uwagi/{comment.number}/").content.decode()
    assert SECRET_NAME in client.get(f"{base}/rejestr.csv").content.decode()
    actions = set(
        AuditEvent.objects.filter(municipality=consultation.municipality).values_list(
            "action", flat=True
        )
    )
    assert {"consultation.view_personal", "consultation.export_personal"} <= actions


def test_the_planner_writes_a_position_and_groups_a_duplicate(consultation, planner_a):
    first, second = add_comment(consultation), add_comment(consultation)
    base = f"/{consultation.municipality.slug}/konsultacje/{consultation.pk}"
    response = client_for(planner_a).post(
        f"{base}/uwagi/{second.number}/",
        {"position": "partly", "reason": "Częściowo.", "duplicate_of": first.number},
    )
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.position == "partly" and second.duplicate_of == first
    queue = client_for(planner_a).get(f"{base}/kolejka/?status=partly").content.decode()
    assert "Częściowo" in queue or "partly" in queue.lower()


def test_csv_cells_cannot_start_a_formula(consultation):
    add_comment(consultation, content='=HYPERLINK("http://x")')
    assert (
        safe_cell("=1+1") == "'=1+1" and safe_cell("@SUM") == "'@SUM" and safe_cell("-2") == "'-2"
    )
    assert "'=HYPERLINK" in report_csv(consultation)


def test_the_planner_opens_a_consultation_only_with_the_legal_minimum(draft_a, planner_a):
    url = f"/{draft_a.municipality.slug}/konsultacje/zarzadzanie/"
    form = {
        "title": "Konsultacje projektu",
        "plan": draft_a.pk,
        "first_day": "2026-06-01",
        "last_day": "2026-06-15",
        "announcement": "Ogłoszenie",
        "event-TOTAL_FORMS": "3",
        "event-INITIAL_FORMS": "0",
        "event-0-kind": "meeting",
        "event-0-starts_at": "2026-06-05T17:00",
        "event-0-place": "Świetlica",
        "event-1-kind": "walk",
        "event-1-starts_at": "2026-06-06T10:00",
        "event-1-place": "Przystanek",
    }
    client = client_for(planner_a)
    assert client.post(url, form).status_code == 400
    assert client.post(url, {**form, "last_day": "2026-06-22"}).status_code == 302
    assert (
        client.post(url, {**form, "last_day": "2026-06-22", "event-1-kind": "meeting"}).status_code
        == 400
    )


def test_a_submitter_who_gave_an_e_mail_gets_the_number_and_the_link(consultation, mailoutbox):
    response = Client().post(form_url(consultation), data(consultation, email="anna@example.com"))
    assert response.status_code == 302
    (mail,) = mailoutbox
    assert mail.to == ["anna@example.com"] and response.url in mail.body
