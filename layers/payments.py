"""A gmina's payment details: the Polish bank account number (NRB) and the title of a payment.

NRB: 26 digits, the first two are the IBAN check digits of ``PL`` + the 24 others (ISO 13616,
mod 97 = 1). People type it with spaces, and often with the ``PL`` prefix; both are accepted and
the number is stored as its 26 digits.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

PL_DIGITS = "2521"  # "PL" in the IBAN check: P = 25, L = 21
DEFAULT_TITLE = "Opłata skarbowa – {rodzaj}, wniosek nr {nr}"


def normalise_nrb(value: str) -> str:
    """The 26 digits of an account number typed with spaces, dashes or the ``PL`` prefix."""
    compact = re.sub(r"[\s-]", "", value or "").upper()
    return compact[2:] if compact.startswith("PL") else compact


def nrb_is_valid(digits: str) -> bool:
    if not re.fullmatch(r"\d{26}", digits):
        return False
    return int(digits[2:] + PL_DIGITS + digits[:2]) % 97 == 1


def with_check_digits(bban: str) -> str:
    """The 26-digit NRB of a 24-digit bank code + account (demo data, tests)."""
    return f"{98 - int(bban + PL_DIGITS + '00') % 97:02d}{bban}"


def validate_nrb(value: str) -> None:
    """Model/form validator: 26 digits whose IBAN check digits are right."""
    digits = normalise_nrb(value)
    if not re.fullmatch(r"\d{26}", digits):
        raise ValidationError(_("A bank account number (NRB) has 26 digits."), code="nrb_length")
    if not nrb_is_valid(digits):
        raise ValidationError(
            _("This bank account number is not valid (its check digits do not match)."),
            code="nrb_checksum",
        )


def format_nrb(digits: str) -> str:
    """``PL61 1090 1014 0000 0712 1981 2874`` style: 2 + 6 groups of 4."""
    digits = normalise_nrb(digits)
    if len(digits) != 26:
        return digits
    return " ".join([digits[:2]] + [digits[i : i + 4] for i in range(2, 26, 4)])


def payment_title(*, pattern: str, kind_label: str, number: object) -> str:
    """The title of a transfer from the gmina's pattern: ``{rodzaj}`` and ``{nr}`` are filled in.

    Plain replacement, not ``str.format``: the pattern is typed by a gmina admin.
    """
    title = pattern or DEFAULT_TITLE
    return title.replace("{rodzaj}", kind_label).replace("{nr}", str(number))
