from django.apps import AppConfig


class AdviceConfig(AppConfig):
    name = "everychild.advice"
    verbose_name = "Agency advice and the EP waiting list"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Imported here, once the app registry is ready: both modules import models.
        from everychild.advice.contributions import advice_for_section_k
        from everychild.plans.contributions import register_section_k_source

        register_section_k_source(advice_for_section_k)
