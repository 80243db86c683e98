# The board pack's run moves to improvement (issue 15; improvement 0002 takes it over). The
# table is left as it is: only Django's idea of which app holds the model changes.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('improvement', '0002_board_pack_run'),
        ('performance', '0002_board_pack_run'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='BoardPackRun')],
            database_operations=[],
        ),
    ]
