from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    name = "everychild.returns"
    verbose_name = "Statutory returns (SEN2)"

    def ready(self):
        # Wiring: the kernel's job runner learns this app's jobs by name.
        from everychild.core import jobs

        jobs.register("sen2-checks", "everychild.returns.services.do_checks")
        jobs.register("sen2-import", "everychild.returns.services.do_import")
