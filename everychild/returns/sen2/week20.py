"""Week20: did the exceptions to the 20-week limit apply to a plan that was issued?

The regulations let the local authority miss the 20 weeks for a final plan (reg 13(2)) when an
exception in reg 10(4) applies (reg 13(3)): a school or early years setting asked for advice
around a closure of 4 weeks or more ((a), (b)), exceptional personal circumstances (c), or the
child or parent away from the area for 4 weeks or more (d). The statutory engine
(`everychild.statutory`) is the only place that judges this, from the facts of the case.

The DfE publishes timeliness "excluding exceptions" by leaving out every plan flagged Week20 = 1,
on time or late, so the flag says whether an exception applied to the case's 20-week clock at
all:

* a plan issued late: the engine's own judgement of the final-plan milestone
  (`exception_applies`);
* a plan issued on time: the engine never looks for an exception on a limit that was met, so
  it is asked about the clock as it stood the day after the 20 weeks ran out, with the plan not
  yet issued: would an exception have lifted the limit then?

A case whose clock started before 1 September 2014 (the 2014 law) is outside the engine and
gets 0.
"""

from __future__ import annotations

from datetime import date, timedelta

from everychild import statutory
from everychild.accounts.models import OrganisationKind
from everychild.statutory import deadlines

# The casework app's advice kinds, in the statutory engine's words.
ADVICE_KINDS = {
    "ep": "educational_psychology",
    "health": "health",
    "social_care": "social_care",
    "education": "education",
    "other": "other",
}
REG_10_4 = ("10(4)(a)", "10(4)(b)", "10(4)(c)", "10(4)(d)")


def setting_closures(area) -> tuple[statutory.SettingClosure, ...]:
    closures = []
    for item in area.setting_closures or ():
        try:
            first, last = date.fromisoformat(item["from"]), date.fromisoformat(item["to"])
        except (KeyError, TypeError, ValueError):
            continue
        closures.append(statutory.SettingClosure(first, last))
    return tuple(closures)


def _advice(request, today: date) -> tuple[statutory.AdviceRequest, ...]:
    items = []
    for advice in request.advice_requests.all():
        if advice.received_by_body_on > today:
            continue
        kind = ADVICE_KINDS.get(advice.kind, "other")
        organisation = advice.organisation
        if kind == "education" and organisation.kind == OrganisationKind.EARLY_YEARS:
            kind = "early_years"
        provided = (
            advice.provided_on if advice.provided_on and advice.provided_on <= today else None
        )
        items.append(
            statutory.AdviceRequest(
                id=str(advice.pk),
                kind=kind,
                received_by_body_on=advice.received_by_body_on,
                provided_on=provided,
                to_school_or_setting=organisation.is_setting,
            )
        )
    return tuple(items)


def _exceptions(request, today: date) -> tuple[statutory.RecordedException, ...]:
    return tuple(
        statutory.RecordedException(e.regulation, e.starts_on, e.ends_on, e.reason)
        for e in request.exceptions.all()
        if e.advice_request_id is None and e.regulation in REG_10_4 and e.starts_on <= today
    )


def exceptions_applied(
    request,
    *,
    issued_on: date,
    closures: tuple[statutory.SettingClosure, ...],
    count_start_as_day_one: bool = False,
) -> bool:
    """Whether a reg 10(4) exception applied to this case's 20-week clock (see above).
    `request` is an AssessmentRequest with its advice requests (and their organisations) and
    exceptions to hand."""
    received = request.received_on
    try:
        due = deadlines.final_plan_due(received, count_start_as_day_one=count_start_as_day_one)
    except LookupError:
        return False
    late = issued_on > due
    today = issued_on if late else due + timedelta(days=1)
    decision = None
    if request.decision_on and request.decision_on <= today:
        decision = statutory.Decision("assess", request.decision_on)
    facts = statutory.Facts(
        today=today,
        request_received=received,
        decision=decision,
        advice=_advice(request, today),
        setting_closures=closures,
        exceptions=_exceptions(request, today),
        final_plan_issued_on=issued_on if late else None,
    )
    try:
        milestones = statutory.timeline(facts, count_start_as_day_one=count_start_as_day_one)
    except LookupError:  # a clock before the 2014 law
        return False
    for milestone in milestones:
        if milestone.key == "final_plan":
            return milestone.status == "exception_applies"
    return False
