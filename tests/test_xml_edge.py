"""The single XML edge (layers/xmlparse.py): a DOCTYPE is refused by the parser itself, anywhere,
in any encoding, and nothing outside the document is ever opened."""

from __future__ import annotations

import pytest
from lxml import etree

from layers.xmlparse import XMLRefused, parse_bytes, parse_file, root_element
from tests.hostile_xml import fifo, finishes, late_doctype, utf16_doctype


def _outcome(call) -> str:
    try:
        call()
    except XMLRefused as exc:
        return f"refused: {exc}"
    except etree.XMLSyntaxError as exc:
        return f"syntax: {exc}"
    return "parsed"


@pytest.mark.parametrize(
    "body", [late_doctype("<r/>", "x.dtd"), utf16_doctype("<r>&e;</r>", bom=True)]
)
def test_a_doctype_anywhere_in_any_encoding_is_refused(body, tmp_path):
    (tmp_path / "doc.xml").write_bytes(body)
    assert _outcome(lambda: parse_bytes(body)).startswith("refused")
    assert _outcome(lambda: parse_file(tmp_path / "doc.xml")).startswith("refused")
    assert _outcome(lambda: root_element(body)).startswith("refused")


def test_an_existing_and_a_missing_dtd_file_give_the_same_answer(tmp_path):
    answers = {
        _outcome(lambda s=system: parse_bytes(late_doctype("<r/>", s)))
        for system in ("file:///etc/passwd", f"file://{tmp_path}/missing.dtd", "/etc/hostname")
    }
    assert answers == {"refused: the document declares a DOCTYPE"}


def test_a_dtd_on_a_fifo_is_never_opened(tmp_path):
    with fifo(tmp_path) as path:
        body = late_doctype("<r/>", f"file://{path}")
        assert finishes(lambda: parse_bytes(body), fifo_path=path)
        (tmp_path / "doc.xml").write_bytes(body)
        assert finishes(lambda: parse_file(tmp_path / "doc.xml"), fifo_path=path)


def test_an_ordinary_document_parses():
    root = parse_bytes(b'<?xml version="1.0"?><!-- note --><a xmlns="urn:x"><b/></a>')
    assert etree.QName(root).localname == "a" and len(root) == 1
