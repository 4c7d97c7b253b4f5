"""On PostgreSQL the database itself refuses to change or delete audit events.

A row trigger raises on every UPDATE and DELETE of finsam_handelse. The one
exception is the loader replacing a whole förbund (`load_forbund --replace`),
which deletes the förbund with its audit trail inside a transaction that has
set `SET LOCAL finsam.allow_audit_purge = 'on'` (finsam.models.audit_purge_allowed).
TRUNCATE is a statement, not rows: the test runner's flush still works.
"""

from django.db import migrations

CREATE = [
    """
CREATE OR REPLACE FUNCTION finsam_handelse_immutable() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE'
       AND coalesce(current_setting('finsam.allow_audit_purge', true), '') = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'Händelseloggen kan inte ändras (% på %).', TG_OP, TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql
""",
    """
CREATE TRIGGER finsam_handelse_immutable
    BEFORE UPDATE OR DELETE ON finsam_handelse
    FOR EACH ROW EXECUTE FUNCTION finsam_handelse_immutable()
""",
]

DROP = [
    "DROP TRIGGER IF EXISTS finsam_handelse_immutable ON finsam_handelse",
    "DROP FUNCTION IF EXISTS finsam_handelse_immutable()",
]


def _on_postgresql(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql, None)  # None: no placeholders, "%" is plpgsql

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("finsam", "0006_audit_trail_indexes"),
    ]

    operations = [
        migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP)),
    ]
