from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "everychild.access"
    label = "access"
