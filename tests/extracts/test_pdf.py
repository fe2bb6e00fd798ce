"""The PDF: WeasyPrint, A4, Polish text extractable, the wyrys drawn by Mapnik at the plan's scale."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.gis.geos import MultiPolygon
from PIL import Image

from extracts.document import WATERMARK, ExtractMeta, build_document
from extracts.engine import compute_extract
from extracts.fees import page_sizes_mm
from extracts.wyrys import build_wyrys, colour_for, sheet_boxes
from tests.extracts.conftest import pdf_text
from tests.factories import make_zone

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"


@pytest.mark.django_db(transaction=True)
def test_the_informational_extract_is_an_a4_pdf_with_polish_text_zones_and_watermark(
    world, anonymous
):
    url = f"/gmina-a/dzialki/{world.parcel_a.identifier}/wypis.pdf"
    response = anonymous.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    data = response.content
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "wypis-informacyjny-12_3.pdf").write_bytes(data)
    for width, height in page_sizes_mm(data):
        assert (round(width), round(height)) == (210, 297)
    text = " ".join(pdf_text(data).split())
    assert "nie stanowi wypisu ani wyrysu" in text
    assert "Gmina A" in text and world.parcel_a.identifier in text
    for designation in ("1MN", "1KDD", "1U"):
        assert designation in text
    assert "zabudowa mieszkaniowa jednorodzinna" in text
    assert "§ 6. Dla terenu 1MN ustala się zabudowę mieszkaniową jednorodzinną." in text
    assert "Uchwała Nr I/1/2024" in text
    assert "skala 1:1000" in text
    assert "Działki objęte dokumentem" in text and "Opłata skarbowa" in text
    assert "wyrys: 1 × część formatu A4" in text and re.search(r"razem\s*50 zł", text)
    # areas printed with two decimals: 1MN 50 m × 60 m, 1KDD 12 m × 60 m, 1U 38 m × 60 m
    assert "3000.00" in text.replace(",", ".") and "720.00" in text.replace(",", ".")


@pytest.mark.django_db(transaction=True)
def test_the_wyrys_is_at_the_plan_scale_with_the_parcel_drawn_and_a_legend_of_exactly_the_shown_symbols(
    world,
):
    wyrys = build_wyrys(plan=world.plan_a, parcels=[world.parcel_a], dpi=100)
    assert wyrys.scale == 1000
    (sheet,) = wyrys.sheets
    x0, y0, x1, y1 = sheet.bbox
    # 180 mm of frame at 1:1000 = 180 m on the ground
    assert x1 - x0 == pytest.approx(180.0) and y1 - y0 == pytest.approx(165.0)
    assert {e.symbol for e in wyrys.legend} == {"MN", "KDD", "U"}
    image = Image.open(io.BytesIO(sheet.png)).convert("RGB")
    colours = {c for _n, c in image.getcolors(maxcolors=1 << 20)}
    assert (0xE6, 0x00, 0x7E) in colours  # the subject parcel outline
    assert (
        tuple(
            int(colour_for(world.plan_a.zones.get(designation="1MN"))[i : i + 2], 16)
            for i in (1, 3, 5)
        )
        in colours
    )


@pytest.mark.django_db(transaction=True)
def test_a_zone_wholly_inside_the_subject_parcel_is_drawn_not_a_500(world):
    """Its label area (the zone minus the subject parcel) is empty: Mapnik stopped the whole
    drawing at the empty polygon ("Exterior ring must be initialized"), a 500 on the public
    informational PDF (found by the growth benchmark on the synthetic union, issue 17)."""
    inner = world.parcel_a.geom.buffer(-10)
    make_zone(world.plan_a, "9ZP", MultiPolygon(inner, srid=2180))
    wyrys = build_wyrys(plan=world.plan_a, parcels=[world.parcel_a], dpi=100)
    assert "ZP" in {e.symbol for e in wyrys.legend}
    content = compute_extract(municipality=world.gmina_a, parcels=[world.parcel_a])
    built = build_document(
        content=content, meta=ExtractMeta(kind="wypis", informational=True), dpi=72
    )
    assert "9ZP" in pdf_text(built.pdf)


def test_a_parcel_larger_than_the_frame_is_tiled_not_rescaled():
    boxes = sheet_boxes((0.0, 0.0, 400.0, 100.0), scale=1000)
    assert len(boxes) == 3
    for x0, y0, x1, y1 in boxes:
        assert (x1 - x0, y1 - y0) == pytest.approx((180.0, 165.0))


@pytest.mark.django_db(transaction=True)
def test_a_parcel_without_plan_gets_an_explicit_statement_in_the_pdf(world):
    outside = world.gmina_a.parcels.get(number="40")
    content = compute_extract(municipality=world.gmina_a, parcels=[outside])
    built = build_document(
        content=content, meta=ExtractMeta(kind="wypis", informational=True), dpi=72
    )
    text = " ".join(pdf_text(built.pdf).split())
    assert f"Dla działki {outside.identifier}" in text
    assert (
        "nie obowiązuje miejscowy plan zagospodarowania przestrzennego ani plan ogólny gminy"
        in text
    )
    assert WATERMARK.split()[0] in text
