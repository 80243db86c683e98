# Break-glass grants now belong to the children app (children 0003 takes the model over with
# its table, access_breakglassgrant): the access app forgets it without touching the table.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("access", "0003_audit_append_only_trigger"),
        ("children", "0003_break_glass_grant"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="BreakGlassGrant")],
            database_operations=[],
        ),
    ]
