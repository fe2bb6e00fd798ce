"""The OGC schemas resolved offline through the XML catalog of fixtures/schemas/ogc (SOURCES.md there):
one resolver for the WMS and WFS tests' validators; a URL with no local copy fails, never downloads."""

from __future__ import annotations

import pathlib

from lxml import etree

from tests.conftest import schema_path


def catalog_rules() -> list[tuple[str, str]]:
    """(URL prefix or whole URL, local path) from the catalog, the longest prefix first."""
    catalog = schema_path("ogc", "catalog.xml")
    ns = "{urn:oasis:names:tc:entity:xmlns:xml:catalog}"
    root, base = etree.parse(str(catalog)).getroot(), catalog.parent
    rules = [
        (e.get("uriStartString"), (base / e.get("rewritePrefix")).resolve().as_posix() + "/")
        for e in root.iter(ns + "rewriteURI")
    ]
    rules += [
        (e.get("systemIdStartString"), (base / e.get("rewritePrefix")).resolve().as_posix() + "/")
        for e in root.iter(ns + "rewriteSystem")
    ]
    rules += [
        (e.get("name"), (base / e.get("uri")).resolve().as_posix()) for e in root.iter(ns + "uri")
    ]
    return sorted(rules, key=lambda r: -len(r[0]))


class OfflineResolver(etree.Resolver):
    """Catalog URLs from the local copies; ``extra`` (URL -> bytes) for documents a test makes."""

    def __init__(self, extra: dict[str, bytes] | None = None):
        super().__init__()
        self.rules, self.extra = catalog_rules(), extra or {}

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
