from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "everychild.plans"
    label = "plans"

    def ready(self):
        # Registers the plans record rules with the access kernel, so that `may` answers by them.
        # Reviews to decide on the caseworker's task list (reads models: imported here).
        from everychild.casework.worklist import register_source  # loads models too
        from everychild.plans import policy  # noqa: F401  (registers the rules)
        from everychild.plans.worklist import (  # loads models
            KINDS,
            reviews_to_convene,
            reviews_to_decide,
        )

        register_source(reviews_to_decide, KINDS)
        register_source(reviews_to_convene, KINDS)

        from everychild.core import jobs  # with the other wiring: nothing loads before ready()

        jobs.register("plan-pdf", "everychild.plans.services.pdfs.do_pdf")
