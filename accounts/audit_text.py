"""The audit log for people: actions by their titles, details as text (not codes and Python values).

Actions stay stable dotted codes in the database and the CSV export (``auth.login``); the log page
shows their titles in the reader's language and its filter offers them by title.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# grouped as the filter shows them; a new action without a title shows its code
ACTION_GROUPS = [
    (
        gettext_lazy("Sign-in"),
        {
            "auth.login": gettext_lazy("signed in"),
            "auth.login_failed": gettext_lazy("failed sign-in"),
            "auth.otp_failed": gettext_lazy("wrong two-step sign-in code"),
            "auth.otp_enabled": gettext_lazy("two-step sign-in switched on"),
            "auth.otp_disabled": gettext_lazy("two-step sign-in switched off"),
            "auth.password_changed": gettext_lazy("password changed"),
            "auth.password_set": gettext_lazy("password set"),
        },
    ),
    (
        gettext_lazy("Plans and parcels"),
        {
            "plan.import": gettext_lazy("plan imported"),
            "plan.import_rejected": gettext_lazy("plan import rejected"),
            "plan.publish": gettext_lazy("plan published"),
            "plan.status_change": gettext_lazy("plan status changed"),
            "parcel.import": gettext_lazy("parcels imported"),
            "parcel.import_rejected": gettext_lazy("parcel import rejected"),
        },
    ),
    (
        gettext_lazy("Consultations"),
        {
            "consultation.open": gettext_lazy("consultation opened"),
            "consultation.position": gettext_lazy("position on a comment written"),
            "consultation.publish_report": gettext_lazy("consultation report published"),
            "consultation.view_personal": gettext_lazy("personal data of a comment viewed"),
            "consultation.export_personal": gettext_lazy(
                "register of comments with personal data exported"
            ),
        },
    ),
    (
        gettext_lazy("Extracts"),
        {
            "extract.request": gettext_lazy("extract requested"),
            "extract.issue": gettext_lazy("extract issued"),
            "extract.reject": gettext_lazy("extract request rejected"),
            "extract.download": gettext_lazy("extract downloaded"),
        },
    ),
    (
        gettext_lazy("Staff and surveyors"),
        {
            "staff.invite": gettext_lazy("staff member invited"),
            "staff.role_change": gettext_lazy("staff role changed"),
            "staff.remove": gettext_lazy("staff member removed"),
            "surveyor.apply": gettext_lazy("surveyor applied"),
            "surveyor.approve": gettext_lazy("surveyor approved"),
            "surveyor.reject": gettext_lazy("surveyor rejected"),
        },
    ),
]
ACTION_TITLES = {
    code: title for _group, actions in ACTION_GROUPS for code, title in actions.items()
}

DETAIL_LABELS = {
    "by": gettext_lazy("by"),
    "created": gettext_lazy("created"),
    "errors": gettext_lazy("errors"),
    "exemption": gettext_lazy("fee exemption"),
    "fee": gettext_lazy("fee"),
    "files": gettext_lazy("files"),
    "from": gettext_lazy("from"),
    "kind": gettext_lazy("kind"),
    "licence_number": gettext_lazy("licence number"),
    "locked_out": gettext_lazy("account locked"),
    "new_account": gettext_lazy("new account"),
    "number": gettext_lazy("number"),
    "parcels": gettext_lazy("parcels"),
    "precincts": gettext_lazy("precincts"),
    "previous": gettext_lazy("previously"),
    "previous_version": gettext_lazy("previous version"),
    "reason": gettext_lazy("reason"),
    "regulations": gettext_lazy("regulations"),
    "request": gettext_lazy("request"),
    "role": gettext_lazy("role"),
    "rules": gettext_lazy("problems"),
    "sha256": "SHA-256",
    "source": gettext_lazy("source"),
    "superseded": gettext_lazy("superseded"),
    "superseded_by": gettext_lazy("superseded by"),
    "to": gettext_lazy("to"),
    "username": gettext_lazy("user name"),
    "zones": gettext_lazy("zones"),
}
# the words some details hold as values (roles, statuses, who downloaded)
VALUE_LABELS = {
    "planner": gettext_lazy("planner"),
    "clerk": gettext_lazy("clerk"),
    "admin": gettext_lazy("gmina administrator"),
    "requester": gettext_lazy("requester"),
    "pending": gettext_lazy("pending"),
    "approved": gettext_lazy("approved"),
    "rejected": gettext_lazy("rejected"),
    "legalForce": gettext_lazy("in force"),
    "obsolete": gettext_lazy("repealed / expired"),
    "adoption": gettext_lazy("adopted"),
    "elaboration": gettext_lazy("in preparation"),
}
PARCEL_ID = re.compile(r"^\d{6}_\d\.(\d{4})\.(?:AR_\d+\.)?(\S+)$")


def action_title(code: str) -> str:
    return str(ACTION_TITLES.get(code, code))


def action_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """(group, [(code, title), …]) for the filter's <select>, in the reader's language."""
    return [
        (str(group), sorted(((code, str(title)) for code, title in actions.items()), key=_second))
        for group, actions in ACTION_GROUPS
    ]


def _second(pair: tuple[str, str]) -> str:
    return pair[1]


def _value(value: object) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dict):
        return ", ".join(f"{_value(k)} × {_value(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(_value(v) for v in value) or "–"
    text = str(value)
    if match := PARCEL_ID.match(text):
        return f"{match.group(1)} {match.group(2)}"
    return str(VALUE_LABELS.get(text, text))


def describe_details(details: dict) -> str:
    """``{"parcels": ["209901_2.0001.12/3"], "kind": "wypis"}`` -> "działki: 0001 12/3; rodzaj: wypis"."""
    return "; ".join(
        f"{DETAIL_LABELS.get(key, key)}: {_value(value)}" for key, value in (details or {}).items()
    )
