"""The single XML edge: every XML document from outside is parsed here, by one hardened parser.

A document that carries a DOCTYPE is refused by the parser, whatever its encoding and wherever the
DOCTYPE sits (no byte scanning): APP GML, EGiB GML and OGC requests never need one. The parser
never opens anything outside the document: no network, no DTD loading, no entity expansion, and a
resolver that refuses every external resource before libxml2 could open it (a DTD naming
``/etc/passwd`` or a FIFO answers exactly as one naming a missing file). ``collect_ids`` stays on:
with it off, libxml2 2.14 loads the external DTD subset even with ``load_dtd=False``.

Our own schemas (trusted files shipped in the repository) are read with ``schema_parser()``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from lxml import etree

CHUNK = 64 * 1024


class XMLRefused(ValueError):
    """The document declares a DOCTYPE or asks for an external resource."""


class _RefuseExternal(etree.Resolver):
    def resolve(self, url, pubid, context):
        raise XMLRefused(f"an external resource is referenced ({url})")


HARDENED = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "dtd_validation": False,
    "attribute_defaults": False,
    "huge_tree": False,
}


def hardened_parser(**options: bool) -> etree.XMLParser:
    """An lxml parser for hostile input; ``options`` may add e.g. ``remove_comments``."""
    parser = etree.XMLParser(**HARDENED, **options)
    parser.resolvers.add(_RefuseExternal())
    return parser


def schema_parser() -> etree.XMLParser:
    """A parser for the XSDs shipped with the portal (trusted; imports resolved offline)."""
    return etree.XMLParser(**HARDENED)


def refuse_doctype(tree: etree._ElementTree) -> None:
    docinfo = tree.docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise XMLRefused("the document declares a DOCTYPE")


def parse_bytes(data: bytes, **options: bool) -> etree._Element:
    """The root of ``data``; raises XMLRefused (DOCTYPE) or etree.XMLSyntaxError."""
    root = etree.fromstring(data, hardened_parser(**options))
    refuse_doctype(root.getroottree())
    return root


def parse_file(path: Path, **options: bool) -> etree._ElementTree:
    with path.open("rb") as handle:  # opened here: the resolver refuses every URL, this one too
        tree = etree.parse(handle, hardened_parser(**options))
    refuse_doctype(tree)
    return tree


def _chunks(source: bytes | Path) -> Iterator[bytes]:
    if isinstance(source, bytes):
        for start in range(0, len(source), CHUNK):
            yield source[start : start + CHUNK]
        return
    handle: BinaryIO
    with source.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            yield chunk


def root_element(source: bytes | Path, *, refuse: bool = True) -> etree._Element:
    """The root element as soon as its start tag is read (the prolog only, never the whole file).

    With ``refuse`` a DOCTYPE in the prolog raises XMLRefused. A document without a root element
    raises etree.XMLSyntaxError.
    """
    parser = etree.XMLPullParser(events=("start",), **HARDENED)
    parser.resolvers.add(_RefuseExternal())
    for chunk in _chunks(source):
        try:
            parser.feed(chunk)
        except etree.XMLSyntaxError:  # an error after the root's start tag is the full parse's
            if (root := _first(parser)) is None:
                raise
        else:
            root = _first(parser)
        if root is not None:
            if refuse:
                refuse_doctype(root.getroottree())
            return root
    parser.close()  # raises XMLSyntaxError: no root element
    raise etree.XMLSyntaxError("no root element", None, 1, 1)  # pragma: no cover


def _first(parser: etree.XMLPullParser) -> etree._Element | None:
    return next((element for _event, element in parser.read_events()), None)


def root_namespace(body: bytes) -> str | None:
    """The namespace of an XML body's root element (any encoding), or None if it is no XML.

    A DOCTYPE is left to the full parse of whoever takes the body (it refuses it).
    """
    if not body:
        return None
    try:
        return etree.QName(root_element(body, refuse=False)).namespace or ""
    except (etree.XMLSyntaxError, XMLRefused):
        return None


def iter_file(
    path: Path,
    *,
    tag: Iterable[str] | str | None = None,
    events: tuple[str, ...] = ("end",),
    **options: bool,
) -> Iterator[tuple[str, etree._Element]]:
    """Stream ``path`` like ``etree.iterparse``, after refusing a DOCTYPE in its prolog."""
    root_element(path)
    with path.open("rb") as handle:
        context = etree.iterparse(handle, events=events, tag=tag, **HARDENED, **options)
        context.resolvers.add(_RefuseExternal())
        checked = False
        for event, element in context:
            if not checked:
                refuse_doctype(element.getroottree())
                checked = True
            yield event, element


def local(tag: object) -> str:
    """The local name of an element's tag ('' for comments and processing instructions)."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def namespace(tag: object) -> str:
    """The namespace URI of an element's tag ('' when it has none)."""
    return tag[1:].split("}", 1)[0] if isinstance(tag, str) and tag.startswith("{") else ""
