"""The TOTP second factor (django-otp): enrolment, checking a code, switching it off.

Only this module touches django-otp's device models.
"""

from __future__ import annotations

from base64 import b32encode

import qrcode
from django.db import transaction
from django_otp import devices_for_user, user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice
from qrcode.image.svg import SvgPathImage

from accounts.audit import record


def has_second_factor(user) -> bool:
    return user_has_device(user, confirmed=True)


def pending_device(user) -> TOTPDevice:
    """The unconfirmed device of an enrolment in progress (created on first visit)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="aplikacja", confirmed=False)
    return device


def enrolment(device: TOTPDevice) -> dict[str, str]:
    """What the enrolment page shows: the secret in base32 and the otpauth:// QR code as SVG."""
    image = qrcode.make(device.config_url, image_factory=SvgPathImage, box_size=8)
    return {
        "secret": b32encode(device.bin_key).decode("ascii"),
        "qr_svg": image.to_string(encoding="unicode"),
    }


def matching_device(user, token: str, *, confirmed: bool = True):
    """The user's device that accepts ``token`` (respecting django-otp's throttling), or None."""
    for device in devices_for_user(user, confirmed=confirmed):
        allowed, _ = device.verify_is_allowed()
        if allowed and device.verify_token(token):
            return device
    return None


def confirm(*, user, token: str, request=None):
    device = matching_device(user, token, confirmed=False)
    if device is None:
        return None
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        record(action="auth.otp_enabled", actor=user, target=user.get_username(), request=request)
    return device


def switch_off(*, user, request=None) -> None:
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        record(action="auth.otp_disabled", actor=user, target=user.get_username(), request=request)
