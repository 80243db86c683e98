from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "everychild.casework"
    label = "casework"

    def ready(self):
        # Registers the casework record rules with the access kernel, so that `may` answers by them.
        from everychild.casework import policy  # noqa: F401
