from django.apps import AppConfig


class DataProtectionConfig(AppConfig):
    name = "everychild.dataprotection"
    label = "dataprotection"
    verbose_name = "Data protection"

    def ready(self):
        from everychild.core import jobs  # the app registry is ready only now

        # A subject access export can take longer than a request may (issue 21, 0214).
        jobs.register("subject-access", "everychild.dataprotection.exports.do_export")
