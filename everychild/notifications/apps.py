from django.apps import AppConfig

from everychild.core import scheduled


class NotificationsConfig(AppConfig):
    name = "everychild.notifications"
    verbose_name = "Notifications"

    def ready(self):
        # Last, so the messages the other jobs asked for go out in the same run.
        scheduled.register(
            scheduled.Job(
                "messages",
                "everychild.notifications.services.send_due_messages",
                "Send waiting messages; retry those that failed for a temporary reason",
            ),
            order=90,
        )
