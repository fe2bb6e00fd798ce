"""Counts of services the portal does not otherwise record (the support centre's dashboard reads them)."""

from __future__ import annotations

from django.db import connection
from django.utils import timezone

from extracts.models import InformationalPdfDay
from layers.models import Municipality

UPSERT = """
INSERT INTO {table} (municipality_id, day, count) VALUES (%s, %s, 1)
ON CONFLICT (municipality_id, day) DO UPDATE SET count = {table}.count + 1
"""


def count_informational_pdf(*, municipality: Municipality) -> None:
    """One more informational PDF served today (Europe/Warsaw) in ``municipality``: one statement."""
    table = connection.ops.quote_name(InformationalPdfDay._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(UPSERT.format(table=table), [municipality.pk, timezone.localdate()])
