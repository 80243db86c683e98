from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "everychild.plans"
    label = "plans"
