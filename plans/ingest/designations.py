"""Zone designations as resolutions write them, and which zones of the plan they name.

Resolutions name zones in many ways: ``1MN``, ``12MN/U``, ``MN-U``, ``DJ. MN`` (with the plan
area's prefix), ``MNjs`` / ``MNUw`` (letter suffixes), ranges (``1MN–5MN``, ``MN1-MN3``), lists
(``MN1, MN2 i MN3``) and bare symbols meaning every zone of that symbol (``terenów KD``). The
matcher prefers no zone to a wrong one: ``MN`` never names ``MNU``, ``1MN`` never ``11MN``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

LETTER = "A-ZŁŚŻĆŃÓ"
SYMBOL = rf"[{LETTER}]{{1,5}}[a-z]{{0,2}}"
PREFIX = rf"[{LETTER}]{{1,3}}\d{{0,2}}\.\s?"
# one designation: optional area prefix, number, symbol (joined by - / , for mixed symbols), number
TOKEN = rf"(?:{PREFIX})?(?:\d{{1,3}}[ -]?)?{SYMBOL}(?:\s?[-–/]\s?{SYMBOL}|,{SYMBOL})*\d{{0,2}}"
TOKEN_RE = re.compile(rf"(?<![\w.\-–/])({TOKEN})(?![\w])")
RANGE_RE = re.compile(
    rf"(?<![\w.])(?P<prefix>{PREFIX})?(?P<start>\d{{1,3}})(?P<symbol>{SYMBOL}(?:-{SYMBOL})*)"
    rf"\s*[-–÷]\s*(?:(?P=prefix))?(?P<end>\d{{1,3}})(?P=symbol)(?![\w])"
    rf"|(?<![\w.])(?P<symbol2>{SYMBOL})(?P<start2>\d{{1,2}})\s*[-–÷]\s*(?P=symbol2)(?P<end2>\d{{1,2}})"
    rf"(?![\w])"
    rf"|\bod\s+(?P<start3>\d{{1,3}})\s?(?P<symbol3>{SYMBOL})\s+do\s+(?P<end3>\d{{1,3}})\s?(?P=symbol3)\b"
)
AREA_PREFIX_RE = re.compile(rf"^[{LETTER}]{{1,3}}\d{{0,2}}\.")
# uppercase words that are not designations (roman numerals, abbreviations of the acts)
NOT_DESIGNATIONS = {
    "DZ", "NR", "POZ", "UST", "PKT", "ART", "RADA", "RADY", "PLAN", "PLANU", "JEST", "DLA",
    "UL", "SA", "S.A", "KWK", "GEN", "ORAZ", "DO", "NA", "ZE", "PO", "UWAG", "OR", "WOJ", "KAT",
    "URZ", "LP", "NIE", "PRZY", "WRAZ", "ULIC", "POLA", "OZE", "SN", "NN", "WN", "GOP", "PZ",
}  # fmt: skip
ROMAN_RE = re.compile(r"^[IVXLCDM]+$")


def normalise(designation: str) -> str:
    """``DJ. MN`` -> ``DJ.MN``; ``U – MNs`` -> ``U-MNS``: no spaces, one kind of dash, upper case."""
    text = re.sub(r"\s+", "", designation or "").replace("–", "-").replace("—", "-")
    return text.upper()


def core(designation: str) -> str:
    """The designation without the plan area's prefix: ``F.1MN-U`` -> ``1MN-U``."""
    return re.sub(r"^(\d+)-", r"\1", AREA_PREFIX_RE.sub("", normalise(designation)))


def symbol(designation: str) -> str:
    """The zone's symbol without prefix and numbers: ``F.12MN-U`` -> ``MN-U``, ``UP3`` -> ``UP``."""
    return re.sub(r"^\d+|\d+$", "", core(designation))


def expanded(text: str) -> str:
    """Ranges written out: ``1MN–3MN`` -> ``1MN 2MN 3MN``; ``MN1-MN3`` -> ``MN1 MN2 MN3``."""

    def write_out(match: re.Match) -> str:
        if match.group("symbol3"):
            sym, start, end = match.group("symbol3", "start3", "end3")
            return " ".join(f"{n}{sym}" for n in range(int(start), int(end) + 1)[:200])
        if match.group("symbol2"):
            sym, start, end = match.group("symbol2", "start2", "end2")
            numbers = range(int(start), int(end) + 1)
            return " ".join(f"{sym}{n}" for n in numbers) if len(numbers) <= 200 else match[0]
        prefix = (match.group("prefix") or "").replace(" ", "")
        start, end, sym = int(match.group("start")), int(match.group("end")), match.group("symbol")
        if not 0 < end - start <= 200:
            return match[0]
        return " ".join(f"{prefix}{n}{sym}" for n in range(start, end + 1))

    return RANGE_RE.sub(write_out, text)


def tokens(text: str, *, short: set[str] = frozenset()) -> list[str]:
    """Everything in ``text`` that may be a designation, normalised, ranges written out.

    One-letter symbols (``W``, ``U``) only when they are in ``short`` (the plan's zones)."""
    found = []
    for match in TOKEN_RE.finditer(expanded(text)):
        token = normalise(match.group(1))
        plausible = len(re.findall(r"[A-Z]", token)) >= 2 or re.search(r"\d", token)
        if token in NOT_DESIGNATIONS or ROMAN_RE.match(token):
            continue
        if not plausible and token not in short:
            continue
        found.append(token)
    return list(dict.fromkeys(found))


class Matcher:
    """Which of the plan's zones a designation written in the text names (none when unsure)."""

    def __init__(self, designations: Iterable[str] | None):
        self.known = {normalise(d) for d in designations or [] if d}
        self.by_core: dict[str, set[str]] = {}
        self.by_symbol: dict[str, set[str]] = {}
        for known in self.known:
            self.by_core.setdefault(core(known), set()).add(known)
            self.by_symbol.setdefault(symbol(known), set()).add(known)

    def zones(self, token: str) -> list[str]:
        token = normalise(token)
        if not self.known:
            return [token]
        if token in self.known:
            return [token]
        if len(matches := self.by_core.get(core(token), set())) == 1:
            return list(matches)
        bare = core(token)
        if re.fullmatch(rf"[{LETTER}A-Z/,\-]+", bare) and bare in self.by_symbol:
            return sorted(self.by_symbol[bare])  # a bare symbol: every zone of that symbol
        if "," in token:  # "UP,KS" that is no zone's designation: its parts
            return [zone for part in token.split(",") for zone in self.zones(part)]
        return []

    def named(self, text: str) -> list[str]:
        """The plan's zones that ``text`` names, in the order they appear."""
        found = []
        for token in tokens(text, short=self.known | set(self.by_symbol)):
            found += self.zones(token)
        return list(dict.fromkeys(found))
