from django.apps import AppConfig


class StaffConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "everychild.staff"
    verbose_name = "Staff and organisation administration"

    def ready(self):
        # Imported once the app registry is ready: both modules load models. The link in a
        # staff invitation or password reset is made at the moment of sending (issue 17).
        from everychild.notifications.services import register_sealed  # loads models
        from everychild.staff.services import link_for_sending  # loads models

        register_sealed("staff_invitation", link_for_sending)
        register_sealed("staff_password_reset", link_for_sending)
