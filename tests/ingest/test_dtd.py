"""An uploaded GML with a DOCTYPE is refused by the import pipeline's parser, wherever the DOCTYPE
sits and in whatever encoding, for plans and parcels alike; the file it names is never opened."""

from __future__ import annotations

from pathlib import Path

import pytest

from plans.ingest.egib import read_egib
from plans.ingest.pipeline import import_parcels, import_plan
from plans.ingest.report import IngestError, Report
from plans.ingest.safety import parse_xml
from tests.hostile_xml import fifo, finishes, late_doctype, utf16_doctype

APP = '<wfs:FeatureCollection xmlns:wfs="http://www.opengis.net/wfs/2.0"/>'


def _upload(tmp_path: Path, body: bytes) -> Path:
    path = tmp_path / "plan.gml"
    path.write_bytes(body)
    return path


@pytest.mark.parametrize(
    "body",
    [late_doctype(APP, "x.dtd"), utf16_doctype(APP, bom=False), utf16_doctype(APP, bom=True)],
    ids=["after-a-70kB-comment", "utf-16-without-bom", "utf-16-with-bom"],
)
def test_a_plan_or_parcel_upload_with_a_doctype_is_refused(gmina_testowa, tmp_path, body):
    path = _upload(tmp_path, body)
    report, plan = import_plan(municipality=gmina_testowa, paths=[path])
    assert plan is None and report.errors[0].rule == "xml.doctype_forbidden", report.as_text()
    report = import_parcels(municipality=gmina_testowa, paths=[path])
    assert report.errors[0].rule == "xml.doctype_forbidden", report.as_text()


def test_an_existing_and_a_missing_dtd_file_give_identical_reports(gmina_testowa, tmp_path):
    texts = set()
    for system in ("file:///etc/passwd", f"file://{tmp_path}/none.dtd"):
        report, _plan = import_plan(
            municipality=gmina_testowa, paths=[_upload(tmp_path, late_doctype(APP, system))]
        )
        texts.add(report.as_text())
    assert len(texts) == 1 and "xml.doctype_forbidden" in texts.pop()


def _refused(call) -> None:
    with pytest.raises(IngestError) as caught:
        call()
    assert caught.value.rule == "xml.doctype_forbidden"


def test_a_dtd_on_a_fifo_does_not_hang_the_import(tmp_path):
    with fifo(tmp_path) as dtd:
        path = _upload(tmp_path, late_doctype(APP, f"file://{dtd}"))
        assert finishes(lambda: parse_xml(path), fifo_path=dtd)
        _refused(lambda: parse_xml(path))
        assert finishes(lambda: read_egib(path, Report(kind="parcels")), fifo_path=dtd)
        _refused(lambda: read_egib(path, Report(kind="parcels")))
