from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "everychild.demo"
    label = "demo"
