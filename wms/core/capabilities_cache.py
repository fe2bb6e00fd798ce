"""GetCapabilities documents kept against the catalogue they describe (issue 17).

A platform's ``/ows`` capabilities list every gmina's layers: 36 gminy of a union, thousands for a
voivodeship or the country. Building the document is a walk over the whole catalogue and a template
of one element per layer, while it changes only when the catalogue does. So an anonymous client's
document is kept in Django's cache (Redis with several app nodes, ``REDIS_URL``) under everything it
depends on: service, version, gmina, the URL it advertises (host and scheme as the client sees
them), the language, the catalogue generation and the last moment passed at which an extra layer
changed by itself (``time_epoch``: a consultation's start). Any import, publication or layer change
moves the generation, so a new document is built by the first request after it, never served stale.

Signed-in users are never served from here: a planner's document lists the drafts they may see.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.http import HttpRequest
from django.utils import translation

from wms.core.extra_layers import catalogue_fingerprint


def capabilities_key(
    *, request: HttpRequest, service: str, version: str, municipality
) -> str | None:
    """The cache key of this request's document, or None when it must be built (a signed-in
    user, caching off, or the generation cannot be read)."""
    user = getattr(request, "user", None)
    if (user is not None and user.is_authenticated) or settings.OWS_CAPABILITIES_CACHE_SECONDS <= 0:
        return None
    try:
        generation, epoch = catalogue_fingerprint()
    except DatabaseError:
        return None
    parts = (
        service,
        version,
        str(municipality.pk if municipality is not None else "-"),
        request.build_absolute_uri(request.path),
        translation.get_language() or "",
        str(generation),
        epoch.isoformat() if epoch else "",
    )
    return "ows-caps:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def cached_capabilities(
    *, request: HttpRequest, service: str, version: str, municipality, build: Callable[[], str]
) -> str:
    """The document from the cache, or ``build()`` stored for the next anonymous client."""
    key = capabilities_key(
        request=request, service=service, version=version, municipality=municipality
    )
    if key is None:
        return build()
    body = cache.get(key)
    if body is None:
        body = build()
        cache.set(key, body, timeout=settings.OWS_CAPABILITIES_CACHE_SECONDS)
    return body
