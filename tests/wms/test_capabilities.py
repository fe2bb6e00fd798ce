"""GetCapabilities 1.3.0 and 1.1.1: valid offline against the official schema / DTD, metadata."""

from __future__ import annotations

import pytest

from tests.wms.conftest import AX, AY, assert_valid_130, assert_valid_dtd

WMS = "{http://www.opengis.net/wms}"


def layer_names(doc, ns: str = WMS) -> list[str]:
    return [e.text for e in doc.iter(f"{ns}Name") if e.getparent().tag == f"{ns}Layer"]


@pytest.mark.parametrize("path", ["/gmina-a/ows", "/ows"])
def test_capabilities_130_are_valid_against_the_official_schema(anonymous, path):
    response = anonymous.get(path, {"SERVICE": "WMS", "REQUEST": "GetCapabilities"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/xml")
    doc = assert_valid_130(response.content)
    # GetLegendGraphic is listed as SLD 1.1.0's extended operation, with its format and URL
    (legend,) = doc.iter("{http://www.opengis.net/sld}GetLegendGraphic")
    assert legend.findtext("{http://www.opengis.net/wms}Format") == "image/png"
    href = legend.find(".//{http://www.opengis.net/wms}OnlineResource").get(
        "{http://www.w3.org/1999/xlink}href"
    )
    assert href == f"http://testserver{path}?"


@pytest.mark.parametrize("path", ["/gmina-a/ows", "/ows"])
def test_capabilities_111_are_valid_against_the_dtd(anonymous, path):
    response = anonymous.get(
        path, {"SERVICE": "WMS", "REQUEST": "GetCapabilities", "VERSION": "1.1.1"}
    )
    assert response.status_code == 200
    doc = assert_valid_dtd(response.content)
    assert doc.get("version") == "1.1.1"
    assert "dzialki" in [e.text for e in doc.iter("Name")]


def test_gmina_service_offers_the_kimpzp_layer_names_with_metadata(anonymous):
    doc = assert_valid_130(
        anonymous.get("/gmina-a/ows", {"service": "wms", "request": "getcapabilities"}).content
    )
    names = layer_names(doc)
    for name in ("granice", "wektor-str", "raster", "dzialki", "obreby"):
        assert name in names
    assert not any(":" in n for n in names)
    assert "Gmina A" in doc.findtext(f"{WMS}Service/{WMS}Title")
    keywords = [k.text for k in doc.iter(f"{WMS}Keyword")]
    assert "Zagospodarowanie przestrzenne" in keywords  # INSPIRE theme
    assert "infoMapAccessService" in keywords
    zones = next(e for e in doc.iter(f"{WMS}Layer") if e.findtext(f"{WMS}Name") == "wektor-str")
    assert zones.get("queryable") == "1"
    assert zones.find(f"{WMS}Dimension").get("name") == "status"
    legend = zones.find(f"{WMS}Style/{WMS}LegendURL/{WMS}OnlineResource")
    assert "GetLegendGraphic" in legend.get("{http://www.w3.org/1999/xlink}href")


def test_platform_service_prefixes_gmina_layers_with_the_slug(anonymous):
    doc = assert_valid_130(
        anonymous.get("/ows", {"SERVICE": "WMS", "REQUEST": "GetCapabilities"}).content
    )
    names = layer_names(doc)
    assert {"gmina-a:wektor-str", "gmina-b:dzialki", "wektor-str", "gmina-a", "gmina-b"} <= set(
        names
    )


def test_bounding_boxes_follow_the_axis_order_of_each_crs(anonymous):
    doc = assert_valid_130(
        anonymous.get("/gmina-a/ows", {"SERVICE": "WMS", "REQUEST": "GetCapabilities"}).content
    )
    zones = next(e for e in doc.iter(f"{WMS}Layer") if e.findtext(f"{WMS}Name") == "wektor-str")
    boxes = {b.get("CRS"): b for b in zones.findall(f"{WMS}BoundingBox")}
    assert set(boxes) >= {
        "EPSG:2180",
        "EPSG:2176",
        "EPSG:2179",
        "EPSG:4326",
        "EPSG:3857",
        "CRS:84",
        "EPSG:4258",
    }
    b2180 = boxes["EPSG:2180"]  # northing first in 1.3.0
    assert float(b2180.get("minx")) == pytest.approx(AY, abs=1)
    assert float(b2180.get("miny")) == pytest.approx(AX, abs=1)
    assert 50 < float(boxes["EPSG:4326"].get("minx")) < 55  # latitude first
    assert 20 < float(boxes["CRS:84"].get("minx")) < 25  # longitude first


def test_111_bounding_boxes_are_easting_first(anonymous):
    doc = assert_valid_dtd(
        anonymous.get(
            "/gmina-a/ows", {"SERVICE": "WMS", "REQUEST": "GetCapabilities", "VERSION": "1.1.1"}
        ).content
    )
    box = next(b for b in doc.iter("BoundingBox") if b.get("SRS") == "EPSG:2180")
    assert float(box.get("minx")) == pytest.approx(AX, abs=1)


@pytest.mark.parametrize(
    ("asked", "served"),
    [
        ("1.3.0", "1.3.0"),
        ("1.1.1", "1.1.1"),
        ("1.1.0", "1.1.1"),
        ("2.0.0", "1.3.0"),
        ("1.0.0", "1.1.1"),
    ],
)
def test_it_negotiates_the_version(anonymous, asked, served):
    response = anonymous.get(
        "/gmina-a/ows", {"SERVICE": "WMS", "REQUEST": "GetCapabilities", "VERSION": asked}
    )
    assert f'version="{served}"'.encode() in response.content[:600]


def test_capabilities_without_service_default_to_wms(anonymous):
    response = anonymous.get("/gmina-a/ows", {"request": "GetCapabilities"})
    assert b"WMS_Capabilities" in response.content


def test_another_gminas_unpublished_plan_is_not_in_capabilities(anonymous):
    for path in ("/ows", "/gmina-b/ows", "/gmina-a/ows"):
        body = anonymous.get(path, {"SERVICE": "WMS", "REQUEST": "GetCapabilities"}).content
        assert b"tajny" not in body


def test_an_unknown_gmina_is_a_404(anonymous):
    assert (
        anonymous.get(
            "/no-such-gmina/ows", {"SERVICE": "WMS", "REQUEST": "GetCapabilities"}
        ).status_code
        == 404
    )
