"""The satisfaction question: a signed one-time link, answered once, rate-limited."""

from __future__ import annotations

import pytest
from django.core import signing
from django.db import IntegrityError, transaction
from django.test import Client

from consultation.models import Comment
from consultation.survey_link import comment_survey_url
from extracts.survey_link import SALT, survey_token
from monitoring.models import SurveyAnswer
from tests.conftest import A_ORIGIN, client_for
from tests.consultation.helpers import add_comment, draft_in, open_consultation_on
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


@pytest.fixture
def comment(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return add_comment(open_consultation_on(draft_in(world.gmina_a, A_ORIGIN)))


def test_the_comment_confirmation_page_and_e_mail_carry_the_link(
    world, settings, tmp_path, mailoutbox
):
    from tests.consultation.test_comments import data, form_url

    settings.MEDIA_ROOT = tmp_path
    consultation = open_consultation_on(draft_in(world.gmina_a, A_ORIGIN))
    response = Client().post(form_url(consultation), data(consultation, email="anna@example.com"))
    assert response.status_code == 302
    comment = Comment.objects.get(consultation=consultation)
    link = comment_survey_url(comment=comment)
    assert link in Client().get(response.url).content.decode()
    (mail,) = mailoutbox
    assert link in mail.body


def test_a_comment_is_rated_once_and_counted_for_its_gmina_and_service(comment):
    url = comment_survey_url(comment=comment)
    page = Client().get(url).content.decode()
    assert f"{comment.number}" in page and comment.consultation.title in page
    assert Client().post(url, {"score": "2", "comment": "mapa wolna"}).status_code == 200
    assert Client().post(url, {"score": "5"}).status_code == 409
    answer = SurveyAnswer.objects.get()
    assert (answer.municipality, answer.service, answer.subject_id) == (
        comment.municipality,
        "comment",
        comment.pk,
    )
    assert (answer.score, answer.comment) == (2, "mapa wolna")


def test_the_database_keeps_one_answer_per_comment_but_not_across_services(comment):
    SurveyAnswer.objects.create(
        municipality=comment.municipality, service="extract", subject_id=comment.pk, score=3
    )
    url = comment_survey_url(comment=comment)
    assert Client().post(url, {"score": "4"}).status_code == 200
    with pytest.raises(IntegrityError), transaction.atomic():
        SurveyAnswer.objects.create(
            municipality=comment.municipality, service="comment", subject_id=comment.pk, score=1
        )
    assert SurveyAnswer.objects.count() == 2


def test_a_comment_token_does_not_rate_an_extract_nor_a_missing_comment(comment):
    made_up = signing.dumps({"s": "comment", "r": comment.pk + 1000}, salt=SALT)
    assert Client().get(f"/ankieta/{made_up}/").status_code == 404
    unknown = signing.dumps({"s": "petition", "r": comment.pk}, salt=SALT)
    assert Client().get(f"/ankieta/{unknown}/").status_code == 404


def test_comment_answers_share_the_rate_limit(world, comment, settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "survey": "1/hour"}
    client = Client()
    assert client.post(comment_survey_url(comment=comment), {"score": "5"}).status_code == 200
    other = add_comment(comment.consultation)
    assert client.post(comment_survey_url(comment=other), {"score": "5"}).status_code == 429


def test_free_text_about_a_comment_is_for_that_gminas_admins_only(comment, admin_a, platform_admin):
    url = comment_survey_url(comment=comment)
    Client().post(url, {"score": "1", "comment": "formularz za długi"})
    assert "formularz za długi" in client_for(admin_a).get("/centrum-wsparcia/").content.decode()
    for user in (platform_admin,):
        assert (
            "formularz za długi" not in client_for(user).get("/centrum-wsparcia/").content.decode()
        )
    assert "formularz za długi" not in Client().get(url).content.decode()
