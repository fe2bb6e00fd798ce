"""XML request bodies and filters through the portal's hardened parser (layers/xmlparse.py: no
network, no DTD, no entities), with size and depth caps."""

from __future__ import annotations

from lxml import etree

from layers.xmlparse import XMLRefused, parse_bytes
from wms.core.ows_errors import OwsError

MAX_BYTES = 2_000_000
MAX_DEPTH = 40
MAX_ELEMENTS = 20_000


def parse_xml(data: bytes | str, *, what: str = "request") -> etree._Element:
    """Parse ``data`` or raise OperationParsingFailed naming what is wrong."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    if len(data) > MAX_BYTES:
        raise OwsError(
            "OperationParsingFailed",
            f"The XML {what} is {len(data)} bytes; at most {MAX_BYTES} are accepted.",
        )
    try:
        root = parse_bytes(data, remove_comments=True, remove_pis=True)
    except XMLRefused as exc:
        raise OwsError(
            "OperationParsingFailed", f"The XML {what} holds a DTD or entity declaration."
        ) from exc
    except etree.XMLSyntaxError as exc:
        line, column = exc.position
        raise OwsError(
            "OperationParsingFailed",
            f"The XML {what} is not well-formed (line {line}, column {column}).",
        ) from exc
    if root is None:
        raise OwsError("OperationParsingFailed", f"The XML {what} is empty.")
    check_shape(root, what=what)
    return root


def check_shape(root: etree._Element, *, what: str) -> None:
    count = 0
    stack = [(root, 1)]
    while stack:
        element, depth = stack.pop()
        count += 1
        if depth > MAX_DEPTH:
            raise OwsError(
                "OperationParsingFailed",
                f"The XML {what} is nested deeper than {MAX_DEPTH} levels.",
            )
        if count > MAX_ELEMENTS:
            raise OwsError(
                "OperationParsingFailed", f"The XML {what} has more than {MAX_ELEMENTS} elements."
            )
        stack.extend((child, depth + 1) for child in element if isinstance(child.tag, str))
