"""A POSTed WFS request with a DOCTYPE is refused by the parser, wherever the DOCTYPE sits and in
whatever encoding; the server never opens the file it names (no file-existence oracle, no hang)."""

from __future__ import annotations

import pytest

from tests.hostile_xml import fifo, finishes, late_doctype, utf16_doctype
from wms.core.ows_errors import OwsError
from wms.core.xmlsafe import parse_xml

pytestmark = pytest.mark.django_db

A = "/gmina-a/ows"
GET_FEATURE = (
    '<wfs:GetFeature xmlns:wfs="http://www.opengis.net/wfs/2.0" service="WFS" version="2.0.0">'
    '<wfs:Query typeNames="dzialki"/></wfs:GetFeature>'
)


def _post(client, body: bytes) -> tuple[int, bytes]:
    response = client.post(A, body, content_type="application/xml")
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return response.status_code, content


def test_a_doctype_after_a_long_comment_is_refused(world, client):
    status, content = _post(client, late_doctype(GET_FEATURE, "x.dtd", comment_bytes=5_000))
    assert status == 400 and b"OperationParsingFailed" in content


def test_a_utf16_body_with_a_doctype_is_refused(world, client):
    status, content = _post(client, utf16_doctype(GET_FEATURE, bom=True))
    assert status == 400 and b"OperationParsingFailed" in content


def test_an_existing_and_a_missing_dtd_file_give_identical_answers(world, client, tmp_path):
    existing = _post(client, late_doctype(GET_FEATURE, "file:///etc/passwd", comment_bytes=5_000))
    missing = _post(
        client, late_doctype(GET_FEATURE, f"file://{tmp_path}/none.dtd", comment_bytes=5_000)
    )
    assert existing == missing and existing[0] == 400
    assert b"passwd" not in existing[1]


def test_a_dtd_on_a_fifo_does_not_hang_the_request_parser(tmp_path):
    with fifo(tmp_path) as path:
        body = late_doctype(GET_FEATURE, f"file://{path}", comment_bytes=5_000)
        assert finishes(lambda: parse_xml(body), fifo_path=path)
        with pytest.raises(OwsError, match="DTD"):
            parse_xml(body)
