"""The planner's correction of zone provisions in a browser (issue 21, "Done when"): a resolution
text that leaves zone 2U unmatched is uploaded through the form, a real worker checks it, the
planner gives 2U its paragraph on the report page, publishes, and the plan page quotes it. The
``page`` fixture fails on any JavaScript error."""

from __future__ import annotations

import threading

import pytest
from django.db import connections

from tests.browser.conftest import screenshot
from tests.conftest import fixture_path
from tests.workers import run_worker

pytestmark = pytest.mark.browser
PASSWORD = "test-pass-123"  # tests/conftest.py
RESOLUTION = (
    "<html><body><p>§ 1. Przepisy ogólne.</p><p>Rozdział 2. Ustalenia szczegółowe</p>"
    "<p>§ 5. Teren oznaczony symbolem 1MN: zabudowa mieszkaniowa.</p>"
    "<p>Ustalenia dla terenu usług: usługi handlu.</p></body></html>"
)


def run_import_jobs() -> None:
    """The queued import jobs, run by a real worker in a thread of its own: Playwright's event
    loop runs in the test's thread, where the worker's could not."""

    def work() -> None:
        try:
            run_worker("ingest")
        finally:
            connections.close_all()

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(timeout=120)
    assert not thread.is_alive(), "the import worker did not finish"


def sign_in(page, live_server) -> None:
    page.goto(f"{live_server.url}/konto/logowanie/")
    page.fill("input[name=username]", "planner_a")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/konto/")


def wait_for_status(page, status: str) -> None:
    page.reload()
    page.wait_for_selector(f"#import-status[data-status={status}]", timeout=30_000)


@pytest.mark.django_db(transaction=True)
def test_a_planner_assigns_paragraphs_to_an_unmatched_zone_and_the_plan_quotes_them(
    page, live_server, world, planner_a, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    sign_in(page, live_server)
    page.locator("nav.menu").get_by_role("link", name="Import", exact=True).first.click()
    page.set_input_files("input[name=files]", str(fixture_path("ingest", "mpzp_zones.gpkg")))
    page.set_input_files(
        "input[name=provisions]",
        {"name": "uchwala.htm", "mimeType": "text/html", "buffer": RESOLUTION.encode()},
    )
    page.get_by_role("button", name="Prześlij i sprawdź").click()
    page.wait_for_selector("#import-status")
    run_import_jobs()
    wait_for_status(page, "valid")

    zone = page.locator("article.zone-provisions[data-zone='2U']")
    assert "bez własnych ustaleń" in zone.inner_text()
    # the problem's message in the reader's language (stored as a template, translated on display)
    assert "żadna część uchwały nie wymienia tego terenu" in page.locator("main").inner_text()
    page.get_by_text("Tekst uchwały, akapit po akapicie").click()
    paragraphs = page.locator("ol.resolution-paragraphs li").all_inner_texts()
    number = next(i for i, text in enumerate(paragraphs, start=1) if "usługi handlu" in text)
    zone.locator("input[name=paragraphs]").fill(str(number))
    zone.get_by_role("button", name="Zapisz ustalenia terenu 2U").click()
    page.wait_for_load_state()
    zone = page.locator("article.zone-provisions[data-zone='2U']")
    assert "bez własnych ustaleń" not in zone.inner_text()
    zone.get_by_text("Tekst").first.click()
    assert "usługi handlu" in zone.locator(".provisions-text").inner_text()
    # the splitter also gave the paragraph to 1MN (paragraphs may be shared): the planner takes it
    first = page.locator("article.zone-provisions[data-zone='1MN']")
    first.locator("input[name=paragraphs]").fill(str(number - 1))
    first.get_by_role("button", name="Zapisz ustalenia terenu 1MN").click()
    page.wait_for_load_state()
    screenshot(page, "import-provisions-corrected")

    page.get_by_role("button", name="Zaimportuj i opublikuj plan").click()
    run_import_jobs()
    wait_for_status(page, "done")
    page.get_by_role("link", name="Przejdź do planu").click()
    page.get_by_text("Ustalenia dla terenu 2U").click()
    provisions = page.locator("details.provisions", has_text="Ustalenia dla terenu 2U")
    assert provisions.locator(".provision-text").inner_text() == (
        "Ustalenia dla terenu usług: usługi handlu."
    )
    page.get_by_text("Ustalenia dla terenu 1MN").click()
    first = page.locator("details.provisions", has_text="Ustalenia dla terenu 1MN")
    assert "usługi handlu" not in first.locator(".provision-text").inner_text()
    general = page.locator("details.provisions", has_text="Ustalenia ogólne planu")
    assert general.count() == 0 or "usługi handlu" not in general.inner_text()
