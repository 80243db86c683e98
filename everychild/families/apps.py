from django.apps import AppConfig

from everychild.core import scheduled


class FamiliesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "everychild.families"
    verbose_name = "Family portal"

    def ready(self):
        scheduled.register(
            scheduled.Job(
                "family notices",
                "everychild.families.notices.sweep",
                "Tell families of decisions, drafts, final plans, reviews and missed dates",
            ),
            order=20,
        )
