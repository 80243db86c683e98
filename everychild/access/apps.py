from django.apps import AppConfig
from django.conf import settings
from django.core import checks

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
