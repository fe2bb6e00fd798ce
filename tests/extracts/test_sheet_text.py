"""The wyrys sheet names the parcel by its number and carries a whole scale bar; provisions are
printed as paragraphs, not as the source's printed lines (issue 19, point 3)."""

from __future__ import annotations

import math

import pytest

from extracts.provisions import paragraphs
from extracts.workflow import issue_request
from extracts.wyrys import Wyrys, _layers
from tests.extracts.conftest import pdf_text

SOURCE = """§ 5. 1. Ustala się przeznaczenie terenu oznaczonego
symbolem 1MN: teren zabudowy mieszkaniowej
jednorodzinnej.
2. Dla terenu ustala się:
1) maksymalną wysokość zabudowy: 9 m, nie więcej niż dwie kondygnacje nadziemne, w tym
poddasze użytkowe;
a) dach stromy o nachyleniu połaci 30–45°,
b) zabu-
dowę wolnostojącą.

§ 6. Stawkę procentową ustala się na 30%."""


def test_hard_line_breaks_inside_a_sentence_are_joined_and_real_paragraphs_kept():
    assert paragraphs(SOURCE) == [
        "§ 5. 1. Ustala się przeznaczenie terenu oznaczonego symbolem 1MN: teren zabudowy "
        "mieszkaniowej jednorodzinnej.",
        "2. Dla terenu ustala się:",
        "1) maksymalną wysokość zabudowy: 9 m, nie więcej niż dwie kondygnacje nadziemne, w tym "
        "poddasze użytkowe;",
        "a) dach stromy o nachyleniu połaci 30–45°,",
        "b) zabudowę wolnostojącą.",
        "§ 6. Stawkę procentową ustala się na 30%.",
    ]
    assert paragraphs("") == [] and paragraphs("jedna linia") == ["jedna linia"]


@pytest.mark.parametrize("scale", [500, 1000, 2000, 5000, 10000])
def test_the_scale_bar_is_a_round_length_drawn_to_scale(scale):
    bar = Wyrys(plan=None, scale=scale).scale_bar
    metres = bar["metres"]
    leading = metres / 10 ** math.floor(math.log10(metres))
    assert leading in (1, 2, 5) and isinstance(metres, int)
    assert bar["mm"] == pytest.approx(metres * 1000 / scale)
    assert 20 <= bar["mm"] <= 50  # about a quarter of the 180 mm frame


@pytest.mark.django_db
def test_the_parcel_is_labelled_with_its_number_and_zone_labels_keep_off_it(world):
    parcel = world.parcel_a
    layers = {
        layer.name: layer
        for layer in _layers(
            plan=world.plan_a, zones=list(world.plan_a.zones.all()), parcels=[parcel], dpi=200
        )
    }
    names = list(layers)
    assert "[number]" in layers["subject"].style_xml
    assert "[designation]" not in layers["zones"].style_xml
    assert names.index("zone_labels") > names.index("subject")
    assert "ST_Difference" in layers["zone_labels"].table_sql


@pytest.mark.django_db
def test_the_certified_sheet_prints_the_scale_bar_label_whole_and_the_provisions_reflowed(
    world, clerk_a, request_a
):
    zone = world.plan_a.zones.first()
    zone.provisions = "Ustala się teren zabudowy\nmieszkaniowej jednorodzinnej."
    zone.save(update_fields=["provisions"])
    text = pdf_text(issue_request(req=request_a, clerk=clerk_a).pdf)
    lines = [" ".join(line.split()) for line in text.splitlines()]
    assert "20 m" in lines or any(line.endswith(" 20 m") for line in lines), lines
    assert "skala 1:1000 · PUWG 1992 (EPSG:2180)" in lines
    assert "Ustala się teren zabudowy mieszkaniowej jednorodzinnej." in " ".join(text.split())
    assert any("Ustala się teren zabudowy mieszkaniowej" in line for line in lines), lines
