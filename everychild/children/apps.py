from django.apps import AppConfig


class ChildrenConfig(AppConfig):
    name = "everychild.children"
    label = "children"
