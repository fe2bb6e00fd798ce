"""A catalogue generation number that moves, in the same transaction, with every change of a layer,
a gmina or a plan (wms/maps/layer_catalog.py reads it on every OGC request instead of aggregating the tables).

BEFORE ... FOR EACH STATEMENT triggers: the generation row is locked before the statement locks any
catalogue row, so a transaction that holds a catalogue row lock always holds the generation row
already, and two writers cannot deadlock on the pair. The row is transactional (a reader sees the
new number exactly when it sees the change); the value comes from a sequence, so a number seen
inside a transaction that is rolled back is never given again. Not a Django model: test flushes
(TRUNCATE of the models' tables) bump it instead of resetting it.
"""

from django.db import migrations

TABLES = ("layers_layer", "layers_municipality", "plans_plan")

FORWARD = [
    """
    CREATE TABLE wms_catalogue_generation (
        id smallint PRIMARY KEY CHECK (id = 1),
        n bigint NOT NULL
    );
    CREATE SEQUENCE wms_catalogue_generation_seq;
    INSERT INTO wms_catalogue_generation (id, n) VALUES (1, nextval('wms_catalogue_generation_seq'));
    CREATE FUNCTION wms_catalogue_bump() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE wms_catalogue_generation SET n = nextval('wms_catalogue_generation_seq') WHERE id = 1;
        RETURN NULL;
    END
    $$;
    """,
    *(
        f"CREATE TRIGGER wms_catalogue_bump BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE "
        f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION wms_catalogue_bump();"
        for table in TABLES
    ),
]
BACKWARD = [
    *(f"DROP TRIGGER IF EXISTS wms_catalogue_bump ON {table};" for table in TABLES),
    "DROP FUNCTION IF EXISTS wms_catalogue_bump();",
    "DROP TABLE IF EXISTS wms_catalogue_generation;",
    "DROP SEQUENCE IF EXISTS wms_catalogue_generation_seq;",
]


class Migration(migrations.Migration):
    dependencies = [
        ("layers", "0001_initial"),
        ("plans", "0002_import_job"),
    ]
    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
