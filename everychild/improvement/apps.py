from django.apps import AppConfig


class ImprovementConfig(AppConfig):
    name = "everychild.improvement"
    label = "improvement"
    verbose_name = "Improvement plan"
