"""GetFeatureInfo: APP field names for zones, parcel data, all formats, I/J vs X/Y, tenancy."""

from __future__ import annotations

import json

import pytest
from lxml import etree

from tests.conftest import client_for
from tests.wms.conftest import A_BBOX, DRAFT_BBOX, MN_PIXEL, OUTSIDE_PIXEL, getmap_url

pytestmark = pytest.mark.django_db(transaction=True)


def gfi_url(
    path="/gmina-a/ows",
    *,
    layers="wektor-str",
    pixel=MN_PIXEL,
    version="1.3.0",
    fmt="application/json",
    **extra,
):
    i, j = pixel
    names = ("I", "J") if version == "1.3.0" else ("X", "Y")
    url = getmap_url(
        path,
        version=version,
        REQUEST="GetFeatureInfo",
        LAYERS=layers,
        QUERY_LAYERS=layers,
        INFO_FORMAT=fmt,
        **extra,
    )
    return f"{url}&{names[0]}={i}&{names[1]}={j}"


def features(response) -> list[dict]:
    assert response.status_code == 200, response.content[:300]
    return json.loads(response.content)["features"]


def test_a_zone_answers_with_the_app_field_names_and_links(anonymous, world):
    world.plan_a.namespace = "PL.ZIPPZP.9999/209901-MPZP"
    world.plan_a.save(update_fields=["namespace"])
    (zone,) = features(anonymous.get(gfi_url()))
    props = zone["properties"]
    assert props["oznaczenie"] == "1MN"
    assert props["symbol"] == "MN"
    assert props["nazwa"] == "zabudowa mieszkaniowa jednorodzinna"
    assert props["przestrzenNazw"] == "PL.ZIPPZP.9999/209901-MPZP"
    assert props["tytul"] == "MPZP wsi Gmina A"
    assert props["numerUchwaly"] == "Uchwała Nr I/1/2024"
    assert props["dataUchwaly"] == "2024-01-10"
    assert props["obowiazujeOd"] == "2024-02-15"
    assert f"/gmina-a/plany/{world.plan_a.pk}/" in props["ustalenia"]
    for key in ("lokalnyId", "przestrzenNazw", "oznaczenie", "symbol", "nazwa", "obowiazujeOd"):
        assert key in props


def test_a_parcel_answers_with_its_identifier_precinct_and_area(anonymous, world):
    # parcel 12/3: E +250..+350, N +200..+260 -> pixel (300, 370)
    (parcel,) = features(anonymous.get(gfi_url(layers="dzialki", pixel=(300, 370))))
    props = parcel["properties"]
    assert props["idDzialki"] == world.parcel_a.identifier
    assert props["obreb"] == "209901_2.0001"
    assert props["powierzchniaM2"] == pytest.approx(6000, abs=1)
    assert props["gmina"] == world.gmina_a.name
    (link,) = props["linki"]
    assert link["href"] == f"http://testserver/gmina-a/dzialki/{world.parcel_a.identifier}/"
    assert anonymous.get(link["href"]).status_code == 200  # the parcel's page


def test_too_many_parameters_or_a_query_not_in_utf8_get_an_ogc_answer(anonymous, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 20
    response = anonymous.get(gfi_url() + "".join(f"&X{n}=1" for n in range(30)))
    assert response.status_code == 400
    assert b'code="InvalidParameterValue"' in response.content
    assert b"more than 20 parameters" in response.content
    # a percent-encoded byte that is not UTF-8 is replaced (as in request.GET), not an error
    response = anonymous.get(gfi_url() + "&VENDOR=%E9t%E9")
    assert response.status_code == 200


def test_feature_count_and_several_query_layers(anonymous):
    found = features(
        anonymous.get(gfi_url(layers="wektor-str,dzialki", pixel=(300, 370), FEATURE_COUNT=5))
    )
    layers = {f["properties"]["warstwa"] for f in found}
    assert layers == {"wektor-str", "dzialki"}
    assert (
        len([f for f in found if f["properties"]["warstwa"] == "wektor-str"]) >= 2
    )  # 1MN/1KDD edge


def test_111_uses_x_and_y(anonymous):
    (zone,) = features(anonymous.get(gfi_url(version="1.1.1")))
    assert zone["properties"]["oznaczenie"] == "1MN"


def test_html_for_people_is_polish_and_text_and_gml_carry_the_same(anonymous):
    html = anonymous.get(gfi_url(fmt="text/html"))
    assert html["Content-Type"].startswith("text/html")
    assert b"1MN" in html.content and b'lang="pl"' in html.content
    text = anonymous.get(gfi_url(fmt="text/plain")).content.decode()
    assert "oznaczenie = 1MN" in text
    gml = anonymous.get(gfi_url(fmt="application/vnd.ogc.gml"))
    doc = etree.fromstring(gml.content)
    assert doc.find(".//oznaczenie").text == "1MN"
    empty = anonymous.get(gfi_url(fmt="text/plain", pixel=OUTSIDE_PIXEL)).content.decode()
    assert "Brak obiektów" in empty


def test_the_html_answers_style_is_allowed_by_the_csp_through_its_hash(anonymous):
    import base64
    import hashlib
    import re

    response = anonymous.get(gfi_url(fmt="text/html"))
    (style,) = re.findall(r"<style>(.*?)</style>", response.content.decode(), flags=re.S)
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    policy = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    assert f"'sha256-{digest}'" in policy["style-src"].split()
    assert "'unsafe-inline'" not in policy["style-src"]
    json_policy = anonymous.get(gfi_url())["Content-Security-Policy"]
    assert "sha256" not in json_policy  # only the HTML answer carries it


def test_it_answers_in_geographic_crs_through_the_request_thread_transform(anonymous):
    from pyproj import Transformer

    lon0, lat0, lon1, lat1 = Transformer.from_crs(2180, 4326, always_xy=True).transform_bounds(
        *A_BBOX
    )
    url = getmap_url(CRS="EPSG:4326", BBOX=f"{lat0},{lon0},{lat1},{lon1}", WIDTH=600, HEIGHT=600)
    anonymous.get(url)  # render first (imports mapnik in this process), then transform
    i, j = 150, 450
    (zone,) = features(
        anonymous.get(gfi_url(CRS="EPSG:4326", BBOX=f"{lat0},{lon0},{lat1},{lon1}", pixel=(i, j)))
    )
    assert zone["properties"]["oznaczenie"] == "1MN"


@pytest.mark.parametrize(
    ("extra", "code"),
    [
        ({"I": "600"}, "InvalidPoint"),
        ({"J": "-1"}, "InvalidPoint"),
        ({"INFO_FORMAT": "image/png"}, "InvalidFormat"),
        ({"QUERY_LAYERS": "dzialki"}, "LayerNotDefined"),
        ({"QUERY_LAYERS": "raster", "LAYERS": "raster"}, "LayerNotQueryable"),
        ({"FEATURE_COUNT": "x"}, "InvalidParameterValue"),
    ],
)
def test_bad_feature_info_requests_get_their_code(anonymous, extra, code):
    url = gfi_url()
    for key, value in extra.items():
        url = url.replace(f"&{key}=", f"&{key}_old=") + f"&{key}={value}"
    response = anonymous.get(url)
    assert response.status_code == 400
    assert f'code="{code}"'.encode() in response.content


def test_an_unpublished_draft_never_answers_to_outsiders(anonymous, planner_a, planner_b):
    x0, y0, x1, y1 = DRAFT_BBOX
    box = f"{y0},{x0},{y1},{x1}"
    for client in (anonymous, client_for(planner_a)):
        for path, layer in (
            ("/gmina-b/ows", "wektor-str"),
            ("/ows", "gmina-b:wektor-str"),
            ("/ows", "wektor-str"),
        ):
            for fmt in ("application/json", "text/html", "text/plain"):
                response = client.get(
                    gfi_url(
                        path,
                        layers=layer,
                        pixel=(150, 150),
                        fmt=fmt,
                        BBOX=box,
                        WIDTH=500,
                        HEIGHT=500,
                        DIM_STATUS="elaboration",
                    )
                )
                assert response.status_code == 200
                assert b"9MW" not in response.content and b"tajny" not in response.content
    own = client_for(planner_b).get(
        gfi_url(
            "/gmina-b/ows",
            pixel=(150, 150),
            BBOX=box,
            WIDTH=500,
            HEIGHT=500,
            DIM_STATUS="elaboration",
        )
    )
    assert b"9MW" in own.content


def test_a_gmina_service_never_answers_with_another_gminas_features(anonymous, world):
    from tests.wms.conftest import BX, BY

    box = f"{BY},{BX},{BY + 600},{BX + 600}"
    for layers, pixel in (("wektor-str", MN_PIXEL), ("dzialki", (300, 370))):
        assert (
            features(anonymous.get(gfi_url("/gmina-a/ows", layers=layers, pixel=pixel, BBOX=box)))
            == []
        )
        found = features(
            anonymous.get(gfi_url("/gmina-b/ows", layers=layers, pixel=pixel, BBOX=box))
        )
        assert found and found[0]["properties"]["gmina"] == "Gmina B"
