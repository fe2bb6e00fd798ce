"""The planner's review of the provisions before a plan is published.

The import report carries the resolution's paragraphs and, for each zone, the paragraphs the
splitter gave it. The planner may correct a zone: choose paragraphs by their numbers ("12-15, 20")
or paste the text. The corrections are stored on the import job and applied when the import is
confirmed, so what the extracts quote is what the planner saw.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from plans.ingest.designations import normalise
from plans.ingest.provisions import Provisions

NUMBERS_RE = re.compile(r"^\s*(\d+)\s*(?:[-–]\s*(\d+))?\s*$")


def parse_numbers(text: str, *, count: int) -> list[int] | None:
    """``"3-5, 9"`` -> ``[2, 3, 4, 8]`` (0-based indices); None when something is not a number
    or a paragraph of the text."""
    indices: list[int] = []
    for part in filter(None, (p.strip() for p in re.split(r"[,;\s]+(?![-–])", text or ""))):
        match = NUMBERS_RE.match(part)
        if not match:
            return None
        start = int(match.group(1))
        end = int(match.group(2) or start)
        if not 1 <= start <= end <= count:
            return None
        indices += range(start - 1, end)
    return sorted(set(indices))


def format_numbers(indices: list[int]) -> str:
    """``[2, 3, 4, 8]`` -> ``"3-5, 9"``."""
    runs: list[list[int]] = []
    for index in sorted(indices):
        if runs and index == runs[-1][1] + 1:
            runs[-1][1] = index
        else:
            runs.append([index, index])
    return ", ".join(f"{a + 1}" if a == b else f"{a + 1}-{b + 1}" for a, b in runs)


def apply_fix(provisions: Provisions, fix: dict) -> Provisions:
    """The provisions with the planner's corrections: chosen paragraphs move to the zone (and out
    of the general part), pasted text replaces what the splitter found."""
    if not fix:
        return provisions
    owners = [list(o) for o in provisions.owners]
    count = len(provisions.paragraphs)
    for designation, correction in fix.items():
        key = normalise(designation)
        chosen = [i for i in correction.get("paragraphs", []) if 0 <= i < count]
        if not chosen and not correction.get("text"):
            continue
        for owned_by in owners:
            if key in owned_by:
                owned_by.remove(key)
        for index in chosen:
            owners[index].append(key)
    if provisions.paragraphs:
        result = Provisions.from_owners(provisions.paragraphs, owners)
    else:
        result = Provisions(general=provisions.general, zones=dict(provisions.zones))
    for designation, correction in fix.items():
        if text := (correction.get("text") or "").strip():
            result.zones[normalise(designation)] = text
    return result


def provisions_summary(provisions: Provisions, zones) -> dict:
    """What the import page shows: the text's paragraphs and each zone's share of them."""
    rows = []
    for zone in zones:
        key = normalise(zone.designation)
        indices = [i for i, owned_by in enumerate(provisions.owners) if key in owned_by]
        rows.append(
            {
                "designation": zone.designation,
                "paragraphs": indices,
                "text": provisions.zones.get(key, "") or zone.provisions,
            }
        )
    return {"paragraphs": provisions.paragraphs, "zones": rows}


def review_rows(summary: dict, fix: dict) -> list[dict]:
    """Each zone with the text it will get when the import is confirmed (corrections applied)."""
    paragraphs = summary.get("paragraphs", [])
    rows = []
    for zone in summary.get("zones", []):
        correction = fix.get(zone["designation"], {})
        chosen = correction.get("paragraphs") or zone["paragraphs"]
        found = "\n".join(paragraphs[i] for i in chosen if i < len(paragraphs))
        text = (correction.get("text") or "").strip() or (found if paragraphs else zone["text"])
        rows.append(
            {
                "designation": zone["designation"],
                "text": text,
                "numbers": format_numbers(chosen),
                "pasted": correction.get("text", ""),
                "corrected": bool(correction),
            }
        )
    return rows


def correct_zone(*, job, designation: str, numbers: str, text: str) -> str | None:
    """Store the planner's correction of one zone on the import job; the error, if any."""
    summary = job.report.get("summary", {}).get("provisions") or {}
    zones = {zone["designation"] for zone in summary.get("zones", [])}
    if designation not in zones:
        return _("This zone is not in the plan being imported.")
    indices = parse_numbers(numbers, count=len(summary.get("paragraphs", [])))
    if indices is None:
        return _("Give the numbers of paragraphs of the text, e.g. 12-15, 20.")
    fix = dict(job.options.get("provisions_fix") or {})
    if indices or text.strip():
        fix[designation] = {"paragraphs": indices, "text": text.strip()}
    else:
        fix.pop(designation, None)  # back to what the splitter found
    job.options = {**job.options, "provisions_fix": fix}
    job.save(update_fields=["options", "updated_at"])
    return None
