"""Resolution texts as gminy really have them (issue 21): one test per style, on real texts of
fixtures/mpzp-texts/ (Knurów, 2000–2012), and a text never rejects an import."""

from __future__ import annotations

import pytest

from plans.ingest.designations import Matcher, tokens
from plans.ingest.pipeline import PlanOptions, import_plan
from plans.ingest.provisions import read_provisions
from plans.models import PlanDocument
from tests.conftest import fixture_path
from tests.ingest.conftest import fixture


def split(name: str, designations: list[str] | None = None):
    return read_provisions(fixture_path("mpzp-texts", f"{name}.htm"), designations=designations)


def listed(name: str) -> list[str]:
    return fixture_path("mpzp-texts", f"{name}.zones.txt").read_text().split()


def test_symbols_as_headings_under_a_group_heading_with_letter_suffixes():
    """XXI/189/2000: § 9 "Ustalenia dla terenów objętych Zmianą planu:", then "UP", "KD", "U",
    "MNjs", "MNUw", "ZU" each on its own line, each followed by its provisions."""
    provisions = split("XXI1892000", listed("XXI1892000"))
    assert set(provisions.zones) == {"UP", "KD", "U", "MNJS", "MNUW", "ZU"}
    assert provisions.zones["MNJS"].startswith("MNjs")
    assert "11,0m" in provisions.zones["MNJS"] and "11,0m" not in provisions.zones["MNUW"]
    assert "20,0m" in provisions.zones["MNUW"]
    assert "Ustalenia dla terenów objętych Zmianą planu" in provisions.general


def test_a_group_heading_inside_a_paragraph_opens_the_zones():
    """XXXVIII/375/2001: "Ustalenia dla terenów objętych zmianą planu za wyjątkiem …:" then NU."""
    provisions = split("XXXVIII3752001", ["NU"])
    assert provisions.zones["NU"].startswith("NU")
    assert "Przepisy końcowe" in provisions.general


def test_numbered_points_name_their_zones_and_a_range_od_do_covers_every_zone():
    """VIII/131/11: "3. Tereny … oznaczone symbolami od 1 UP do 10 UP" inside one §."""
    provisions = split("VIII13111", listed("VIII13111"))
    for n in range(1, 11):
        assert "usługowej i obiektów produkcyjnych" in provisions.zones[f"{n}UP"]
    assert "sportu i rekreacji" in provisions.zones["1US"]
    assert "sportu i rekreacji" not in provisions.zones["1UP"]


def test_a_list_of_symbols_gives_each_zone_the_text():
    """XXI/190/2000: "symbolami: UP1, UP2, UP3 i UP4" (no chapters at all in this text)."""
    provisions = split("XXI1902000", listed("XXI1902000"))
    assert all("wielopro" in provisions.zones[f"UP{n}"] for n in range(1, 5))
    assert "pas drogowy" in provisions.zones["KD"] and "pas drogowy" not in provisions.zones["UP1"]


def test_a_main_symbol_names_every_zone_of_that_symbol_with_the_plan_area_prefix():
    """XX/289/2004: "Dla terenów … oznaczonych … głównym symbolem MN-U ustala się:" and zones
    F.1MN-U … F.19MN-U (prefix "F." of the plan's area)."""
    provisions = split("XX2892004", listed("XX2892004"))
    mn_u = provisions.zones["F.7MN-U"]
    tail = provisions.zones["F.19MN-U"].split("F. 19MN-U", 1)[1]
    assert "głównym symbolem MN-U" in mn_u and "Przeznaczenie podstawowe" in tail
    assert mn_u.endswith(tail)
    assert "głównym symbolem UP" not in mn_u
    assert "głównym symbolem UP" in provisions.zones["F.2UP"]


def test_a_zone_layer_without_the_area_prefix_still_matches():
    """XXIII/348/12 writes "Z3.MNU"; a zone layer saying just "MNU" gets the same §."""
    assert split("XXIII34812", ["MNU"]).zones["MNU"].startswith("§ 10.")


def test_mn_never_gets_the_text_of_mnu_nor_1mn_that_of_11mn():
    provisions = split("XLIV66110", ["MN", "MNU"])
    assert provisions.zones["MN"].startswith("§ 12.") and provisions.zones["MNU"].startswith(
        "§ 13."
    )
    matcher = Matcher(["1MN", "11MN", "MN", "MNU", "1KD", "2KD"])
    assert matcher.named("teren 11MN") == ["11MN"] and matcher.named("teren 1MN") == ["1MN"]
    assert matcher.named("terenów KD") == ["1KD", "2KD"]
    assert matcher.named("symbolem MNUw") == []  # no such zone: none rather than MNU or MN


def test_ranges_and_lists_are_written_out():
    assert tokens("1MN–3MN, 1MN-2MN oraz MN1, MN2 i MN3") == [
        "1MN", "2MN", "3MN", "MN1", "MN2", "MN3",
    ]  # fmt: skip
    assert tokens("od 1 U do 3 U") == ["1U", "2U", "3U"]
    assert tokens("F. 1MN-U, Z2.MNU, 12MN/U") == ["F.1MN-U", "Z2.MNU", "12MN/U"]


def test_the_general_part_keeps_what_is_not_a_zones_text():
    """X/131/2007: § 11 speaks of "terenów oznaczonych symbolem MN-U" in a general chapter."""
    provisions = split("X1312007", listed("X1312007"))
    assert "§ 11." in provisions.general and "§ 11." not in provisions.zones["1MN-U"]


def test_the_corpus_gives_most_zones_their_own_provisions():
    from plans.ingest import provisions
    from scripts.provisions_corpus import measure

    rows = measure(splitter=provisions)
    total, found = sum(r[1] for r in rows), sum(r[2] for r in rows)
    assert len(rows) == 24 and found / total > 0.9, rows


def test_a_text_that_names_no_zone_never_rejects_the_import(world, tmp_path):
    text = tmp_path / "uchwala.htm"
    text.write_text(
        "<html><body><p>Uchwała Nr I/1/2001</p><p>§ 1. Przepisy ogólne.</p></body></html>",
        encoding="utf-8",
    )
    report, plan = import_plan(
        municipality=world.gmina_a,
        paths=[fixture("mpzp_zones.gpkg")],
        options=PlanOptions(title="Bez ustaleń", provisions=text),
    )
    assert report.ok and plan is not None, report.as_text()
    warned = sorted(f.feature for f in report.findings if f.rule == "provisions.zone_without_text")
    assert warned == ["1KDD", "1MN", "2U"]
    assert all(f.severity == "warning" for f in report.findings)
    assert "§ 1. Przepisy ogólne." in plan.general_provisions
    document = PlanDocument.objects.get(plan=plan)
    assert document.kind == "resolution" and document.file.read().startswith(b"<html>")


@pytest.mark.parametrize("name", ["XXI1892000", "LXVII44198"])
def test_a_text_the_old_splitter_rejected_now_imports(world, name):
    report, _plan = import_plan(
        municipality=world.gmina_a,
        paths=[fixture("mpzp_zones.gpkg")],
        options=PlanOptions(provisions=fixture_path("mpzp-texts", f"{name}.htm")),
        dry_run=True,
    )
    assert report.ok and "provisions.no_zones" not in report.rules()
    assert report.summary["provisions"]["paragraphs"]
