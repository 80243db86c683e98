from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in


class AccountsConfig(AppConfig):
    name = "everychild.accounts"
    label = "accounts"

    def ready(self):
        # Here, not at the top: the middleware reads the access policy's models.
        from everychild.accounts.middleware import start_session_lifetime

        user_logged_in.connect(start_session_lifetime, dispatch_uid="session-lifetime")

        # Here, not at the top: both load models (axes' and ours).
        from axes.signals import user_locked_out  # loads axes' models

        from everychild.accounts.lockout import note_lock_out  # loads our models

        user_locked_out.connect(note_lock_out, dispatch_uid="sign-in-lock-outs")
