"""The validation report of an import: findings (file, feature, rule, where) and features read.

Every reader and check adds to one :class:`Report`; the CLI prints it, ``--json`` dumps
:meth:`Report.as_dict`, the web upload stores it on the ImportJob. Rules are stable dotted codes
(``geometry.invalid``, ``pog.parameter_precision``, …) so that tests and people can rely on them.

A finding's ``message`` is English (the command line, ``--json`` and the JSON of a stored job keep it
for compatibility); ``msgid`` and ``params`` are the same message as a template and its values
(layers/messages.py), translated on display: the import page shows it in the reader's language.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from layers.messages import Message, as_message

ERROR = "error"
WARNING = "warning"
INFO = "info"


REASON_POINT = re.compile(r"\[(-?[\d.]+(?:e[-+]?\d+)?) (-?[\d.]+(?:e[-+]?\d+)?)")


def point_in_reason(reason: str) -> tuple[float, float] | None:
    """GEOS names where a geometry is invalid: ``Self-intersection[601234.5 512345.6]``."""
    match = REASON_POINT.search(reason)
    return (float(match.group(1)), float(match.group(2))) if match else None


class IngestError(Exception):
    """Input that cannot be read at all (hostile, empty, not the expected format).

    Carries the file and rule so that the report can name them; the import stops, nothing is written.
    """

    def __init__(
        self,
        message: str | Message,
        *,
        file: str = "",
        rule: str = "file.unreadable",
        where: str = "",
    ):
        self.text = as_message(message)  # translated when shown
        super().__init__(str(self.text))
        self.message = str(self.text)
        self.file = file
        self.rule = rule
        self.where = where


@dataclass(slots=True)
class Finding:
    rule: str
    message: str
    file: str = ""
    feature: str = ""
    where: str = ""
    severity: str = ERROR
    point: tuple[float, float] | None = None  # EPSG:2180, x = easting: where to look on a map
    msgid: str = ""  # the message's template, translated when shown (layers/messages.py)
    params: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        parts = [self.severity.upper(), self.rule]
        location = " ".join(
            p for p in (self.file, self.feature and f"[{self.feature}]", self.where) if p
        )
        return (
            f"{' '.join(parts)}: {location}: {self.message}"
            if location
            else f"{' '.join(parts)}: {self.message}"
        )


@dataclass(slots=True)
class FeatureSummary:
    """One feature read from the input, whether or not it would be imported."""

    identifier: str
    kind: str
    file: str
    area_m2: float | None
    bbox: tuple[float, float, float, float] | None  # EPSG:2180, x = easting
    imported: bool = True


@dataclass
class Report:
    kind: str  # "plan" or "parcels"
    files: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    features: list[FeatureSummary] = field(default_factory=list)
    written: bool = False
    dry_run: bool = False
    summary: dict[str, Any] = field(default_factory=dict)

    def add(
        self,
        rule: str,
        message: str | Message,
        *,
        file: str = "",
        feature: str = "",
        where: str = "",
        severity: str = ERROR,
        point: tuple[float, float] | None = None,
    ) -> Finding:
        text = as_message(message)
        finding = Finding(
            rule=rule,
            message=str(text),
            msgid=text.msgid,
            params=text.params,
            file=file,
            feature=feature,
            where=where,
            severity=severity,
            point=(round(point[0], 2), round(point[1], 2)) if point else None,
        )
        self.findings.append(finding)
        return finding

    def add_error(self, exc: IngestError) -> None:
        self.add(exc.rule, exc.text, file=exc.file, where=exc.where)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def status(self) -> str:
        if not self.ok:
            return "rejected"
        return "imported" if self.written else "valid"

    def rules(self) -> set[str]:
        return {f.rule for f in self.findings}

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "kind": self.kind,
            "dry_run": self.dry_run,
            "files": self.files,
            "summary": self.summary,
            "findings": [asdict(f) for f in self.findings],
            "features": [
                {**asdict(f), "bbox": list(f.bbox) if f.bbox else None} for f in self.features
            ],
        }

    def as_text(self) -> str:
        lines = [
            f"{self.kind}: {self.status} ({len(self.features)} features, "
            f"{len(self.errors)} errors, {len(self.findings) - len(self.errors)} warnings)"
        ]
        lines += [f"  {finding}" for finding in self.findings]
        return "\n".join(lines)
