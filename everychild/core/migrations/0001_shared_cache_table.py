"""The database cache's table (settings.CACHES), so rate limits are shared by every worker."""

from django.core.management import call_command
from django.db import migrations


def make_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


def drop_cache_table(apps, schema_editor):
    if "everychild_cache" in schema_editor.connection.introspection.table_names():
        schema_editor.execute("DROP TABLE everychild_cache")


class Migration(migrations.Migration):
    dependencies: list = []

    operations = [migrations.RunPython(make_cache_table, drop_cache_table)]
