"""Writes to consultations and comments move the WMS/WFS catalogue generation.

The layers ``projekt`` and ``uwagi`` of a gmina's OGC services (consultation/ogc_layers.py) read these
tables; the same statement-level trigger as on the catalogue tables (wms/migrations/0001, 0002) moves
the generation and NOTIFYs in the same transaction, so no cached map or answer outlives a new comment,
a position or the publication of the report.
"""

from django.db import migrations

TABLES = ("consultation_consultation", "consultation_comment")

FORWARD = [
    f"CREATE TRIGGER wms_catalogue_bump BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE "
    f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION wms_catalogue_bump();"
    for table in TABLES
]
BACKWARD = [f"DROP TRIGGER IF EXISTS wms_catalogue_bump ON {table};" for table in TABLES]


class Migration(migrations.Migration):
    dependencies = [
        ("consultation", "0001_initial"),
        ("wms", "0002_catalogue_notify"),
    ]
    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
