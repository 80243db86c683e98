from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "everychild.finance"
    label = "finance"
    verbose_name = "High-needs finance"
