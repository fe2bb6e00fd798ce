"""Every validation rule has a title for people, in Polish and English (plans/ingest/rules.py)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from django.utils import translation
from django.utils.translation import gettext_noop as _noop

from layers.messages import problem
from plans.import_findings import finding_message
from plans.ingest.report import ERROR, INFO, WARNING, Report
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


MESSAGE_SOURCES = [*INGEST.glob("*.py"), GML_READER]
RAISERS = {"IngestError", "GmlGeometryError", "PositionError"}


def _calls(path: Path) -> list[ast.Call]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [node for node in ast.walk(tree) if isinstance(node, ast.Call)]


def _name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def messages_in_the_source() -> set[str]:
    """The message templates marked ``gettext_noop as _`` in plans/ingest and the GML reader."""
    found = set()
    for path in MESSAGE_SOURCES:
        if path.name in ("rules.py", "provisions_review.py"):
            continue  # titles (tested above) and the review page's own texts (gettext_lazy)
        for call in _calls(path):
            if _name(call) == "_" and call.args and isinstance(call.args[0], ast.Constant):
                found.add(call.args[0].value)
    return found


def untranslatable_messages_in_the_source() -> list[str]:
    """report.add(rule, "text") or IngestError(f"…"): a message that cannot be translated."""
    found = []
    for path in MESSAGE_SOURCES:
        for call in _calls(path):
            name = _name(call)
            position = 1 if name == "add" and isinstance(call.func, ast.Attribute) else 0
            if name not in RAISERS | {"add"} or len(call.args) <= position:
                continue
            if name == "add" and not ast.unparse(call.func).endswith("report.add"):
                continue
            argument = call.args[position]
            if isinstance(argument, ast.JoinedStr | ast.Constant):
                found.append(f"{path.name}:{call.lineno}")
    return found


def test_every_problem_message_is_translatable():
    assert untranslatable_messages_in_the_source() == []  # use problem(_("…%(name)s"), name=…)


def test_every_problem_message_has_a_polish_translation():
    messages = messages_in_the_source()
    assert len(messages) > 80
    with translation.override("pl"):
        assert sorted(m for m in messages if translation.gettext(m) == m) == []


def test_a_finding_is_stored_in_english_and_shown_in_the_readers_language():
    report = Report(kind="plan")
    report.add("geometry.invalid", problem(_noop("invalid geometry: %(reason)s"), reason="Ring"))
    stored = report.as_dict()["findings"][0]
    assert stored["message"] == "invalid geometry: Ring"
    assert (stored["msgid"], stored["params"]) == (
        "invalid geometry: %(reason)s",
        {"reason": "Ring"},
    )
    with translation.override("pl"):
        assert finding_message(stored) == "nieprawidłowa geometria: Ring"
    with translation.override("en"):
        assert finding_message(stored) == "invalid geometry: Ring"
    assert finding_message({"message": "a report stored before msgid"}) == (
        "a report stored before msgid"
    )
