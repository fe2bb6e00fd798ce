"""The published report is frozen: publication stores it with the flag, and a position changed
afterwards changes the register, not the public report (art. 8k ust. 2: drawn up once; issue 16)."""

from __future__ import annotations

import csv
import io
from unittest import mock

import pytest
from django.test import Client

from consultation import lifecycle
from consultation.models import Comment, Consultation
from tests.conftest import client_for
from tests.consultation.helpers import add_comment


def base(consultation) -> str:
    return f"/{consultation.municipality.slug}/konsultacje/{consultation.pk}"


def publish_with_one_rejected(consultation, planner_a) -> Comment:
    comment = add_comment(
        consultation, content="Park zamiast parkingu.", position="rejected", reason="Brak miejsca."
    )
    assert client_for(planner_a).post(base(consultation) + "/raport/opublikuj/").status_code == 302
    return comment


def change_position(consultation, planner_a, number: int) -> None:
    response = client_for(planner_a).post(
        base(consultation) + f"/uwagi/{number}/",
        {"position": "accepted", "reason": "Po ponownej analizie: uwzględniono."},
    )
    assert response.status_code in (200, 302)
    assert consultation.comments.get(number=number).position == "accepted"


def test_publication_stores_the_snapshot_with_the_flag(consultation, planner_a):
    publish_with_one_rejected(consultation, planner_a)
    consultation.refresh_from_db()
    assert consultation.report_published_at is not None
    (row,) = consultation.report_snapshot["comments"]
    assert (row["number"], row["position"], row["reason"]) == (1, "rejected", "Brak miejsca.")
    assert consultation.report_snapshot["stats"]["rejected"] == 1
    assert "Sekretny" not in str(consultation.report_snapshot)  # no natural person's name


def test_a_position_changed_after_publication_leaves_the_public_report_as_published(
    consultation, planner_a
):
    publish_with_one_rejected(consultation, planner_a)
    change_position(consultation, planner_a, 1)
    page = Client().get(base(consultation) + "/raport/").content.decode()
    assert "Brak miejsca." in page and "Po ponownej analizie" not in page
    (_header, row) = list(
        csv.reader(io.StringIO(Client().get(base(consultation) + "/raport.csv").content.decode()))
    )
    assert "Brak miejsca." in row and "Po ponownej analizie: uwzględniono." not in row
    with mock.patch("consultation.report.html_to_pdf", side_effect=lambda html: html.encode()):
        pdf_html = Client().get(base(consultation) + "/raport.pdf").content.decode()
    assert "Brak miejsca." in pdf_html and "Po ponownej analizie" not in pdf_html


def test_the_planners_report_page_says_the_published_version_differs(consultation, planner_a):
    publish_with_one_rejected(consultation, planner_a)
    planner = client_for(planner_a)
    assert (
        "różni się od rejestru" not in planner.get(base(consultation) + "/raport/").content.decode()
    )
    change_position(consultation, planner_a, 1)
    page = planner.get(base(consultation) + "/raport/").content.decode()
    assert "różni się od rejestru" in page and "uwag nr 1." in page
    assert (
        "różni się od rejestru"
        not in Client().get(base(consultation) + "/raport/").content.decode()
    )


def test_a_second_publication_does_not_refreeze(consultation, planner_a):
    publish_with_one_rejected(consultation, planner_a)
    first = Consultation.objects.get(pk=consultation.pk)
    change_position(consultation, planner_a, 1)
    lifecycle.publish_report(consultation=Consultation.objects.get(pk=consultation.pk))
    again = Consultation.objects.get(pk=consultation.pk)
    assert again.report_published_at == first.report_published_at
    assert again.report_snapshot == first.report_snapshot


@pytest.mark.django_db(transaction=True)
def test_a_failed_publication_stores_neither_flag_nor_snapshot(consultation):
    add_comment(consultation)
    with (
        mock.patch("consultation.lifecycle.audit.record", side_effect=RuntimeError("audit down")),
        pytest.raises(RuntimeError),
    ):
        lifecycle.publish_report(consultation=consultation)
    stored = Consultation.objects.get(pk=consultation.pk)
    assert stored.report_published_at is None and stored.report_snapshot is None


def test_before_publication_the_planner_sees_the_register_as_it_stands(consultation, planner_a):
    add_comment(consultation, position="rejected", reason="Pierwsza wersja.")
    planner = client_for(planner_a)
    assert "Pierwsza wersja." in planner.get(base(consultation) + "/raport/").content.decode()
    consultation.comments.update(reason="Druga wersja.")
    assert "Druga wersja." in planner.get(base(consultation) + "/raport/").content.decode()
