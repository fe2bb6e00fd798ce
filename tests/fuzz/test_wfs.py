"""WFS 2.0 and 1.1 under hostile KVP and XML, against gunicorn (issue 20): GetFeature with BBOX,
FILTER, SORTBY, PROPERTYNAME, COUNT/STARTINDEX, RESOURCEID, and POSTed XML requests."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.known import skip_known
from tests.fuzz.stack import Probe
from tests.fuzz.strategies import (
    ENDPOINTS,
    bbox,
    crs,
    hostile_bbox,
    hostile_crs,
    hostile_int,
    junk,
    ogc_probe,
    spoiled_pairs,
)
from tests.fuzz.xml_strategies import (
    PROPERTIES,
    TYPENAMES,
    fes_filter,
    get_feature_xml,
    hostile_document,
)

pytestmark = pytest.mark.django_db

OUTPUTS = st.sampled_from(
    ["application/gml+xml; version=3.2", "application/json", "text/csv", "app", "gml3", "text/xml"]
)
typenames = st.lists(st.sampled_from(TYPENAMES), min_size=1, max_size=3).map(",".join)
properties = st.lists(st.sampled_from(PROPERTIES), min_size=1, max_size=3).map(",".join)
sortby = st.lists(
    st.tuples(st.sampled_from(PROPERTIES), st.sampled_from(["", " ASC", " DESC", " D", " up"])),
    min_size=1,
    max_size=3,
).map(lambda keys: ",".join(p + o for p, o in keys))
bbox_with_crs = st.tuples(bbox, st.sampled_from(["", ",urn:ogc:def:crs:EPSG::2180", ",EPSG:4326"]))


@st.composite
def get_feature_pairs(draw) -> list[tuple[str, str]]:
    version = draw(st.sampled_from(["2.0.0", "1.1.0"]))
    selection = draw(st.sampled_from(["BBOX", "FILTER", "RESOURCEID", None]))
    fields = [
        ("SERVICE", st.just("WFS"), junk),
        ("VERSION", st.just(version), st.sampled_from(["3.0", "1.0.0", ""]) | junk),
        ("REQUEST", st.just("GetFeature"), st.sampled_from(["GetPropertyValue", "Nope"]) | junk),
        ("TYPENAMES" if version == "2.0.0" else "TYPENAME", typenames, junk),
        ("OUTPUTFORMAT", OUTPUTS, junk),
        ("SRSNAME", crs, hostile_crs),
        ("COUNT", st.integers(1, 50).map(str), hostile_int),
        ("STARTINDEX", st.integers(0, 5).map(str), hostile_int),
        ("SORTBY", sortby, junk),
        ("PROPERTYNAME", properties, junk),
    ]
    if selection == "BBOX":
        fields.append(("BBOX", bbox_with_crs.map("".join), hostile_bbox))
    elif selection == "FILTER":
        fields.append(("FILTER", fes_filter, hostile_document(fes_filter).map(_text)))
    elif selection == "RESOURCEID":
        ids = st.sampled_from(["dzialki.1", "wektor-str.2,dzialki.3", "1", "x.y.z"])
        fields.append(("RESOURCEID", ids, junk))
    return draw(spoiled_pairs(fields))


def _text(body: bytes) -> str:
    return body.decode("utf-8", "surrogateescape") if not body.startswith(b"\xff\xfe") else ""


@st.composite
def posted_xml(draw) -> Probe:
    body = draw(hostile_document(get_feature_xml()))
    content_type = draw(st.sampled_from(["application/xml", "text/xml", "text/plain", ""]))
    headers = {"Content-Type": content_type} if content_type else {}
    return Probe("POST", draw(st.sampled_from(ENDPOINTS)), body=body, headers=headers)


def test_wfs_kvp_getfeature_survives_hostile_parameters(stack, budget):
    @budget
    @given(probe=get_feature_pairs().flatmap(ogc_probe).map(skip_known))
    def fuzz(probe):
        stack.send(probe)

    fuzz()


def test_wfs_posted_xml_survives_hostile_documents(stack, budget):
    @budget
    @given(probe=posted_xml().map(skip_known))
    def fuzz(probe):
        stack.send(probe)

    fuzz()
