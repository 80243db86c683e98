"""What the home page shows each user: counts only, each limited by the access policy."""

from django.db.models import Count, Q

from everychild.access.policy import Capability, capabilities, la_area_ids, memberships
from everychild.casework.models import OPEN_STAGES, AssessmentRequest, Stage
from everychild.casework.policy import visible_advice_requests
from everychild.children.policy import visible_children


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
