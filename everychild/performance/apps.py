from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _install_change_triggers(sender, using="default", **kwargs):
    # The models are not ready when this module is imported (INSTALLED_APPS).
    from everychild.performance import changes, dataset

    changes.install(dataset.watched_tables(), using=using)


class PerformanceConfig(AppConfig):
    name = "everychild.performance"
    label = "performance"
    verbose_name = "Performance and benchmarks"

    def ready(self):
        # After every migrate (and flush): the dashboard's change triggers (decision 0270).
        post_migrate.connect(
            _install_change_triggers, sender=self, dispatch_uid="performance_change_triggers"
        )
