from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "everychild.core"
    label = "core"
