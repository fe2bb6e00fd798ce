"""The map pages work in a real browser with the Content Security Policy enforced.

The portal's own browser tests bypass the CSP (they inject axe-core); here chromium enforces it and
every violation the page reports fails the test. Needs Debian's chromium (scripts/setup.sh).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop in this thread

CHROMIUM = "/usr/bin/chromium"
LISTEN = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(
  e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + (e.sourceFile || '')));
"""


@pytest.fixture(scope="module")
def chromium():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (scripts/setup.sh packages)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        yield browser
        browser.close()


def visit(chromium, url: str, ready: str) -> tuple[list[str], list[str]]:
    """Open ``url`` with the CSP enforced, wait for ``ready``; (violations, CSP console errors)."""
    context = chromium.new_context(locale="pl-PL", bypass_csp=False)
    page = context.new_page()
    page.set_default_timeout(20_000)
    console = []
    page.on(
        "console",
        lambda m: "Content Security Policy" in m.text and console.append(m.text),
    )
    page.add_init_script(LISTEN)
    response = page.goto(url)
    assert response.status == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_function(ready)
    page.wait_for_load_state("networkidle")
    violations = page.evaluate("window.__csp")
    context.close()
    return violations, console


def test_the_gmina_map_draws_its_tiles_under_the_policy(chromium, live_server, world):
    violations, console = visit(
        chromium,
        f"{live_server.url}/gmina-a/",
        "document.querySelectorAll('#map img.leaflet-tile-loaded').length >= 1",
    )
    assert violations == [] and console == [], violations + console


def test_the_parcel_page_and_its_small_map_work_under_the_policy(chromium, live_server, world):
    violations, console = visit(
        chromium,
        f"{live_server.url}/gmina-a/dzialki/{world.parcel_a.identifier}/",
        "document.querySelector('h1') !== null",
    )
    assert violations == [] and console == [], violations + console


def test_an_inline_script_would_be_refused(chromium, live_server, world):
    """The check can fail: a script injected into the page is blocked and reported."""
    context = chromium.new_context(bypass_csp=False)
    page = context.new_page()
    page.add_init_script(LISTEN)
    page.goto(f"{live_server.url}/konto/logowanie/")
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.__ran = 1'; document.body.appendChild(s); }"
    )
    page.wait_for_function("window.__csp.length > 0")
    assert page.evaluate("window.__ran") is None
    assert any(v.startswith("script-src") for v in page.evaluate("window.__csp"))
    context.close()
