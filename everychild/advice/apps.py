from django.apps import AppConfig

from everychild.core import scheduled


class AdviceConfig(AppConfig):
    name = "everychild.advice"
    verbose_name = "Agency advice and the EP waiting list"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        scheduled.register(
            scheduled.Job(
                "advice reminders",
                "everychild.advice.reminders.send_advice_reminders",
                "Reminders 2 weeks before advice is due; escalations when it is late",
            ),
            order=10,
        )
