from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "everychild.notifications"
    verbose_name = "Notifications"
