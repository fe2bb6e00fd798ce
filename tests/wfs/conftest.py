"""WFS test helpers: requests through the test URLconf, offline schema validation."""

from __future__ import annotations

import re

import pytest
from lxml import etree

from tests.offline_schemas import OfflineResolver

OGC = "http://schemas.opengis.net"


def make_parser(extra: dict[str, bytes] | None = None) -> etree.XMLParser:
    parser = etree.XMLParser(no_network=True, resolve_entities=False, huge_tree=True)
    parser.resolvers.add(OfflineResolver(extra))
    return parser


def schema_for(pairs, extra: dict[str, bytes] | None = None) -> etree.XMLSchema:
    imports = "".join(f'<xs:import namespace="{n}" schemaLocation="{u}"/>' for n, u in pairs)
    wrapper = f'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">{imports}</xs:schema>'
    doc = etree.fromstring(wrapper.encode(), make_parser(extra), base_url="file:///tmp/wrapper.xsd")
    schema = etree.XMLSchema(doc)
    bad = [e.message for e in schema.error_log if re.search(r"failed to load|offline:", e.message)]
    assert not bad, bad
    return schema


def assert_valid(body: bytes, pairs, extra: dict[str, bytes] | None = None) -> etree._Element:
    schema = schema_for(pairs, extra)
    doc = etree.fromstring(body, make_parser(extra))
    ok = schema.validate(doc)
    assert ok, [(e.line, e.message) for e in schema.error_log][:5]
    return doc


WFS20_XSD = ("http://www.opengis.net/wfs/2.0", f"{OGC}/wfs/2.0/wfs.xsd")
WFS11_XSD = ("http://www.opengis.net/wfs", f"{OGC}/wfs/1.1.0/wfs.xsd")
OWS11_XSD = ("http://www.opengis.net/ows/1.1", f"{OGC}/ows/1.1.0/owsAll.xsd")
GML32_XSD = ("http://www.opengis.net/gml/3.2", f"{OGC}/gml/3.2.1/gml.xsd")


@pytest.fixture
def wfs_urls():
    """Prefix of the OGC endpoints (the WMS view dispatches SERVICE=WFS to handle_wfs)."""
    return ""


def get(client, path: str, **params):
    query = {"SERVICE": "WFS", "VERSION": "2.0.0", **params}
    response = client.get(path, query)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body
