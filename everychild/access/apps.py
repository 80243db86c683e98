from django.apps import AppConfig
from django.conf import settings
from django.core import checks
from django.db.models.signals import post_save, pre_save

from everychild.core import scheduled


@checks.register(checks.Tags.security, deploy=True)
def audit_checkpoint_key_is_set(app_configs, **kwargs):
    """Production signs audit checkpoints with a key from the environment, not a generated
    one (a generated key sits beside the data an attacker might reach)."""
    if settings.PRODUCTION and not settings.AUDIT_CHECKPOINT_KEY:
        return [
            checks.Error(
                "EVERYCHILD_AUDIT_CHECKPOINT_KEY must be set in production.",
                hint="A long random value kept outside the application database.",
                id="everychild.access.E001",
            )
        ]
    return []


class AccessConfig(AppConfig):
    name = "everychild.access"
    label = "access"

    def ready(self):
        scheduled.register(
            scheduled.Job(
                "audit checkpoint",
                "everychild.access.checkpoint.scheduled_checkpoint",
                "Sign the audit chain's head and append it outside the database",
            ),
            # Last: the checkpoint covers what the other jobs wrote in the same run.
            order=99,
        )

        # Imported once the app registry is ready: both load models.
        from axes.signals import user_locked_out  # loads axes' models

        from everychild.access import tokens  # loads our models
        from everychild.accounts.models import User  # loads our models

        # API tokens end when their owner's password changes, they are deactivated or locked
        # out (issue 17).
        pre_save.connect(tokens.note_account_before_save, sender=User, dispatch_uid="tokens-pre")
        post_save.connect(tokens.end_tokens_after_save, sender=User, dispatch_uid="tokens-post")
        user_locked_out.connect(tokens.end_tokens_on_lock_out, dispatch_uid="tokens-lock-out")

        # Enrolment codes and second-factor notices go out by the notifications app, which
        # sits above access: registered here rather than imported by access.enrolment.
        from everychild.access import enrolment  # loads our models
        from everychild.notifications.services import notify, register_sealed  # loads models

        enrolment.register_sender(notify)
        register_sealed("two_factor_enrolment", enrolment.code_for_sending)

        # Password reset links (issue 18), the same way: made as the message is sent.
        from everychild.access import password_reset  # loads our models

        password_reset.register_sender(notify)
        register_sealed(password_reset.TEMPLATE, password_reset.link_for_sending)
