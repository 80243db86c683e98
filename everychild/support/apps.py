from django.apps import AppConfig

from everychild.casework import case_panels
from everychild.core import scheduled


class SupportConfig(AppConfig):
    name = "everychild.support"
    verbose_name = "SEN support and the graduated approach"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Registers the record rules with the access kernel (access.policy.may).
        # The support history beside a request on the case page (decision 0221).
        from everychild.support import (
            policy,  # noqa: F401
            selectors,  # after the apps are loaded
        )

        case_panels.register(
            case_panels.Panel(
                "support_evidence", "support/_case_evidence.html", selectors.evidence_for_case
            )
        )

        scheduled.register(
            scheduled.Job(
                "support plan reviews",
                "everychild.support.notices.sweep",
                "Tell families two weeks before a support plan's review",
            ),
            order=25,
        )
