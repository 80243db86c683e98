from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in


class AccountsConfig(AppConfig):
    name = "everychild.accounts"
    label = "accounts"

    def ready(self):
        # Here, not at the top: the middleware reads the access policy's models.
        from everychild.accounts.middleware import start_session_lifetime

        user_logged_in.connect(start_session_lifetime, dispatch_uid="session-lifetime")
