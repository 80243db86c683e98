from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "everychild.core"
    label = "core"

    def ready(self) -> None:
        from everychild.core import lookups  # models are loaded only once apps are ready

        lookups.register()
