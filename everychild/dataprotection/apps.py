from django.apps import AppConfig


class DataProtectionConfig(AppConfig):
    name = "everychild.dataprotection"
    label = "dataprotection"
    verbose_name = "Data protection"
