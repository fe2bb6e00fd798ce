"""Rendered-image cache keyed by everything that changes the picture, including the data versions.

Key: layer names and styles, the SQL each layer reads (it holds the ids of the plans the user may
see), bbox, size, CRS, format, transparency, background, and every layer's ``Layer.data_version``.
An import bumps the version (``Layer.bump``), so a stale image is never served. Images above
``MAX_BYTES`` are not kept, so one worker's cache stays bounded (Django cache, LocMem by default:
at most its MAX_ENTRIES; Redis when REDIS_URL is set).
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import caches

from layers.metrics import IMAGE_CACHE_HIT, IMAGE_CACHE_MISS

MAX_BYTES = 1_500_000
PREFIX = "wms:img:"


def image_key(*parts: object) -> str:
    digest = hashlib.sha256("\x1f".join(repr(p) for p in parts).encode()).hexdigest()
    return PREFIX + digest


def _cache():
    return caches["default"]


def _seconds() -> int:
    """``WMS_CACHE_SECONDS``; 0 turns the image cache off (uncached benchmarks)."""
    return int(getattr(settings, "WMS_CACHE_SECONDS", 86400))


def get_image(key: str) -> bytes | None:
    if _seconds() <= 0:
        return None
    body = _cache().get(key)
    (IMAGE_CACHE_MISS if body is None else IMAGE_CACHE_HIT).inc()
    return body


def put_image(key: str, body: bytes) -> None:
    if _seconds() > 0 and len(body) <= MAX_BYTES:
        _cache().set(key, body, timeout=_seconds())
