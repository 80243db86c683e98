from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "everychild.performance"
    label = "performance"
    verbose_name = "Performance and benchmarks"
