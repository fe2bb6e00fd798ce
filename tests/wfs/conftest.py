"""WFS test helpers: requests through the test URLconf, offline schema validation."""

from __future__ import annotations

import pathlib
import re

import pytest
from lxml import etree

from tests.conftest import schema_path

OGC = "http://schemas.opengis.net"


def _rules() -> list[tuple[str, str]]:
    catalog = schema_path("ogc", "catalog.xml")
    ns = "{urn:oasis:names:tc:entity:xmlns:xml:catalog}"
    root, base = etree.parse(str(catalog)).getroot(), catalog.parent
    rules = [
        (e.get("uriStartString"), (base / e.get("rewritePrefix")).resolve().as_posix() + "/")
        for e in root.iter(ns + "rewriteURI")
    ]
    rules += [
        (e.get("name"), (base / e.get("uri")).resolve().as_posix()) for e in root.iter(ns + "uri")
    ]
    return sorted(rules, key=lambda r: -len(r[0]))


class OfflineResolver(etree.Resolver):
    def __init__(self, rules, extra: dict[str, bytes]):
        super().__init__()
        self.rules, self.extra = rules, extra

    def resolve(self, url, pubid, context):
        if url in self.extra:
            return self.resolve_string(self.extra[url], context, base_url=url)
        for prefix, target in self.rules:
            if url.startswith(prefix):
                path = target + url[len(prefix) :] if target.endswith("/") else target
                return self.resolve_string(pathlib.Path(path).read_bytes(), context, base_url=url)
        if url.startswith(("http://", "https://", "ftp://")):
            raise OSError("offline: no local copy for " + url)
        return None


def make_parser(extra: dict[str, bytes] | None = None) -> etree.XMLParser:
    parser = etree.XMLParser(no_network=True, resolve_entities=False, huge_tree=True)
    parser.resolvers.add(OfflineResolver(_rules(), extra or {}))
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
