"""Fixtures of the accounts tests: a clean cache (rate limits) and a TOTP helper."""

from __future__ import annotations

import pytest
from django.core.cache import cache

PASSWORD = "test-pass-123"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """PBKDF2's million rounds cost ~1 s per persona on a busy machine; the rules stay the same."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _clean_cache():
    """Rate-limit counters live in the cache; each test starts with none."""
    cache.clear()
    yield
    cache.clear()


def totp_now(device) -> str:
    """The code an authenticator app would show now for ``device``."""
    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def totp_for_step(device, t: int) -> str:
    """The code of time step ``t`` (e.g. ``device.last_t``, the last one used)."""
    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = device.t0 + t * device.step
    return f"{totp.token():0{device.digits}d}"
