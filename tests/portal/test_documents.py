"""Plan documents: one view applying the permission module; MEDIA_ROOT never served as such."""

from __future__ import annotations

import importlib

import pytest
from django.core.files.base import ContentFile
from django.urls import clear_url_caches

from plans.models import PlanDocument

pytestmark = pytest.mark.django_db


@pytest.fixture
def documents(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.DOCUMENTS_ACCEL_REDIRECT = ""
    made = {}
    for key, plan, name in (
        ("published", world.plan_a, "uchwala.pdf"),
        ("draft", world.draft_b, "projekt-uchwaly.html"),
    ):
        doc = PlanDocument(
            municipality=plan.municipality, plan=plan, kind="resolution", title=f"Uchwała {key}"
        )
        doc.file.save(name, ContentFile(f"<p>tajny {key}</p>".encode()), save=True)
        made[key] = doc
    return made


def url(doc: PlanDocument, *, gmina: str | None = None, plan: int | None = None) -> str:
    gmina = gmina or doc.municipality.slug
    return f"/{gmina}/plany/{plan or doc.plan_id}/dokumenty/{doc.pk}/"


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_a_published_plans_document_is_served_to_anybody(documents, anonymous):
    response = anonymous.get(url(documents["published"]))
    assert response.status_code == 200 and body(response) == b"<p>tajny published</p>"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="uchwala.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_drafts_document_is_for_the_staff_of_its_gmina_only(
    documents, anonymous, planner_a, planner_b, client
):
    draft = documents["draft"]
    assert anonymous.get(url(draft)).status_code == 404
    client.force_login(planner_a)
    assert client.get(url(draft)).status_code == 404
    client.force_login(planner_b)
    response = client.get(url(draft))
    assert response.status_code == 200 and body(response) == b"<p>tajny draft</p>"
    # HTML from a planner is a download in a sandbox, never a page of the portal's origin
    assert response["Content-Type"].startswith("text/html")
    assert response["Content-Disposition"].startswith("attachment;")
    assert "sandbox" in response["Content-Security-Policy"]


def test_a_document_is_found_only_through_its_own_gmina_and_plan(
    documents, world, planner_b, client
):
    client.force_login(planner_b)
    draft = documents["draft"]
    assert client.get(url(draft, gmina=world.gmina_a.slug)).status_code == 404
    assert client.get(url(draft, plan=world.plan_b.pk)).status_code == 404


def test_with_accel_redirect_nginx_sends_the_file(documents, anonymous, settings):
    settings.DOCUMENTS_ACCEL_REDIRECT = "/_protected/"
    doc = documents["published"]
    response = anonymous.get(url(doc))
    assert response.status_code == 200 and body(response) == b""
    assert response["X-Accel-Redirect"] == f"/_protected/{doc.file.name}"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="uchwala.pdf"'
    assert anonymous.get(url(documents["draft"])).status_code == 404


def test_the_plan_page_links_its_documents_through_the_view(documents, world, anonymous):
    page = anonymous.get(f"/{world.gmina_a.slug}/plany/{world.plan_a.pk}/").content.decode()
    assert url(documents["published"]) in page and "/media/" not in page


def test_media_is_not_served_even_in_debug(documents, anonymous, settings):
    import gis_portal.urls

    settings.DEBUG = True
    try:
        importlib.reload(gis_portal.urls)
        clear_url_caches()
        response = anonymous.get(f"/media/{documents['draft'].file.name}")
        assert response.status_code == 404 and b"tajny" not in body(response)
    finally:
        settings.DEBUG = False
        importlib.reload(gis_portal.urls)
        clear_url_caches()
