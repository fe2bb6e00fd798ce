"""An issued extract is never changed: the database refuses UPDATE on extracts_extract."""

from django.db import migrations

FORWARD = """
CREATE FUNCTION extracts_extract_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'issued extract % is immutable', OLD.reference
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER extracts_extract_no_update BEFORE UPDATE ON extracts_extract
    FOR EACH ROW EXECUTE FUNCTION extracts_extract_immutable();
"""
BACKWARD = """
DROP TRIGGER IF EXISTS extracts_extract_no_update ON extracts_extract;
DROP FUNCTION IF EXISTS extracts_extract_immutable();
"""


class Migration(migrations.Migration):
    dependencies = [("extracts", "0001_initial")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
