"""Opłata skarbowa (załącznik cz. I pkt 51): wypis 30/50 zł by pages, wyrys 20 zł per A4 part ≤ 200 zł."""

from __future__ import annotations

from decimal import Decimal

import pytest

from extracts.document import ExtractMeta, build_document
from extracts.engine import compute_extract
from extracts.fees import a4_parts, wypis_fee, wyrys_fee
from tests.factories import box

A4, A3, A1 = (210, 297), (297, 420), (594, 841)


def test_a_wypis_costs_30_zl_up_to_five_pages_and_50_zl_above():
    assert wypis_fee(1).amount == wypis_fee(5).amount == Decimal(30)
    assert wypis_fee(6).amount == Decimal(50)


def test_a_wyrys_costs_20_zl_per_started_a4_part_and_at_most_200_zl():
    assert [a4_parts(*s) for s in (A4, A3, A1)] == [1, 2, 8]
    assert a4_parts(215, 297) == 2
    assert wyrys_fee([A4]).amount == Decimal(20)
    assert wyrys_fee([A3]).amount == Decimal(40)
    assert wyrys_fee([A1]).amount == Decimal(160)
    assert wyrys_fee([A1, A3, A4]).amount == Decimal(200)


@pytest.mark.django_db
def test_the_wypis_fee_comes_from_the_pages_of_the_rendered_pdf(world):
    zone = world.plan_a.zones.get(designation="1MN")
    zone.provisions = "\n".join(f"{i}. Ustala się zasadę nr {i} zabudowy." for i in range(1, 260))
    zone.save(update_fields=["provisions"])
    content = compute_extract(municipality=world.gmina_a, parcels=[world.parcel_a])
    built = build_document(
        content=content, meta=ExtractMeta(kind="wypis", informational=False), dpi=72
    )
    assert built.wypis_pages > 5
    assert [line.amount for line in built.fee.lines] == [Decimal(50)]
    assert built.fee.lines[0].label == "wypis powyżej 5 stron"


@pytest.mark.django_db
def test_a_wyrys_tiled_over_three_sheets_costs_60_zl_and_its_cover_page_is_free(world):
    from tests.factories import make_parcel

    x, y = 751000.0, 598000.0
    long_parcel = make_parcel(
        world.parcel_a.precinct, "77", box(x + 100, y + 100, x + 500, y + 200)
    )
    content = compute_extract(municipality=world.gmina_a, parcels=[long_parcel])
    built = build_document(
        content=content, meta=ExtractMeta(kind="wyrys", informational=False), dpi=72
    )
    assert built.wypis_pages == 1 and len(built.wyrys_sheets) == 3
    assert [(line.label, line.amount) for line in built.fee.lines] == [
        ("wyrys: 3 × część formatu A4", Decimal(60))
    ]
