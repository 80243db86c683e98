from django.apps import AppConfig


class AdviceConfig(AppConfig):
    name = "everychild.advice"
    verbose_name = "Agency advice and the EP waiting list"
    default_auto_field = "django.db.models.BigAutoField"
