from django.apps import AppConfig

from everychild.core import scheduled


class FinanceConfig(AppConfig):
    name = "everychild.finance"
    label = "finance"
    verbose_name = "High-needs finance"

    def ready(self):
        scheduled.register(
            scheduled.Job(
                "placements",
                "everychild.finance.services.sync_all_placements",
                "Bring placements into step with the plans' settings",
            ),
            order=30,
        )
        # Here, not at the top: the job runner loads the kernel's models.
        from everychild.core import jobs

        jobs.register("finance-forecast", "everychild.finance.services.do_forecast")
        jobs.register("finance-goal-seek", "everychild.finance.services.do_goal_seek")
