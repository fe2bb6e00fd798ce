"""The topic of a comment: picked on the form (optional, "inne" by default), a filter in the
planner's queue, a column in the report CSV and the register CSV (issue 16)."""

from __future__ import annotations

import csv
import io

from consultation.models import Comment
from consultation.report import report_csv
from tests.conftest import client_for
from tests.consultation.helpers import add_comment
from tests.consultation.test_comments import data, form_url


def queue_numbers(client, consultation, query: str) -> set[int]:
    base = f"/{consultation.municipality.slug}/konsultacje/{consultation.pk}"
    response = client.get(f"{base}/kolejka/{query}")
    assert response.status_code == 200
    return {c.number for c in response.context["comments"]}


def test_the_resident_picks_a_topic_or_gets_other(consultation):
    from django.test import Client

    client = Client()
    assert (
        client.post(form_url(consultation), data(consultation, topic="transport")).status_code
        == 302
    )
    assert client.post(form_url(consultation), data(consultation, topic="")).status_code == 302
    assert (
        client.post(form_url(consultation), data(consultation, topic="nonsense")).status_code == 400
    )
    assert list(consultation.comments.order_by("number").values_list("topic", flat=True)) == [
        "transport",
        "other",
    ]


def test_the_queue_filter_by_topic_returns_only_those_comments(consultation, planner_a):
    roads = add_comment(consultation, topic=Comment.Topic.TRANSPORT)
    green = add_comment(consultation, topic=Comment.Topic.GREENERY)
    other = add_comment(consultation)
    client = client_for(planner_a)
    assert queue_numbers(client, consultation, "?topic=transport") == {roads.number}
    assert queue_numbers(client, consultation, "?topic=greenery&status=") == {green.number}
    assert queue_numbers(client, consultation, "?topic=") == {
        roads.number,
        green.number,
        other.number,
    }
    page = client.get(
        f"/{consultation.municipality.slug}/konsultacje/{consultation.pk}/kolejka/"
    ).content.decode()
    assert 'name="topic"' in page and "komunikacja i drogi" in page


def test_the_report_and_register_csv_have_the_topic_column(consultation, planner_a):
    add_comment(consultation, topic=Comment.Topic.BUILDING)
    rows = list(csv.reader(io.StringIO(report_csv(consultation))))
    column = rows[0].index("Temat")
    assert rows[1][column] == "parametry zabudowy (wysokość, intensywność)"
    base = f"/{consultation.municipality.slug}/konsultacje/{consultation.pk}"
    body = client_for(planner_a).get(f"{base}/rejestr.csv").content.decode()
    register = list(csv.reader(io.StringIO(body)))
    assert register[1][register[0].index("temat")] == "building"


def test_the_public_comments_geojson_carries_the_topic(consultation, anonymous):
    add_comment(consultation, topic=Comment.Topic.GREENERY)
    add_comment(consultation, topic="")
    consultation.report_published_at = consultation.starts_at
    consultation.save(update_fields=["report_published_at"])
    base = f"/{consultation.municipality.slug}/konsultacje/{consultation.pk}"
    features = anonymous.get(f"{base}/uwagi.geojson").json()["features"]
    topics = {f["properties"]["number"]: f["properties"] for f in features}
    assert (topics[1]["topic"], topics[1]["topic_label"]) == ("greenery", "zieleń i środowisko")
    assert (topics[2]["topic"], topics[2]["topic_label"]) == ("other", "inne")
