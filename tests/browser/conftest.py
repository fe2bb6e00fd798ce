"""Playwright driving Debian's chromium against pytest-django's live server (STACK-NOTES.md §7).

One browser per test session; each test gets a fresh context (Polish locale, desktop size) and
fails on any JavaScript error. Screenshots go to test-artifacts/browser/ (git-ignored).
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.cache import cache
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.portal.conftest import parcel_under_draft_b  # noqa: F401 (a fixture for the tests here)

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "browser"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="package")
def browser():
    """One chromium for the browser tests; closed after them, so that its event loop ends there."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (scripts/setup.sh packages)")
    # Playwright's sync API runs an event loop in this thread; the ORM calls of fixtures are still
    # made synchronously from the test, which Django would otherwise refuse. Only while it runs.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            started = time.perf_counter()
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            browser.launch_seconds = time.perf_counter() - started
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _context(browser, **options):
    # bypass_csp: the accessibility check injects axe-core, which the portal's CSP would refuse.
    return browser.new_context(locale="pl-PL", bypass_csp=True, **options)


def _settle(page) -> None:
    """Until the page has no request in flight: a map tile still being drawn by the live server when
    the test database is flushed waits on the flush's TRUNCATE lock while the flush waits on the live
    server (seen as a hang at the end of a test that ended on a page with a map)."""
    # a page that keeps polling times out here: closing the context then ends its requests
    with contextlib.suppress(PlaywrightTimeoutError):
        page.wait_for_load_state("networkidle", timeout=15_000)


@pytest.fixture
def page(browser, live_server, world) -> Iterator:
    cache.clear()  # rate limits start afresh
    context = _context(browser, viewport={"width": 1280, "height": 860})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.js_errors, page.outside = [], []
    page.on("pageerror", lambda error: page.js_errors.append(str(error)))
    # nothing may load from anywhere but the portal itself (no CDN, no tiles from outside)
    page.on(
        "request",
        lambda r: r.url.startswith((live_server.url, "data:")) or page.outside.append(r.url),
    )
    yield page
    _settle(page)
    context.close()
    assert page.js_errors == [], page.js_errors
    assert page.outside == [], page.outside


@pytest.fixture
def phone(browser, live_server, world) -> Iterator:
    cache.clear()
    context = _context(
        browser, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    _settle(page)
    context.close()


def screenshot(page, name: str, **options) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), **options)
    return path


def axe_violations(page, *, impacts=("serious", "critical")) -> list[dict]:
    """Run axe-core (WCAG 2.0/2.1 A and AA rules) on the page; the violations of these impacts."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci` (scripts/setup.sh venv does it)")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """() => axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
            resultTypes: ['violations']
        })"""
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
        if v["impact"] in impacts
    ]


# A JavaScript function: how many pixels of the loaded WMS tiles are drawn (not transparent).
COUNT_WMS_PIXELS = """() => {
  const tiles = [...document.querySelectorAll('#map img.leaflet-tile-loaded')]
    .filter(img => img.src.includes('/ows?') && img.src.includes('GetMap'))
    .filter(img => !img.closest('.leaflet-background-pane'));  // not the offline base map
  let drawn = 0, colours = new Set();
  for (const img of tiles) {
    const canvas = document.createElement('canvas');
    canvas.width = img.naturalWidth; canvas.height = img.naturalHeight;
    const ctx = canvas.getContext('2d', {willReadFrequently: true});
    ctx.drawImage(img, 0, 0);
    const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3] > 0) { drawn++; colours.add(data[i] + ',' + data[i + 1] + ',' + data[i + 2]); }
    }
  }
  return {tiles: tiles.length, drawn: drawn, colours: colours.size};
}"""
