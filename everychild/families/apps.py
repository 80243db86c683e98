from django.apps import AppConfig


class FamiliesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "everychild.families"
    verbose_name = "Family portal"

    def ready(self):
        # Imported here, once the app registry is ready: both modules import models.
        from everychild.families.contributions import views_for_section_a
        from everychild.plans.contributions import register_section_a_source

        register_section_a_source(views_for_section_a)
