"""Who is asking: the client address of a request, the same way for the audit log and rate limits.

Behind the proxy of docker-compose, REMOTE_ADDR is the proxy; set AXES_PROXY_COUNT to the number of
trusted proxies and the address is taken from X-Forwarded-For, counted from the right (so a client
cannot forge it by sending its own header). django-axes uses it too (AXES_CLIENT_IP_CALLABLE).
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0
    candidate = request.META.get("REMOTE_ADDR")
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate)) if candidate else None
    except ValueError:
        return None
