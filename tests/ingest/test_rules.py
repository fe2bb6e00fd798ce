"""Every validation rule has a title for people, in Polish and English (plans/ingest/rules.py)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from django.utils import translation

from plans.ingest.report import ERROR, INFO, WARNING
from plans.ingest.rules import RULE_TITLES, SEVERITY_LABELS, rule_title, severity_label

ROOT = Path(__file__).resolve().parents[2]
INGEST = ROOT / "plans" / "ingest"
GML_READER = ROOT / "layers" / "gml.py"  # the GML geometry reader raises rule codes of ingest
# dotted strings in plans/ingest that are not rule codes: audit actions, a file name
NOT_RULES = {
    "plan.import",
    "parcel.import",
    "plan.import_rejected",
    "parcel.import_rejected",
    "plan.publish",
    "plan.status_change",
    "wrapper.xsd",
}


def rule_codes_in_the_source() -> set[str]:
    codes = set()
    for path in [*INGEST.glob("*.py"), GML_READER]:
        if path.name == "rules.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            is_text = isinstance(node, ast.Constant) and isinstance(node.value, str)
            if is_text and re.fullmatch(r"[a-z]+\.[a-z_]+", node.value):
                codes.add(node.value)
    return codes - NOT_RULES


def test_every_rule_in_the_ingest_code_has_a_title_and_no_title_is_stale():
    used = rule_codes_in_the_source()
    assert len(used) > 60
    assert sorted(used - RULE_TITLES.keys()) == []  # add a title to plans/ingest/rules.py
    assert sorted(RULE_TITLES.keys() - used) == []


def test_titles_and_severities_are_translated_to_polish():
    with translation.override("en"):
        english = {code: str(title) for code, title in RULE_TITLES.items()}
    with translation.override("pl"):
        assert [code for code, title in RULE_TITLES.items() if str(title) == english[code]] == []
        assert rule_title("geometry.invalid") == "Nieprawidłowa geometria"
        assert [severity_label(s) for s in (ERROR, WARNING, INFO)] == [
            "błąd",
            "ostrzeżenie",
            "uwaga",
        ]
    with translation.override("en"):
        assert rule_title("geometry.invalid") == "Invalid geometry"
        assert severity_label(WARNING) == "warning"
    assert set(SEVERITY_LABELS) == {ERROR, WARNING, INFO}


def test_an_unknown_rule_shows_its_code():
    assert rule_title("vendor.something") == "vendor.something"
