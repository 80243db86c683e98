"""Every child already at a setting gets its open period, starting on the day their record was
made (the earliest day the service knew of them there); nobody recorded it."""

from django.db import migrations


def open_periods(apps, schema_editor):
    Child = apps.get_model("children", "Child")
    SettingPeriod = apps.get_model("children", "SettingPeriod")
    rows = Child.objects.filter(current_setting__isnull=False).values_list(
        "pk", "current_setting_id", "created_at"
    )
    batch = []
    for pk, setting_id, created_at in rows.iterator(chunk_size=2000):
        batch.append(
            SettingPeriod(child_id=pk, setting_id=setting_id, started_on=created_at.date())
        )
        if len(batch) >= 2000:
            SettingPeriod.objects.bulk_create(batch)
            batch = []
    SettingPeriod.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [("children", "0006_setting_periods")]

    operations = [migrations.RunPython(open_periods, migrations.RunPython.noop)]
