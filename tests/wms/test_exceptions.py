"""Every bad request gets a ServiceExceptionReport with its code (valid per schema / DTD), never a 500."""

from __future__ import annotations

from urllib.parse import parse_qsl

import pytest
from lxml import etree

from tests.wms.conftest import assert_valid_130, assert_valid_dtd, getmap_url, image

OGC = "{http://www.opengis.net/ogc}"
BASE = {"SERVICE": "WMS", "VERSION": "1.3.0", "REQUEST": "GetMap"}


def code_130(response) -> str:
    assert response["Content-Type"].startswith("text/xml")
    doc = assert_valid_130(response.content, "exceptions_1_3_0.xsd")
    return doc.find(f"{OGC}ServiceException").get("code")


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"LAYERS": None}, "MissingParameterValue"),
        ({"LAYERS": "nope"}, "LayerNotDefined"),
        ({"LAYERS": "gmina-b:wektor-str"}, "LayerNotDefined"),
        ({"STYLES": "purple"}, "StyleNotDefined"),
        ({"STYLES": ",,"}, "StyleNotDefined"),
        ({"CRS": "EPSG:99999"}, "InvalidCRS"),
        ({"CRS": "EPSG:32633"}, "InvalidCRS"),
        ({"CRS": "not-a-crs"}, "InvalidCRS"),
        ({"BBOX": "1,2,3"}, "InvalidParameterValue"),
        ({"BBOX": "a,b,c,d"}, "InvalidParameterValue"),
        ({"BBOX": "5,5,1,1"}, "InvalidParameterValue"),
        ({"BBOX": "nan,1,2,3"}, "InvalidParameterValue"),
        ({"WIDTH": "5000"}, "InvalidParameterValue"),
        ({"HEIGHT": "0"}, "InvalidParameterValue"),
        ({"WIDTH": "wide"}, "InvalidParameterValue"),
        ({"FORMAT": "image/gif"}, "InvalidFormat"),
        ({"FORMAT": None}, "MissingParameterValue"),
        ({"TRANSPARENT": "maybe"}, "InvalidParameterValue"),
        ({"BGCOLOR": "red"}, "InvalidParameterValue"),
        ({"DIM_STATUS": "secret"}, "InvalidDimensionValue"),
        ({"VERSION": None}, "MissingParameterValue"),
        ({"VERSION": "1.2.0"}, "InvalidParameterValue"),
        ({"REQUEST": "DescribeLayer"}, "OperationNotSupported"),
        ({"REQUEST": None}, "MissingParameterValue"),
        ({"SERVICE": "WCS"}, "InvalidParameterValue"),
        ({"SERVICE": None}, "MissingParameterValue"),
    ],
)
def test_bad_getmap_requests_get_the_right_exception_code(anonymous, change, code):
    path, _sep, query = getmap_url(**{k: v for k, v in change.items() if v is not None}).partition(
        "?"
    )
    params = dict(parse_qsl(query, keep_blank_values=True))
    for key, value in change.items():
        if value is None:
            params.pop(key)
    response = anonymous.get(path, params)
    assert response.status_code == 400
    assert code_130(response) == code


def test_111_reports_follow_the_111_dtd_with_invalid_srs(anonymous):
    response = anonymous.get(getmap_url(version="1.1.1", SRS="EPSG:99999"))
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/vnd.ogc.se_xml")
    doc = assert_valid_dtd(response.content)
    assert doc.find("ServiceException").get("code") == "InvalidSRS"


def test_the_width_limit_is_configurable(anonymous, settings):
    settings.WMS_MAX_WIDTH = 300
    assert code_130(anonymous.get(getmap_url(WIDTH=301))) == "InvalidParameterValue"


@pytest.mark.django_db(transaction=True)
def test_inimage_draws_the_message_into_an_image_of_the_asked_size(anonymous):
    response = anonymous.get(getmap_url(LAYERS="nope", EXCEPTIONS="INIMAGE", WIDTH=320, HEIGHT=200))
    assert response["Content-Type"] == "image/png"
    picture = image(response.content).convert("RGB")
    assert picture.size == (320, 200)
    assert any(picture.getpixel((x, y))[1] < 100 for x in range(0, 320) for y in range(0, 30))


def test_blank_is_an_empty_image_and_111_names_work_too(anonymous):
    for exceptions in ("BLANK", "application/vnd.ogc.se_blank"):
        response = anonymous.get(
            getmap_url(LAYERS="nope", EXCEPTIONS=exceptions, FORMAT="image/jpeg")
        )
        assert response["Content-Type"] == "image/jpeg"
        picture = image(response.content).convert("RGB")
        assert picture.getextrema() == ((255, 255), (255, 255), (255, 255))


def test_parameter_names_and_values_are_case_insensitive(anonymous):
    url = (
        getmap_url()
        .replace("SERVICE=WMS", "service=wms")
        .replace("REQUEST=GetMap", "request=getmap")
    )
    url = url.replace("LAYERS=", "layers=").replace("BBOX=", "bBoX=").replace("WIDTH", "width")
    response = anonymous.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"


def test_service_wfs_is_dispatched_to_the_wfs_module(anonymous):
    response = anonymous.get("/gmina-a/ows", {"service": "wfs", "request": "GetCapabilities"})
    assert b"WFS_Capabilities" in response.content
    body = (
        b'<?xml version="1.0"?><wfs:GetCapabilities xmlns:wfs="http://www.opengis.net/wfs/2.0" '
        b'service="WFS"/>'
    )
    response = anonymous.post("/gmina-a/ows", body, content_type="text/xml")
    assert b"WFS_Capabilities" in response.content


def test_an_xml_body_that_is_not_wfs_is_a_wms_exception(anonymous):
    response = anonymous.post(
        "/gmina-a/ows", b"<!DOCTYPE x [<!ENTITY a 'aaaa'>]><x>&a;</x>", content_type="text/xml"
    )
    assert response.status_code == 400
    assert code_130(response) == "MissingParameterValue"
    assert etree.fromstring(response.content) is not None
