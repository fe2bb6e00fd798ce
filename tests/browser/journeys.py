"""Checks every page of the role journeys (tests/browser/test_journeys.py) must pass: no error or
debug page, no English text of the UI in Polish mode, no horizontal scroll at 390 px, no JS error."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "locale" / "pl" / "LC_MESSAGES" / "django.po"
DEBUG_MARKS = ("Traceback", "Django tried these URL patterns", "DEBUG = True", 'id="summary"')


def _unquote(chunks: list[str]) -> str:
    return "".join(re.findall(r'^"(.*)"$', c)[0] for c in chunks).replace('\\"', '"')


def english_phrases() -> list[str]:
    """The English msgids of the portal's UI that differ from their Polish text, two words or more,
    with no placeholders: any of them on a Polish page is an untranslated string."""
    phrases = []
    for block in PO.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.splitlines() if not line.startswith("#")]
        i = next((k for k, x in enumerate(lines) if x.startswith("msgid ")), None)
        j = next((k for k, x in enumerate(lines) if x.startswith("msgstr")), None)
        if i is None or j is None or any(x.startswith("msgid_plural") for x in lines):
            continue
        msgid = _unquote([lines[i][6:], *lines[i + 1 : j]])
        msgstr = _unquote([lines[j][7:], *lines[j + 1 :]])
        if msgstr and msgstr != msgid and " " in msgid.strip() and not re.search(r"[%{<]", msgid):
            phrases.append(msgid)
    return phrases


class PageChecks:
    """Attached to a page: collects JS errors, console errors and failed documents as they come."""

    def __init__(self, page) -> None:
        self.problems: list[str] = []
        self.english = english_phrases()
        page.on("pageerror", lambda e: self.problems.append(f"JS error: {e}"))
        # failed loads are reported below with their URL (the admin's missing favicon is none)
        page.on(
            "console",
            lambda m: (
                m.type == "error"
                and not m.text.startswith("Failed to load resource")
                and self.problems.append(f"console: {m.text}")
            ),
        )
        page.on(
            "response",
            lambda r: (
                r.status >= 400
                and r.request.resource_type != "other"
                and self.problems.append(f"{r.status} for {r.url}")
            ),
        )

    def check(self, page, where: str) -> None:
        page.wait_for_load_state("load")
        html = page.content()
        self.problems += [f"{where}: debug page ({m})" for m in DEBUG_MARKS if m in html]
        if page.locator("html").get_attribute("lang") == "pl":
            text = page.locator("body").inner_text()
            self.problems += [f"{where}: English {p!r}" for p in self.english if p in text]
        wide = page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        if wide[0] > wide[1]:
            self.problems.append(f"{where}: {wide[0]} px wide at {wide[1]} px")
