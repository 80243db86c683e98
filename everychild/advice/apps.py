from django.apps import AppConfig

from everychild.core import scheduled
from everychild.plans.contributions import register_section_k_source


class AdviceConfig(AppConfig):
    name = "everychild.advice"
    verbose_name = "Agency advice and the EP waiting list"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Imported once the app registry is ready: the portal's contribution reads its models.
        from everychild.advice.contributions import advice_for_section_k

        register_section_k_source(advice_for_section_k)
        scheduled.register(
            scheduled.Job(
                "advice reminders",
                "everychild.advice.reminders.send_advice_reminders",
                "Reminders 2 weeks before advice is due; escalations when it is late",
            ),
            order=10,
        )
