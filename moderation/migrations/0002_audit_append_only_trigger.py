"""Reject UPDATE and DELETE on the audit table at the database level (PostgreSQL).

The model and queryset already refuse both; the trigger also stops raw SQL and
anything that bypasses the ORM. SQLite (laptop demo) has no plpgsql, so it is skipped there.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION moderation_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'moderation_auditevent is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER moderation_auditevent_append_only
    BEFORE UPDATE OR DELETE ON moderation_auditevent
    FOR EACH ROW EXECUTE FUNCTION moderation_auditevent_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS moderation_auditevent_append_only ON moderation_auditevent;
DROP FUNCTION IF EXISTS moderation_auditevent_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("moderation", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
