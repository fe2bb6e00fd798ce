"""A public consultation in a real browser: a resident pins a point, draws an area, attaches a file,
confirms and gets a number and a PDF; the planner writes a position; the report PDF holds the
comment; the public sees it without personal data; a comment after the deadline is refused."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from consultation.models import Comment
from tests.browser.conftest import screenshot
from tests.conftest import A_ORIGIN
from tests.consultation.helpers import draft_in, open_consultation_on

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
NAME = "Anna Prywatna-Nowak"
CONTENT = "Prosze o park zamiast parkingu przy szkole"


@pytest.fixture
def consultation(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return open_consultation_on(draft_in(world.gmina_a, A_ORIGIN))


def sign_in(context, user, live_server) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def click_map(page, fx: float, fy: float) -> None:
    box = page.locator("#comment-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] * fx, box["y"] + box["height"] * fy)


def test_a_resident_comments_the_planner_answers_and_the_report_is_public(
    page, browser, live_server, consultation, planner_a, tmp_path
):
    base = f"{live_server.url}/{consultation.municipality.slug}/konsultacje/{consultation.pk}"
    page.goto(base + "/")
    page.get_by_role("link", name="Zgłoś uwagę").or_(
        page.get_by_role("link", name="Submit a comment")
    ).click()
    page.wait_for_selector("#comment-map path.leaflet-interactive")
    # pin a point
    page.click("[data-draw=point]")
    click_map(page, 0.5, 0.5)
    assert '"Point"' in page.input_value("input[name=place]")
    # draw an area instead
    page.click("[data-draw=polygon]")
    for fx, fy in ((0.4, 0.4), (0.6, 0.4), (0.6, 0.6), (0.4, 0.6)):
        click_map(page, fx, fy)
    page.click("[data-draw=finish]")
    assert '"Polygon"' in page.input_value("input[name=place]")
    page.check("input[name=submitter_kind][value=person]")
    page.fill("input[name=name]", NAME)
    page.fill("input[name=address]", "ul. Prywatna 3, Wieś")
    page.fill("textarea[name=content]", CONTENT + " <b>pogrubione?</b>")
    page.fill("textarea[name=justification]", "Dzieci nie mają gdzie się bawić.")
    page.check("input[name=property_right][value=owner]")
    attachment = tmp_path / "szkic.pdf"
    attachment.write_bytes(PDF)
    page.set_input_files("input[name=attachments]", str(attachment))
    page.check("input[name=confirm]")
    screenshot(page, "consultation-resident-form", full_page=True)
    page.click("form.comment-form button[type=submit]")
    page.wait_for_selector("#comment-number")
    number = page.inner_text("#comment-number").strip()
    comment = Comment.objects.get(consultation=consultation)
    assert number == str(comment.number) == "1"
    assert comment.geom.geom_type == "Polygon" and comment.attachments.count() == 1
    confirmation = page.request.get(
        live_server.url + page.locator("a[href$='/pdf']").get_attribute("href")
    )
    assert confirmation.body().startswith(b"%PDF")

    staff = browser.new_context(locale="pl-PL")
    sign_in(staff, planner_a, live_server)
    desk = staff.new_page()
    desk.goto(f"{base}/kolejka/")
    assert CONTENT in desk.content()
    desk.goto(f"{base}/uwagi/{number}/")
    assert NAME in desk.content()
    assert "<b>pogrubione?</b>" not in desk.content()  # HTML shown as text
    desk.check("input[name=position][value=partly]")
    desk.fill("textarea[name=reason]", "Park w części terenu 2ZP.")
    desk.click("form.stacked button[type=submit]")
    desk.wait_for_url(f"{base}/kolejka/")
    report = desk.request.get(f"{base}/raport.pdf")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(report.body())).pages)
    assert CONTENT in " ".join(text.split()) and "Park w części terenu 2ZP." in " ".join(
        text.split()
    )
    assert NAME not in text
    desk.goto(f"{base}/kolejka/")
    desk.click("form[action$='/opublikuj/'] button")
    desk.wait_for_url(f"{base}/raport/")
    screenshot(desk, "consultation-report", full_page=True)
    staff.close()

    page.goto(f"{base}/raport/")
    body = page.content()
    assert CONTENT in body and "Park w części terenu 2ZP." in body
    assert NAME not in body and "Prywatna 3" not in body
    geojson = page.request.get(f"{base}/uwagi.geojson").text()
    assert CONTENT in geojson and NAME not in geojson


def test_a_comment_sent_after_the_deadline_and_the_grace_period_is_refused(
    page, live_server, consultation
):
    base = f"{live_server.url}/{consultation.municipality.slug}/konsultacje/{consultation.pk}"
    page.goto(base + "/uwaga/")
    page.check("input[name=submitter_kind][value=organisation]")
    page.fill("input[name=name]", "Stowarzyszenie")
    page.fill("input[name=address]", "Wieś 1")
    page.fill("textarea[name=content]", "Za późno?")
    page.check("input[name=property_right][value=none]")
    page.fill("input[name=zone]", "2MN")
    page.check("input[name=confirm]")
    # the deadline passes while the form is open, and so does the grace period
    past = timezone.now() - dt.timedelta(minutes=settings.CONSULTATION_GRACE_MINUTES + 1)
    type(consultation).objects.filter(pk=consultation.pk).update(ends_at=past)
    page.click("form.comment-form button[type=submit]")
    page.wait_for_selector("p[role=alert]")
    assert "termin" in page.inner_text("p[role=alert]").lower()
    assert not Comment.objects.exists()


def test_the_comment_form_is_accessible_and_fits_a_phone(page, phone, live_server, consultation):
    from tests.browser.conftest import axe_violations

    url = f"{live_server.url}/{consultation.municipality.slug}/konsultacje/{consultation.pk}/uwaga/"
    page.goto(url)
    page.wait_for_selector("#comment-map path.leaflet-interactive")
    assert axe_violations(page) == []
    phone.goto(url)
    overflow = phone.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1
    screenshot(phone, "consultation-resident-form-phone", full_page=True)
