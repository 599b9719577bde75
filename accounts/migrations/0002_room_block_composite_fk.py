"""A resident's room must belong to the resident's block: a composite foreign key says so in the database.

Django has no composite foreign keys, so this is SQL, on PostgreSQL (the demo's SQLite relies on the
form and service checks).
"""

from django.db import migrations

FORWARD = """
ALTER TABLE accounts_user
    ADD CONSTRAINT user_room_in_block_fk FOREIGN KEY (room_id, block_id)
    REFERENCES accounts_room (id, block_id);
"""
BACKWARD = "ALTER TABLE accounts_user DROP CONSTRAINT user_room_in_block_fk;"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
