from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "everychild.plans"
    label = "plans"

    def ready(self):
        # Registers the plans record rules with the access kernel, so that `may` answers by them.
        from everychild.plans import policy  # noqa: F401
