from django.apps import AppConfig

from everychild.core import scheduled
from everychild.plans.contributions import register_section_a_source


class FamiliesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "everychild.families"
    verbose_name = "Family portal"

    def ready(self):
        # Imported once the app registry is ready: the portal's contribution reads its models.
        from everychild.families.contributions import views_for_section_a

        register_section_a_source(views_for_section_a)
        # The family's items on the caseworker's task list (reads models: imported here).
        from everychild.casework.worklist import register_source  # loads models too
        from everychild.families.worklist import KINDS, family_tasks  # loads models

        register_source(family_tasks, KINDS)
        # Imported here for the same reason (both modules load models): the invitation link is
        # made from an Invitation row at the moment of sending.
        from everychild.families.services import email_code_for_sending, invitation_link
        from everychild.notifications.services import register_sealed  # loads models too

        register_sealed("family_invitation", invitation_link)
        register_sealed("sign_in_code", email_code_for_sending)
        scheduled.register(
            scheduled.Job(
                "family notices",
                "everychild.families.notices.sweep",
                "Tell families of decisions, drafts, final plans, reviews and missed dates",
            ),
            order=20,
        )
