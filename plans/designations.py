"""Zone designations as planners write them: ``1MN``, ``12MN/U``, ``DJ.KDD``, ``3.KDL``, ``SW2``.

Designations are not standardised, so they are stored raw; this module finds a best-effort symbol
(the letters) and sequence number, and checks that a designation contains its declared symbol.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Symbols are upper-case letters, possibly joined by / , or - (MN/U, MW,U, KD-D), with an optional
# trailing digit for numbered variants in some legends (U1); the first run of such letters wins.
SYMBOL_RE = re.compile(r"[A-ZŁŚŻŹĆŃÓĘĄ]{1,6}(?:\s*[/,-]\s*[A-ZŁŚŻŹĆŃÓĘĄ]{1,6})*")
NUMBER_RE = re.compile(r"\d+")


@dataclass(frozen=True)
class Designation:
    raw: str
    symbol: str
    number: int | None
    prefix: str  # a unit prefix such as DJ. in DJ.KDD, if any


def parse_designation(raw: str) -> Designation:
    text = (raw or "").strip()
    prefix = ""
    # A prefix of letters followed by a dot (DJ.KDD, A.1MN) names the plan unit, not the symbol.
    if match := re.match(r"^([A-ZŁŚŻŹĆŃÓĘĄ]{1,4}\d*)\.(?=.*[A-ZŁŚŻŹĆŃÓĘĄ])", text):
        prefix, text = match.group(1), text[match.end() :]
    symbols = SYMBOL_RE.findall(text)
    symbol = re.sub(r"\s+", "", symbols[0]) if symbols else ""
    numbers = NUMBER_RE.findall(text)
    number = int(numbers[0]) if numbers else None
    return Designation(raw=raw, symbol=symbol, number=number, prefix=prefix)


def designation_contains_symbol(designation: str, symbol: str) -> bool:
    """APP rule: ``oznaczenie`` contains ``symbol`` (e.g. SW1 contains SW)."""
    return bool(symbol) and symbol.replace(" ", "") in designation.replace(" ", "")
