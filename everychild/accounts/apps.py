from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "everychild.accounts"
    label = "accounts"
