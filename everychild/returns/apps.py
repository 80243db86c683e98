from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    name = "everychild.returns"
    verbose_name = "Statutory returns (SEN2)"

    def ready(self):
        # Here, not at the top: the job runner loads the kernel's models (wiring by name).
        from everychild.core import jobs

        jobs.register("sen2-checks", "everychild.returns.services.do_checks")
        jobs.register("sen2-import", "everychild.returns.services.do_import")
