# Break-glass grants move from the access app to the children app. The table stays as it is
# (access_breakglassgrant): only Django's record of which app owns the model changes.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("children", "0002_date_of_birth_validators"),
        ("access", "0003_audit_append_only_trigger"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="BreakGlassGrant",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("reason", models.TextField()),
                        ("granted_at", models.DateTimeField()),
                        ("expires_at", models.DateTimeField()),
                        ("reviewed_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "child",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="children.child",
                            ),
                        ),
                        (
                            "reviewed_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="break_glass_grants",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "access_breakglassgrant",
                        "ordering": ["-granted_at"],
                        "indexes": [
                            models.Index(
                                fields=["user", "child", "expires_at"],
                                name="access_brea_user_id_e7ee5b_idx",
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
