# The board pack's run moves here from performance (issue 15). The table stays where it is
# (performance_boardpackrun): only Django's idea of which app holds the model changes.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('areas', '0001_initial'),
        ('improvement', '0001_initial'),
        ('performance', '0002_board_pack_run'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='BoardPackRun',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('as_at', models.DateField(help_text='The day the figures are as at')),
                        ('requested_at', models.DateTimeField(auto_now_add=True)),
                        ('status', models.CharField(choices=[('queued', 'Waiting to start'), ('running', 'Being made'), ('done', 'Ready'), ('failed', 'Could not be made')], default='queued', max_length=8)),
                        ('progress', models.PositiveSmallIntegerField(default=0, help_text='Per cent done')),
                        ('step', models.CharField(blank=True, max_length=120)),
                        ('pdf', models.BinaryField(blank=True, null=True)),
                        ('pages', models.PositiveSmallIntegerField(blank=True, null=True)),
                        ('seconds', models.FloatField(blank=True, null=True)),
                        ('error', models.CharField(blank=True, max_length=300)),
                        ('finished_at', models.DateTimeField(blank=True, null=True)),
                        ('area', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='areas.area')),
                        ('requested_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'performance_boardpackrun',
                        'ordering': ['-requested_at', '-pk'],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
