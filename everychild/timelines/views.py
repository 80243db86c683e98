"""The public EHC plan timeline calculator: "When should my child's EHC plan arrive?"
Anyone may use it without signing in; it asks for dates only, never who the child is."""

from django.shortcuts import render
from django.utils import timezone

from everychild.access.policy import public
from everychild.statutory import FactsError, parse_facts, rule, timeline
from everychild.timelines.forms import FACT_FIELDS, TimelineCalculatorForm


def _plain_status(milestone) -> str:
    """The milestone's status in words a family would use."""
    days = milestone.days_remaining
    if milestone.status == "pending":
        if milestone.due is None:
            return "Not started yet"
        if days == 0:
            return "Due today"
        return f"Due in {days} day{'s' if days != 1 else ''}"
    if milestone.status == "overdue":
        late = -days if days is not None else 0
        return f"Late: {late} day{'s' if late != 1 else ''} past the legal date"
    if milestone.status == "met":
        return "Done on time"
    if milestone.status == "met_late":
        return "Done, but late"
    if milestone.status == "exception_applies":
        return "The time limit does not apply in this case"
    return "Does not apply"


@public
def calculator(request):
    form = TimelineCalculatorForm(request.GET or None)
    milestones = []
    if request.GET and form.is_valid():
        today = timezone.localdate()
        try:
            facts = parse_facts(form.facts(today))
        except FactsError as error:
            form.add_error(FACT_FIELDS.get(error.field), error.message)
        else:
            for milestone in timeline(facts):
                law = rule(milestone.rule, form.cleaned_data["request_received"])
                milestones.append(
                    {
                        "milestone": milestone,
                        "plain_status": _plain_status(milestone),
                        "explanation": law.family_explanation,
                        "if_missed": law.if_missed,
                        "period": law.period,
                    }
                )
    return render(
        request,
        "timelines/calculator.html",
        {"form": form, "milestones": milestones, "today": timezone.localdate()},
    )
