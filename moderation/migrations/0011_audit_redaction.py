"""Let retention and erasure redact officer-written text in audit events, and nothing else.

The trigger from 0002 refuses every UPDATE and DELETE. UK GDPR retention must be able to drop
personal content from old events (an officer's note quoting a resident) while the decision
stays. The new function allows an UPDATE only when the transaction has set
`havebury.audit_redaction = on` (moderation/services/data_protection.py does, with SET LOCAL)
and only the `detail` column changes; everything else is refused as before.
"""

from django.db import migrations

REDACTABLE = """
CREATE OR REPLACE FUNCTION moderation_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND current_setting('havebury.audit_redaction', true) = 'on'
       AND NEW.id = OLD.id
       AND NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id
       AND NEW.verb = OLD.verb
       AND NEW.target_type = OLD.target_type
       AND NEW.target_id = OLD.target_id
       AND NEW.item_id IS NOT DISTINCT FROM OLD.item_id
       AND NEW.before = OLD.before
       AND NEW.after = OLD.after
       AND NEW.clause = OLD.clause
       AND NEW.policy_version = OLD.policy_version
       AND NEW.created_at = OLD.created_at THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'moderation_auditevent is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
"""

STRICT = """
CREATE OR REPLACE FUNCTION moderation_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'moderation_auditevent is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REDACTABLE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(STRICT, params=None)


class Migration(migrations.Migration):
    dependencies = [("moderation", "0010_data_protection")]

    operations = [migrations.RunPython(forwards, backwards)]
