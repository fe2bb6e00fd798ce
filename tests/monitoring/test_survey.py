"""The satisfaction question: a signed one-time link, answered once, rate-limited."""

from __future__ import annotations

import pytest
from django.core import signing
from django.test import Client

from extracts.survey_link import SALT, survey_token
from monitoring.models import SurveyAnswer
from tests.factories import settle_fee
from tests.monitoring.factories import known_request


@pytest.fixture
def issued(world):
    return known_request(
        world.gmina_a, filed="2025-04-01 10:00", decided="2025-04-02 10:00", status="issued"
    )


def test_the_link_records_one_answer_and_refuses_a_second(issued):
    url = f"/ankieta/{survey_token(req=issued)}/"
    assert Client().post(url, {"score": "4", "comment": "szybko"}).status_code == 200
    assert Client().post(url, {"score": "1"}).status_code == 409
    answer = SurveyAnswer.objects.get()
    assert (answer.municipality, answer.score, answer.comment) == (issued.municipality, 4, "szybko")
    assert 'class="survey-answered"' in Client().get(url).content.decode()


def test_a_forged_or_foreign_token_is_refused(issued):
    forged = signing.dumps({"s": "extract", "r": issued.pk}, salt="another.salt")
    assert Client().get(f"/ankieta/{forged}/").status_code == 404
    assert Client().get("/ankieta/abc/").status_code == 404


def test_a_pending_request_cannot_be_rated(world):
    pending = known_request(world.gmina_a, filed="2025-04-01 10:00")
    token = signing.dumps({"s": "extract", "r": pending.pk}, salt=SALT)
    assert Client().get(f"/ankieta/{token}/").status_code == 404


def test_a_score_outside_one_to_five_is_refused(issued):
    url = f"/ankieta/{survey_token(req=issued)}/"
    assert Client().post(url, {"score": "9"}).status_code == 400
    assert not SurveyAnswer.objects.exists()


def test_answers_are_rate_limited(world, settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "survey": "2/hour"}
    client = Client()
    for _ in range(2):
        req = known_request(
            world.gmina_a, filed="2025-04-01 10:00", decided="2025-04-02", status="issued"
        )
        assert client.post(f"/ankieta/{survey_token(req=req)}/", {"score": "5"}).status_code == 200
    req = known_request(
        world.gmina_a, filed="2025-04-01 10:00", decided="2025-04-02", status="issued"
    )
    assert client.post(f"/ankieta/{survey_token(req=req)}/", {"score": "5"}).status_code == 429


def test_the_issue_e_mail_and_the_status_page_carry_the_link(
    world, clerk_a, mailoutbox, django_capture_on_commit_callbacks
):
    from extracts.workflow import Requester, issue_request, submit_request

    (req,) = submit_request(
        identifiers=[world.parcel_a.identifier],
        kind="wypis",
        requester=Requester(name="Jan", address="Wieś 1", email="jan@example.org"),
        submission_key="k",
    )
    with django_capture_on_commit_callbacks(execute=True):
        settle_fee(req)
        issue_request(req=req, clerk=clerk_a)
    (mail,) = mailoutbox
    assert f"/ankieta/{survey_token(req=req)}/" in mail.body
    page = Client().get(f"/wypisy/wniosek/{req.token}/").content.decode()
    assert f"/ankieta/{survey_token(req=req)}/" in page
