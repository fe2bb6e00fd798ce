"""The same resolution as DOCX and as a text PDF splits like the HTML original."""

from __future__ import annotations

import pytest

from plans.ingest.provisions import _html_paragraphs, read_provisions
from plans.ingest.report import IngestError
from tests.conftest import fixture_path

SOURCE = ("mpzp-texts", "XLIV66110.htm")
EXPECTED = {"DJ.MN": "§ 12.", "DJ.MNU": "§ 13.", "DJ.KDD": "§ 14."}


def _paragraphs() -> list[str]:
    path = fixture_path(*SOURCE)
    return _html_paragraphs(path.read_bytes(), path.name)


def test_a_docx_resolution_splits_into_zones(tmp_path):
    import docx

    document = docx.Document()
    for line in _paragraphs():
        document.add_paragraph(line)
    path = tmp_path / "uchwala.docx"
    document.save(str(path))
    provisions = read_provisions(path)
    assert set(provisions.zones) == set(EXPECTED)
    for designation, paragraph in EXPECTED.items():
        assert provisions.zones[designation].startswith(paragraph)
    assert "§ 1." in provisions.general


def test_a_text_pdf_resolution_splits_into_zones(tmp_path):
    from weasyprint import HTML

    body = "".join(f"<p>{line}</p>" for line in _paragraphs())
    path = tmp_path / "uchwala.pdf"
    HTML(string=f"<html><body>{body}</body></html>").write_pdf(str(path))
    provisions = read_provisions(path)
    assert set(provisions.zones) == set(EXPECTED)
    assert "droga dojazdowa" in provisions.zones["DJ.KDD"]


def test_a_resolution_without_zone_paragraphs_is_all_general_part(tmp_path):
    path = tmp_path / "pusta.html"
    path.write_text("<html><body><p>§ 1. Nic.</p></body></html>", encoding="utf-8")
    provisions = read_provisions(path)
    assert provisions.zones == {} and provisions.general == "§ 1. Nic."


def test_html_that_is_not_in_its_declared_charset_is_an_error(tmp_path):
    path = tmp_path / "zla.htm"
    path.write_bytes(b'<meta charset="utf-8"><p>\x96 \xb9</p>')
    with pytest.raises(IngestError) as caught:
        read_provisions(path)
    assert caught.value.rule == "file.encoding"
