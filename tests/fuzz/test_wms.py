"""WMS 1.3.0 and 1.1.1 under hostile parameters, against gunicorn (issue 20): no 5xx, no dead worker,
an answer within the bound. GetCapabilities, GetMap, GetFeatureInfo and GetLegendGraphic."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.known import skip_known
from tests.fuzz.strategies import (
    LAYERS,
    bbox,
    crs,
    hostile_bbox,
    hostile_crs,
    hostile_int,
    junk,
    layer_list,
    ogc_probe,
    small_int,
    spoiled_pairs,
)

pytestmark = pytest.mark.django_db


def one_of(*values: str) -> st.SearchStrategy[str]:
    return st.sampled_from(values)


VERSIONS = one_of("1.3.0", "1.1.1")
OTHER_VERSIONS = one_of("1.1.0", "1.0.0", "2.0.0", "1.3", "") | junk
IMAGE = one_of("image/png", "image/jpeg", "image/png; mode=8bit", "image/png; mode=24bit")
NOT_IMAGE = one_of("image/gif", "image/svg+xml", "application/pdf", "png") | junk
INFO = one_of("text/plain", "text/html", "application/json", "application/vnd.ogc.gml", "text/xml")
EXCEPTIONS = one_of("XML", "INIMAGE", "BLANK", "application/vnd.ogc.se_xml")
FLAG, COLOR = one_of("TRUE", "FALSE", "true", "1", "0"), one_of("0xFFFFFF", "#00ff00", "000000")
STYLES = one_of("", "default", ",", "default,default", "nope")


@st.composite
def map_pairs(draw, operation: str) -> list[tuple[str, str]]:
    version, layers = draw(VERSIONS), draw(layer_list)
    width, height = draw(st.integers(1, 600)), draw(st.integers(1, 600))
    fields = [
        ("SERVICE", st.just("WMS"), junk),
        ("VERSION", st.just(version), OTHER_VERSIONS),
        ("REQUEST", st.just(operation), junk),
        ("LAYERS", st.just(layers), layer_list | junk),
        ("STYLES", st.just(""), STYLES | junk),
        ("CRS" if version == "1.3.0" else "SRS", crs, hostile_crs),
        ("BBOX", bbox, hostile_bbox),
        ("WIDTH", st.just(str(width)), hostile_int),
        ("HEIGHT", st.just(str(height)), hostile_int),
        ("FORMAT", IMAGE, NOT_IMAGE),
        ("TRANSPARENT", FLAG, junk),
        ("BGCOLOR", COLOR, junk),
        ("EXCEPTIONS", EXCEPTIONS, junk),
    ]
    if operation == "GetFeatureInfo":
        i, j = ("I", "J") if version == "1.3.0" else ("X", "Y")
        fields += [
            ("QUERY_LAYERS", st.just(layers), layer_list | junk),
            ("INFO_FORMAT", INFO, junk),
            ("FEATURE_COUNT", small_int, hostile_int),
            (i, st.integers(0, width - 1).map(str), hostile_int),
            (j, st.integers(0, height - 1).map(str), hostile_int),
        ]
    if draw(st.integers(0, 5)) == 0:
        fields += [("DIM_STATUS", one_of("legalForce", "elaboration"), junk)]
        fields += [("TIME", one_of("2024-01-01", "2020-01-01/2030-01-01"), junk)]
    return draw(spoiled_pairs(fields))


@st.composite
def capabilities_pairs(draw) -> list[tuple[str, str]]:
    fields = [
        ("SERVICE", st.just("WMS"), junk),
        ("REQUEST", st.just("GetCapabilities"), junk),
        ("VERSION", VERSIONS, OTHER_VERSIONS),
        ("FORMAT", st.just("text/xml"), junk),
    ]
    return draw(spoiled_pairs(fields))


@st.composite
def legend_pairs(draw) -> list[tuple[str, str]]:
    fields = [
        ("SERVICE", st.just("WMS"), junk),
        ("VERSION", VERSIONS, OTHER_VERSIONS),
        ("REQUEST", st.just("GetLegendGraphic"), junk),
        ("LAYER", st.sampled_from(LAYERS), junk),
        ("FORMAT", IMAGE, NOT_IMAGE),
        ("STYLE", st.just(""), STYLES | junk),
        ("WIDTH", small_int, hostile_int),
        ("HEIGHT", small_int, hostile_int),
        ("SCALE", one_of("1000", "5000"), one_of("1e300", "-5", "0", "nan") | junk),
        ("RULE", st.just(""), junk),
    ]
    return draw(spoiled_pairs(fields))


OPERATIONS = {
    "GetCapabilities": capabilities_pairs(),
    "GetMap": map_pairs("GetMap"),
    "GetFeatureInfo": map_pairs("GetFeatureInfo"),
    "GetLegendGraphic": legend_pairs(),
}


@pytest.mark.parametrize("operation", list(OPERATIONS))
def test_wms_answers_hostile_parameters_without_5xx_death_or_hang(stack, budget, operation):
    @budget
    @given(probe=OPERATIONS[operation].flatmap(ogc_probe).map(skip_known))
    def fuzz(probe):
        stack.send(probe)

    fuzz()
