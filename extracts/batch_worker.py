"""Entry points of spawned batch worker processes; importable before Django is set up."""

from __future__ import annotations

import datetime as dt


def init(db_name: str) -> None:
    """Set up Django in a spawned process, on the same database as the parent."""
    import django
    from django.conf import settings

    django.setup()
    settings.DATABASES["default"]["NAME"] = db_name


def render(identifiers: list[str], as_of: dt.date):
    from extracts.tasks import render_parcels

    return render_parcels(identifiers, as_of)
