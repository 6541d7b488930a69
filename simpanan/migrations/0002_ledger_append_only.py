"""
The savings ledger refuses UPDATE and DELETE in PostgreSQL itself, so no client (a shell, a script, a future
bug) can edit the books: corrections are reversals. TRUNCATE (test database resets) is not a row operation.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION simpanan_posting_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'simpanan_posting is append-only: post a reversal instead of %', TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS simpanan_posting_append_only ON simpanan_posting;
CREATE TRIGGER simpanan_posting_append_only BEFORE UPDATE OR DELETE ON simpanan_posting
    FOR EACH ROW EXECUTE FUNCTION simpanan_posting_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS simpanan_posting_append_only ON simpanan_posting;
DROP FUNCTION IF EXISTS simpanan_posting_append_only();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("simpanan", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
