from django.apps import AppConfig


class ChildrenConfig(AppConfig):
    name = "everychild.children"
    label = "children"

    def ready(self):
        # Registers the children record rules with the access kernel, so that `may` answers by them.
        from everychild.children import policy  # noqa: F401
