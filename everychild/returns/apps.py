from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    name = "everychild.returns"
    verbose_name = "Statutory returns (SEN2)"
