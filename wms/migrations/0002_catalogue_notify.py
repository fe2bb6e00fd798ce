"""The catalogue generation trigger also NOTIFYs ``wms_catalogue`` (wms/core/generation.py listens).

The notification is delivered when the transaction commits (never for one rolled back); its payload
is empty, so PostgreSQL folds the many of one transaction into one, and listeners read the row.
"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION wms_catalogue_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE wms_catalogue_generation SET n = nextval('wms_catalogue_generation_seq') WHERE id = 1;
    PERFORM pg_notify('wms_catalogue', '');
    RETURN NULL;
END
$$;
"""
BACKWARD = """
CREATE OR REPLACE FUNCTION wms_catalogue_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE wms_catalogue_generation SET n = nextval('wms_catalogue_generation_seq') WHERE id = 1;
    RETURN NULL;
END
$$;
"""


class Migration(migrations.Migration):
    dependencies = [("wms", "0001_catalogue_generation")]
    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
