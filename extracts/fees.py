"""Opłata skarbowa for extracts (DESIGN.md §5, EXTRACTS.md §2), counted from the real PDF.

Ustawa z 16.11.2006 o opłacie skarbowej, załącznik cz. I pkt 51: od wypisu do 5 stron 30 zł,
powyżej 5 stron 50 zł; od wyrysu 20 zł za każdą pełną lub rozpoczętą część odpowiadającą stronie
formatu A4, nie więcej niż 200 zł. Zaświadczenie (art. 217 KPA): 17 zł (cz. II pkt 21).
"""

from __future__ import annotations

import io
import math
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from pypdf import PdfReader

A4_MM2 = 210 * 297
PT_TO_MM = 25.4 / 72
ISO_ROUNDING = 0.01
WYPIS_SHORT = Decimal(30)
WYPIS_LONG = Decimal(50)
WYPIS_SHORT_PAGES = 5
WYRYS_PER_A4 = Decimal(20)
WYRYS_MAX = Decimal(200)
ZASWIADCZENIE = Decimal(17)
LEGAL_BASIS = "ustawa z dnia 16 listopada 2006 r. o opłacie skarbowej, załącznik, część I pkt 51"
LEGAL_BASIS_ZASWIADCZENIE = (
    "ustawa z dnia 16 listopada 2006 r. o opłacie skarbowej, załącznik, część II pkt 21"
)


@dataclass(frozen=True)
class FeeLine:
    label: str
    amount: Decimal
    basis: str


@dataclass
class Fee:
    lines: list[FeeLine] = field(default_factory=list)
    exemption: str = ""  # the clerk's ground for an exemption (EXTRACTS.md §2), if any

    @property
    def due(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal(0))

    @property
    def total(self) -> Decimal:
        return Decimal(0) if self.exemption else self.due

    def as_json(self) -> dict:
        return {
            "total": str(self.total),
            "due_without_exemption": str(self.due),
            "exemption": self.exemption,
            "lines": [{**asdict(line), "amount": str(line.amount)} for line in self.lines],
        }


def page_sizes_mm(pdf: bytes) -> list[tuple[float, float]]:
    """(width, height) in millimetres of every page of a PDF."""
    reader = PdfReader(io.BytesIO(pdf))
    return [
        (float(page.mediabox.width) * PT_TO_MM, float(page.mediabox.height) * PT_TO_MM)
        for page in reader.pages
    ]


def a4_parts(width_mm: float, height_mm: float) -> int:
    """Started A4-equivalent parts of a sheet, by area (A4 → 1, A3 → 2, A1 → 8).

    ISO 216 sizes are rounded to whole millimetres (A1 is 8.01 × A4 by area), so 1 % is tolerated.
    """
    return max(1, math.ceil(width_mm * height_mm / A4_MM2 - ISO_ROUNDING))


def wypis_fee(pages: int) -> FeeLine:
    if pages <= WYPIS_SHORT_PAGES:
        return FeeLine("wypis do 5 stron", WYPIS_SHORT, f"{LEGAL_BASIS} ppkt 1 lit. a")
    return FeeLine("wypis powyżej 5 stron", WYPIS_LONG, f"{LEGAL_BASIS} ppkt 1 lit. b")


def wyrys_fee(sheets_mm: list[tuple[float, float]]) -> FeeLine:
    parts = sum(a4_parts(w, h) for w, h in sheets_mm)
    amount = min(WYRYS_MAX, WYRYS_PER_A4 * parts)
    capped = " (nie więcej niż 200 zł)" if amount < WYRYS_PER_A4 * parts else ""
    return FeeLine(f"wyrys: {parts} × część formatu A4{capped}", amount, f"{LEGAL_BASIS} ppkt 2")


WYRYS_BOOKMARK = "WYRYS"  # the outline entry the document gives every wyrys sheet


def split_pages(pdf: bytes) -> tuple[int, list[tuple[float, float]]]:
    """(pages of the wypis, sizes of the wyrys sheets) of an extract PDF.

    The wyrys starts at the first page with a ``WYRYS`` outline entry (bookmark); everything
    before it is the wypis (or, for a wyrys alone, its cover page).
    """
    reader = PdfReader(io.BytesIO(pdf))
    sizes = [
        (float(page.mediabox.width) * PT_TO_MM, float(page.mediabox.height) * PT_TO_MM)
        for page in reader.pages
    ]
    starts = [
        reader.get_destination_page_number(item)
        for item in reader.outline
        if not isinstance(item, list) and item.title == WYRYS_BOOKMARK
    ]
    first = min(starts) if starts else len(sizes)
    return first, sizes[first:]


def fee_for(*, kind: str, pdf: bytes) -> Fee:
    """The fee of an extract of ``kind`` counted from its rendered PDF."""
    fee = Fee()
    if kind == "zaswiadczenie":
        fee.lines.append(FeeLine("zaświadczenie", ZASWIADCZENIE, LEGAL_BASIS_ZASWIADCZENIE))
        return fee
    wypis_pages, sheets = split_pages(pdf)
    if kind in ("wypis", "wypis_wyrys"):
        fee.lines.append(wypis_fee(wypis_pages))
    if kind in ("wyrys", "wypis_wyrys") and sheets:
        fee.lines.append(wyrys_fee(sheets))
    return fee
