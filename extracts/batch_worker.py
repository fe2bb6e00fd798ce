"""Entry point of spawned batch worker processes; importable before Django is set up.

The pool (``extracts/batches.py``) passes ``batches.render_parcels`` itself as the function to run:
a spawned process unpickles it only after this initializer has set Django up.
"""

from __future__ import annotations


def init(db_name: str) -> None:
    """Set up Django in a spawned process, on the same database as the parent."""
    import django
    from django.conf import settings

    django.setup()
    settings.DATABASES["default"]["NAME"] = db_name
