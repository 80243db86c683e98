from django.apps import AppConfig


class AreasConfig(AppConfig):
    name = "everychild.areas"
    label = "areas"
