from django.apps import AppConfig

from everychild.core import scheduled


class SupportConfig(AppConfig):
    name = "everychild.support"
    verbose_name = "SEN support and the graduated approach"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Registers the record rules with the access kernel (access.policy.may).
        from everychild.support import policy  # noqa: F401

        scheduled.register(
            scheduled.Job(
                "support plan reviews",
                "everychild.support.notices.sweep",
                "Tell families two weeks before a support plan's review",
            ),
            order=25,
        )
