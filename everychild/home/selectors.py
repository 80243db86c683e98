"""What the home page shows each user: counts only, each limited by the access policy."""

from django.db.models import Count, Q
from django.utils import timezone

from everychild.access.policy import Capability, capabilities, la_area_ids, memberships
from everychild.casework import worklist
from everychild.casework.models import OPEN_STAGES, AssessmentRequest, Stage
from everychild.casework.policy import visible_advice_requests
from everychild.children.policy import visible_children

#: How many of the first tasks the home page lists before linking to the rest.
HOME_TASKS = 5


def my_tasks(user, *, request=None) -> dict | None:
    """What the home page leads with for those who work cases: the counts of their tasks
    (a team manager: the team's) and the first few, or None for everyone else."""
    caps = capabilities(user)
    if not (Capability.WRITE_CASES in caps or Capability.DECIDE in caps):
        return None
    whose = worklist.ALL if Capability.MANAGE_TEAM in caps else None
    today = timezone.localdate()
    tasks = worklist.tasks_for(user, caseworker=whose, today=today, audited=False)
    first = tasks[:HOME_TASKS]
    # Only the children named on the page are read.
    worklist.audit_tasks(user, first, request=request)
    return {
        "counts": worklist.counts(tasks, today),
        "first": [
            {"task": t, "when": worklist.describe_due(t, today), "overdue": t.is_overdue(today)}
            for t in first
        ],
        "team": whose == worklist.ALL,
        "panel": Capability.WRITE_CASES not in caps,
    }


def home_summary(user) -> dict:
    caps = capabilities(user)
    summary: dict = {
        "organisations": sorted(
            {str(m.organisation) for m in memberships(user) if m.organisation_id}
        )
    }
    if Capability.SEE_CHILDREN in caps:
        summary["children_visible"] = visible_children(user).count()
    areas = la_area_ids(user)
    if areas and Capability.CASEWORK in caps:
        open_cases = AssessmentRequest.objects.filter(area_id__in=areas, stage__in=OPEN_STAGES)
        by_stage = dict(
            open_cases.values_list("stage").annotate(n=Count("pk")).values_list("stage", "n")
        )
        summary["open_cases_by_stage"] = [
            {"label": Stage(stage).label, "count": by_stage.get(stage, 0)} for stage in OPEN_STAGES
        ]
        summary["my_open_cases"] = open_cases.filter(caseworker=user).count()
        summary["unallocated"] = open_cases.filter(caseworker__isnull=True).count()
    if Capability.GIVE_ADVICE in caps:
        advice = visible_advice_requests(user).filter(
            Q(provided_on__isnull=True) & Q(cancelled_on__isnull=True)
        )
        summary["advice_open"] = advice.count()
    return summary
