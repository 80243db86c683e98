from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    """The pages of a school or setting (its SENCO): requests for assessment and their clock.
    Edge only: the records are casework's (decision 0193)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "everychild.schools"
