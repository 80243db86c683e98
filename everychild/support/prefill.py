"""A request for an EHC needs assessment, started from a support plan's history (decision 0221).

The Code asks a school to send the evidence of the graduated approach with its request (Code
9.14): what it assessed, planned, did and reviewed, and the advice it already sought. The
support plan already holds all of it, so the SENCO's request form starts from it: each cycle
becomes its assess, plan, do and review steps (with the review's result against each outcome),
each consultation a step of advice sought, and the plan's views, needs, outcomes and provision
fill the views and the reason. The SENCO edits any of it before sending.

Pure: a function of the plan and its cycles and consultations (no queries, no writes)."""

from __future__ import annotations

from everychild.casework.models import GraduatedApproachStep
from everychild.children.codes import NeedType
from everychild.support.models import OutcomeResult, SupportPlan
from everychild.support.thread import normalised

Kind = GraduatedApproachStep.Kind
RESULTS = dict(OutcomeResult.choices)
NEEDS = dict(NeedType.choices)


def _review_results(cycle, outcomes: dict[str, str]) -> str:
    lines = []
    for outcome_id, found in (cycle.review_results or {}).items():
        label = outcomes.get(outcome_id, outcome_id)
        result = RESULTS.get((found or {}).get("result", ""), "")
        note = (found or {}).get("note", "")
        lines.append(f"{label}: {result}" + (f" ({note})" if note else ""))
    return "\n".join(lines)


def evidence_steps(plan: SupportPlan, cycles, consultations) -> list[dict]:
    """The graduated-approach steps of the plan's history, oldest first: rows in the shape of
    casework's GraduatedApproachStep (kind, started_on, ended_on, what, outcome)."""
    outcomes = {o["id"]: o.get("text", "") for o in normalised(plan.thread)["outcomes"]}
    steps: list[dict] = []
    for cycle in sorted(cycles, key=lambda c: c.number):
        prefix = f"Cycle {cycle.number}: "
        steps.append(
            {
                "kind": Kind.ASSESS,
                "started_on": cycle.started_on,
                "ended_on": None,
                "what": prefix + cycle.assessed,
                "outcome": "",
            }
        )
        steps.append(
            {
                "kind": Kind.PLAN,
                "started_on": cycle.started_on,
                "ended_on": None,
                "what": prefix + cycle.planned,
                "outcome": "",
            }
        )
        if cycle.done:
            steps.append(
                {
                    "kind": Kind.DO,
                    "started_on": cycle.started_on,
                    "ended_on": cycle.reviewed_on,
                    "what": prefix + cycle.done,
                    "outcome": "",
                }
            )
        if cycle.reviewed_on:
            steps.append(
                {
                    "kind": Kind.REVIEW,
                    "started_on": cycle.reviewed_on,
                    "ended_on": None,
                    "what": prefix + (cycle.review_summary or "Review of the cycle"),
                    "outcome": _review_results(cycle, outcomes),
                }
            )
    for consultation in sorted(consultations, key=lambda c: (c.asked_on, c.pk)):
        steps.append(
            {
                "kind": Kind.ADVICE,
                "started_on": consultation.asked_on,
                "ended_on": consultation.answered_on,
                "what": f"{consultation.get_kind_display()} ({consultation.organisation.name}): "
                f"{consultation.question}",
                "outcome": consultation.answer or "Not answered yet.",
            }
        )
    return steps


def reason_from(plan: SupportPlan) -> str:
    """A first draft of "why the setting is asking": the areas of need, and the plan's needs,
    outcomes and provision (the golden thread the panel weighs)."""
    thread = normalised(plan.thread)
    need = f"Primary need: {NEEDS.get(plan.primary_need, plan.primary_need)}"
    if plan.secondary_need:
        need += f". Secondary need: {NEEDS.get(plan.secondary_need, plan.secondary_need)}"
    parts = [
        need + f". On SEN support since {plan.started_on:%d/%m/%Y}.",
    ]
    if thread["needs"]:
        parts.append("Needs:\n" + "\n".join(f"- {n['text']}" for n in thread["needs"]))
    if thread["outcomes"]:
        parts.append("Outcomes sought:\n" + "\n".join(f"- {o['text']}" for o in thread["outcomes"]))
    if thread["provision"]:
        lines = []
        for line in thread["provision"]:
            detail = ", ".join(line[f] for f in ("how_often", "how_long", "by_whom") if line.get(f))
            lines.append(f"- {line['what']}" + (f" ({detail})" if detail else ""))
        parts.append("Provision made:\n" + "\n".join(lines))
    if plan.outside_involvement:
        parts.append("Involved from outside the setting: " + plan.outside_involvement)
    return "\n\n".join(parts)


def request_draft(plan: SupportPlan, cycles, consultations) -> dict:
    """What the request form starts with: the child, the reason, the views and the steps."""
    return {
        "child": plan.child,
        "reason": reason_from(plan),
        "family_views": plan.family_views,
        "child_views": plan.child_views,
        "evidence": evidence_steps(plan, cycles, consultations),
    }


# --- A family's request, started from their child's support plan (decision 0242) ------------

FAMILY_REASON_LIMIT = 5000  # the public form's answer limit (families.forms.WhyStepForm)


def _family_history(plan: SupportPlan, cycles, who: str | None) -> tuple[list[str], list[str]]:
    """What the family portal shows of the plan, in its words (`who` is the child's name, or
    None for a young person writing for themselves): the plan's parts, and one line per review
    held (oldest first)."""
    thread = normalised(plan.thread)
    has, finds = (f"{who} has", f"{who} finds") if who else ("I have", "I find")
    parts = [
        f"{has} had extra help (SEN support) at {plan.started_by_setting.name} since "
        f"{plan.started_on:%-d %B %Y}."
    ]
    if thread["needs"]:
        parts.append(f"What {finds} hard:\n" + "\n".join(f"- {n['text']}" for n in thread["needs"]))
    if thread["outcomes"]:
        parts.append(
            "What the help is working towards:\n"
            + "\n".join(f"- {o['text']}" for o in thread["outcomes"])
        )
    if thread["provision"]:
        lines = []
        for line in thread["provision"]:
            detail = ", ".join(line[f] for f in ("how_often", "by_whom") if line.get(f))
            lines.append(f"- {line['what']}" + (f" ({detail})" if detail else ""))
        parts.append("The help:\n" + "\n".join(lines))
    outcomes = {o["id"]: o.get("text", "") for o in thread["outcomes"]}
    reviews = []
    for cycle in sorted(cycles, key=lambda c: c.number):
        if not cycle.reviewed_on:
            continue
        results = "; ".join(
            f"{outcomes.get(key, 'an earlier outcome')}: {RESULTS.get(found.get('result'), '')}"
            for key, found in (cycle.review_results or {}).items()
        )
        line = f"- {cycle.reviewed_on:%-d %B %Y}: {results or 'reviewed'}"
        if cycle.review_summary:
            line += f". {cycle.review_summary}"
        reviews.append(line)
    return parts, reviews


def family_request_answers(plan: SupportPlan, cycles, *, own: bool, user) -> dict:
    """The public request form's answers, started from the child's support plan as the family
    portal shows it (needs, outcomes, the help and the reviews' results; not the setting's own
    notes or the advice it sought, which the family does not see). The family changes any of
    it before sending. The reasons keep the latest reviews if the whole history is longer than
    the form takes."""
    child = plan.child
    parts, reviews = _family_history(
        plan, cycles, None if own else (child.preferred_name or child.first_name)
    )
    head = "\n\n".join(parts)
    while reviews:
        reason = head + "\n\nReviews:\n" + "\n".join(reviews)
        if len(reason) <= FAMILY_REASON_LIMIT:
            break
        reviews = reviews[1:]
    else:
        reason = head
    return {
        "first_name": child.first_name,
        "last_name": child.last_name,
        "date_of_birth": child.date_of_birth.isoformat(),
        "postcode": child.postcode,
        "relationship": "young_person" if own else "parent",
        "contact_name": user.full_name,
        "contact_email": user.email,
        "setting_name": child.current_setting.name if child.current_setting else "",
        "setting_done": True,
        "reason": reason[:FAMILY_REASON_LIMIT],
        "from_support_plan": plan.pk,
    }
