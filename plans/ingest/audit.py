"""Rejected imports in the audit log: who tried to import what, and which rules refused it.

Successful imports are recorded by the writer, in the import's own transaction; a rejected import
writes nothing else, so it is recorded here, with the count of each rule's errors (not the report).
"""

from __future__ import annotations

from collections import Counter

from accounts.audit import record
from layers.models import Municipality
from plans.ingest.report import Report

REJECTED_ACTIONS = {"plan": "plan.import_rejected", "parcels": "parcel.import_rejected"}


def record_rejected_import(*, report: Report, municipality: Municipality, actor) -> None:
    if report.ok:
        return
    rules = Counter(finding.rule for finding in report.errors)
    record(
        action=REJECTED_ACTIONS[report.kind],
        actor=actor,
        municipality=municipality,
        target=", ".join(report.files),
        details={
            "files": report.files,
            "errors": len(report.errors),
            "rules": dict(rules.most_common()),
        },
    )
