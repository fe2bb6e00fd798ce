"""The public map portal in a real browser: map tiles from the portal's own WMS, parcel search, the
side panel with zone shares, the plan page, the English switch, permalinks, keyboard use, a phone,
the accessibility check (axe-core), and another gmina's draft never showing."""

from __future__ import annotations

import json
import re
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache
from pyproj import Transformer

from tests.browser.conftest import ARTIFACTS, COUNT_WMS_PIXELS, axe_violations, screenshot

pytestmark = pytest.mark.browser

TO_2180 = Transformer.from_crs(4326, 2180, always_xy=True)
ID_A = "209901_2.0001.12/3"


def record(name: str, seconds: float) -> None:
    """Timings for the report: test-artifacts/browser/timings.json."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / "timings.json"
    timings = json.loads(path.read_text()) if path.exists() else {}
    timings[name] = round(seconds, 3)
    path.write_text(json.dumps(timings, indent=2, sort_keys=True))


def wait_for_tiles(page, minimum: int = 4) -> dict:
    page.wait_for_function(
        f"document.querySelectorAll('#map img.leaflet-tile-loaded').length >= {minimum}"
    )
    page.wait_for_load_state("networkidle")
    return page.evaluate(COUNT_WMS_PIXELS)


def zone_rows(page) -> dict[str, tuple[str, str]]:
    rows = {}
    for row in page.locator("#panel tr.zone").all():
        cells = [c.inner_text().strip() for c in row.locator("th, td").all()]
        rows[cells[0]] = (cells[2], cells[3])
    return rows


def test_a_resident_finds_a_parcel_reads_its_zones_and_follows_to_the_plan(
    page, live_server, world
):
    for visit in ("cold", "warm"):  # the first request of the live server loads every module
        started = time.perf_counter()
        page.goto(f"{live_server.url}/gmina-a/")
        record(f"gmina_page_load_event_{visit}_s", time.perf_counter() - started)
        pixels = wait_for_tiles(page, minimum=2)
        record(f"gmina_page_with_all_tiles_{visit}_s", time.perf_counter() - started)
        cache.clear()  # the second visit renders its tiles again
    assert page.locator("html").get_attribute("lang") == "pl"
    assert page.locator("#search-form button").inner_text() == "Szukaj"
    # the portal's WMS drew zones, boundaries and parcels: many opaque pixels in several colours
    assert pixels["tiles"] >= 2, pixels
    assert pixels["drawn"] > 20_000 and pixels["colours"] >= 3, pixels
    screenshot(page, "01-gmina-map")

    # the cursor position in EPSG:2180, checked against pyproj
    box = page.locator("#map").bounding_box()
    x, y = round(box["width"] * 0.5), round(box["height"] * 0.4)
    page.mouse.move(box["x"] + x, box["y"] + y)
    shown = page.locator("[data-coords]").inner_text()
    north, east = (float(v) for v in re.findall(r"\d{6}\.\d\d", shown))
    latlng = page.evaluate(
        f"() => document.getElementById('map').portalMap.containerPointToLatLng([{x}, {y}])"
    )
    expected_east, expected_north = TO_2180.transform(latlng["lng"], latlng["lat"])
    # within half a metre (sub-pixel rounding); swapped axes or a wrong projection are kilometres off
    assert abs(east - expected_east) < 0.5 and abs(north - expected_north) < 0.5, shown

    # the keyboard reaches the search box, with a visible focus outline
    page.keyboard.press("Tab")  # the skip link
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Enter")
    for _ in range(6):
        if page.evaluate("document.activeElement.id") == "search-q":
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "search-q"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", ""), outline

    # search: suggestions while typing, then Enter opens the parcel's panel
    started = time.perf_counter()
    page.keyboard.type("12/3")
    page.wait_for_selector("#search-results button.hit")
    assert ID_A in page.locator("#search-results").inner_text()
    page.press("#search-q", "Enter")
    page.wait_for_selector(f'#panel [data-identifier="{ID_A}"]')
    record("search_to_panel_s", time.perf_counter() - started)
    assert page.locator("#panel h2").inner_text() == "Działka 12/3"
    assert zone_rows(page) == {
        "1MN": ("3000,0", "50,0"),
        "1KDD": ("720,0", "12,0"),
        "1U": ("2280,0", "38,0"),
    }
    assert page.evaluate("document.activeElement.tagName") == "H2"  # focus moved to the panel
    query = parse_qs(urlsplit(page.url).query)
    assert query["dzialka"] == [ID_A] and "z" in query and "wektor-str" in query["warstwy"][0]
    screenshot(page, "02-parcel-panel")
    violations = axe_violations(page)
    assert violations == [], violations

    # the permalink restores the selected parcel
    page.goto(page.url)
    page.wait_for_selector(f'#panel [data-identifier="{ID_A}"]')

    # suggestions are reachable with the arrow keys
    page.fill("#search-q", "4")
    page.wait_for_selector("#search-results button.hit")
    page.press("#search-q", "ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_selector('#panel [data-identifier="209901_2.0001.40"]')
    assert page.locator("#panel .no-plan").count() == 1  # parcel 40 lies outside the plan

    # follow to the plan page
    page.goto(f"{live_server.url}/gmina-a/?dzialka={ID_A}")
    page.wait_for_selector(f'#panel [data-identifier="{ID_A}"]')
    page.click("#panel .plan-block h3 a")
    page.wait_for_selector("h1")
    assert page.locator("h1").inner_text() == "MPZP wsi Gmina A"
    assert page.locator(".zone-block h3").count() == 3
    page.wait_for_selector(".small-map img.leaflet-tile-loaded")
    screenshot(page, "03-plan-page", full_page=True)

    # switch to English
    plan_url = page.url
    page.click('button[name="language"][value="en"]')
    page.wait_for_selector('html[lang="en"]')
    assert page.url == plan_url
    assert page.locator("h2").first.inner_text() == "History"
    violations = axe_violations(page)
    assert violations == [], violations
    screenshot(page, "04-plan-page-english")


def test_a_click_on_the_map_or_enter_on_the_focused_map_opens_the_parcel(page, live_server, world):
    centre = world.parcel_a.geom.point_on_surface.transform(4326, clone=True)
    page.goto(f"{live_server.url}/gmina-a/?z=18&lat={centre.y}&lon={centre.x}")
    page.wait_for_selector("#map .leaflet-tile-loaded")
    point = page.evaluate(
        f"() => document.getElementById('map').portalMap.latLngToContainerPoint([{centre.y}, {centre.x}])"
    )
    page.locator("#map").click(position={"x": point["x"] + 30, "y": point["y"]})
    page.wait_for_selector(f'#panel [data-identifier="{ID_A}"]')
    assert page.locator("#panel-status").inner_text() == "Działka 12/3"  # told to screen readers
    assert set(zone_rows(page)) == {"1MN", "1KDD", "1U"}

    # keyboard: close to nothing selected, focus the map, Enter selects the parcel in the middle
    page.goto(f"{live_server.url}/gmina-a/?z=18&lat={centre.y}&lon={centre.x}")
    page.focus("#map")
    page.keyboard.press("Enter")
    page.wait_for_selector(f'#panel [data-identifier="{ID_A}"]')


def test_layers_switch_off_and_show_their_legends(page, live_server, world):
    page.goto(f"{live_server.url}/gmina-a/")
    wait_for_tiles(page)
    with page.expect_request(
        lambda r: "GetMap" in r.url and "LAYERS=granice" in r.url.replace("layers=", "LAYERS=")
    ) as req:
        for name in ("wektor-str", "dzialki", "obreby"):
            page.uncheck(f"#layer-{name}")
    assert "granice" in req.value.url
    assert parse_qs(urlsplit(page.url).query)["warstwy"] == ["granice"]
    # the legend: this plan's zone classes in view, as text with swatches (not an image)
    page.wait_for_selector('#zone-legend li[data-zone-class="MN"]')
    rows = page.locator("#zone-legend li").all_inner_texts()
    assert rows == [
        "MN – tereny zabudowy mieszkaniowej jednorodzinnej",
        "U – tereny zabudowy usługowej",
        "KDD – tereny dróg publicznych",
    ], rows
    # the switch survives a reload through the URL
    page.goto(page.url)
    assert not page.is_checked("#layer-wektor-str") and page.is_checked("#layer-granice")


def test_the_map_draws_nothing_where_only_an_unpublished_plan_lies(page, live_server, world):
    centre = world.draft_b.boundary.centroid.transform(4326, clone=True)
    base = f"{live_server.url}/gmina-b/?z=20&lat={centre.y}&lon={centre.x}"
    page.goto(f"{base}&warstwy=wektor-str,granice")
    pixels = wait_for_tiles(page, minimum=1)
    # neither the draft's 9MW zone nor its boundary is drawn
    assert pixels["tiles"] >= 1 and pixels["drawn"] == 0, pixels
    # the same view over the published plan is drawn
    published = world.plan_b.zones.get(designation="1MN").geom.point_on_surface
    centre = published.transform(4326, clone=True)
    page.goto(f"{live_server.url}/gmina-b/?z=20&lat={centre.y}&lon={centre.x}&warstwy=wektor-str")
    assert wait_for_tiles(page, minimum=1)["drawn"] > 10_000


def test_another_gminas_draft_never_shows(page, live_server, world, parcel_under_draft_b):
    page.goto(f"{live_server.url}/gmina-b/")
    page.fill("#search-q", "0001 77")
    page.press("#search-q", "Enter")
    page.wait_for_selector(f'#panel [data-identifier="{parcel_under_draft_b.identifier}"]')
    panel = page.locator("#panel").inner_text()
    assert "9MW" not in panel and "tajny" not in panel
    assert page.locator("#panel .no-plan").count() == 1
    page.goto(f"{live_server.url}/gmina-b/plany/")
    assert "tajny" not in page.content()
    response = page.goto(f"{live_server.url}/gmina-b/plany/{world.draft_b.pk}/")
    assert response.status == 404


def test_the_home_page_and_a_phone_pass_the_accessibility_check(page, phone, live_server, world):
    page.goto(f"{live_server.url}/")
    page.wait_for_selector(".home-map .leaflet-interactive")
    assert page.locator("table.list tbody tr").count() == 2
    violations = axe_violations(page)
    assert violations == [], violations
    screenshot(page, "05-home")
    page.fill("#home-q", "Gmina A-Wieś 12/3")  # suggestions while typing link to the parcel page
    page.click(f'[data-suggest-results] a[href="/gmina-a/dzialki/{ID_A}/"]')
    page.wait_for_selector(".parcel-page")
    page.go_back()
    page.fill("#home-q", ID_A)
    page.press("#home-q", "Enter")  # the search page, without JavaScript's help
    page.click(f'.hits a[href="/gmina-a/dzialki/{ID_A}/"]')
    page.wait_for_selector(".parcel-page")
    assert "1KDD" in page.locator(".parcel-panel").inner_text()

    phone.goto(f"{live_server.url}/gmina-a/?dzialka={ID_A}")
    phone.wait_for_selector(f'#panel [data-identifier="{ID_A}"]')
    map_box, sidebar_box = (
        phone.locator("#map").bounding_box(),
        phone.locator(".sidebar").bounding_box(),
    )
    assert map_box["width"] <= 390 and map_box["y"] < sidebar_box["y"]  # the map above the panel
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
    violations = axe_violations(phone)
    assert violations == [], violations
    screenshot(phone, "06-phone", full_page=True)


def test_the_name_of_a_gmina_on_the_home_map_leads_to_its_map(page, live_server, world):
    page.goto(f"{live_server.url}/")
    page.click('.home-map .gmina-label a:text("Gmina A")')
    page.wait_for_url(f"{live_server.url}/gmina-a/")
