"""A support plan as a file, so it can move with a child to a setting outside the area (or
come in from one): the plan's needs, outcomes, provision, views and its assess-plan-do-review
cycles, as JSON (format "everychild-support-plan", version 1). The child's identity is not in
the file: the receiving SENCO attaches it to their own pupil.

Importing is all or nothing: every problem is reported with where it is in the file
("cycles[2].review_due"), and nothing is written unless there are none."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from everychild.access import audit
from everychild.access.models import AuditAction
from everychild.children.codes import NeedType
from everychild.core.dates import today
from everychild.support.models import OutcomeResult, SupportCycle, SupportPlan
from everychild.support.policy import writable_setting_ids
from everychild.support.thread import ID_PREFIX, ITEM_LISTS, PROVISION_FIELDS, RETIRED

FORMAT = "everychild-support-plan"
VERSION = 1
MAX_TEXT = 5000
MAX_ITEMS = 200


def export_document(plan: SupportPlan) -> dict:
    return {
        "format": FORMAT,
        "version": VERSION,
        "started_on": plan.started_on.isoformat(),
        "started_by_setting": plan.started_by_setting.name,
        "primary_need": plan.primary_need,
        "secondary_need": plan.secondary_need,
        "child_views": plan.child_views,
        "family_views": plan.family_views,
        "outside_involvement": plan.outside_involvement,
        "needs": plan.thread.get("needs", []),
        "outcomes": plan.thread.get("outcomes", []),
        "provision": plan.thread.get("provision", []),
        "cycles": [
            {
                "number": c.number,
                "started_on": c.started_on.isoformat(),
                "assessed": c.assessed,
                "planned": c.planned,
                "done": c.done,
                "review_due": c.review_due.isoformat(),
                "reviewed_on": c.reviewed_on.isoformat() if c.reviewed_on else None,
                "review_results": c.review_results,
                "review_summary": c.review_summary,
            }
            for c in plan.cycles.order_by("number")
        ],
    }


class _Reader:
    """Collects every problem with its place in the file."""

    def __init__(self):
        self.problems: list[str] = []

    def problem(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    def text(self, value, where: str, *, required: bool = False) -> str:
        if value is None:
            value = ""
        if not isinstance(value, str):
            self.problem(where, "must be text")
            return ""
        value = value.strip()
        if required and not value:
            self.problem(where, "is missing")
        if len(value) > MAX_TEXT:
            self.problem(where, f"is longer than {MAX_TEXT} characters")
        return value

    def date(self, value, where: str, *, required: bool = True) -> dt.date | None:
        if value in (None, "") and not required:
            return None
        try:
            day = dt.date.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            day = None
        if day is None:
            self.problem(where, "must be a date written as YYYY-MM-DD")
        return day

    def items(self, document: dict, kind: str) -> list[dict]:
        raw = document.get(kind, [])
        if not isinstance(raw, list) or len(raw) > MAX_ITEMS:
            self.problem(kind, f"must be a list of at most {MAX_ITEMS} items")
            return []
        found = []
        for index, item in enumerate(raw):
            where = f"{kind}[{index}]"
            if not isinstance(item, dict):
                self.problem(where, "must be an object")
                continue
            item_id = item.get("id")
            if not isinstance(item_id, str) or not item_id.startswith(ID_PREFIX[kind]):
                self.problem(f"{where}.id", f"must be an id starting {ID_PREFIX[kind]!r}")
            clean = {"id": item_id}
            # When it was added (kept, so what a past setting may read stays as it was).
            added = self.date(item.get("added_on"), f"{where}.added_on", required=False)
            if added is not None:
                clean["added_on"] = added.isoformat()
            if kind == "provision":
                clean["what"] = self.text(item.get("what"), f"{where}.what", required=True)
                for field in PROVISION_FIELDS:
                    clean[field] = self.text(item.get(field), f"{where}.{field}")
                clean["outcomes"] = item.get("outcomes", [])
            else:
                clean["text"] = self.text(item.get("text"), f"{where}.text", required=True)
            if kind == "outcomes":
                clean["needs"] = item.get("needs", [])
                clean["by_when"] = self.text(item.get("by_when"), f"{where}.by_when")
                clean["measured_by"] = self.text(item.get("measured_by"), f"{where}.measured_by")
            found.append(clean)
        return found


def read_document(document) -> tuple[dict, list[str]]:
    """The plan's fields and cycles from a document, and every problem found."""
    reader = _Reader()
    if not isinstance(document, dict):
        return {}, ["The file is not a support plan (it must be one JSON object)."]
    if document.get("format") != FORMAT or document.get("version") != VERSION:
        return {}, [f"The file is not a support plan in {FORMAT} version {VERSION}."]
    plan = {
        "started_on": reader.date(document.get("started_on"), "started_on"),
        "primary_need": document.get("primary_need"),
        "secondary_need": document.get("secondary_need") or "",
        "child_views": reader.text(document.get("child_views"), "child_views"),
        "family_views": reader.text(document.get("family_views"), "family_views"),
        "outside_involvement": reader.text(
            document.get("outside_involvement"), "outside_involvement"
        ),
    }
    if plan["primary_need"] not in NeedType.values:
        reader.problem("primary_need", "must be one of DfE's need codes")
    if plan["secondary_need"] and plan["secondary_need"] not in NeedType.values:
        reader.problem("secondary_need", "must be one of DfE's need codes, or empty")
    thread = {kind: reader.items(document, kind) for kind in ITEM_LISTS}
    ids = [i["id"] for kind in ITEM_LISTS for i in thread[kind]]
    if len(ids) != len(set(ids)):
        reader.problem("needs/outcomes/provision", "an id is used twice")
    needs = {i["id"] for i in thread["needs"]}
    outcomes = {i["id"] for i in thread["outcomes"]}
    for index, outcome in enumerate(thread["outcomes"]):
        if not isinstance(outcome["needs"], list) or not set(outcome["needs"]) <= needs:
            reader.problem(f"outcomes[{index}].needs", "must list needs of this plan")
    for index, line in enumerate(thread["provision"]):
        if not isinstance(line["outcomes"], list) or not set(line["outcomes"]) <= outcomes:
            reader.problem(f"provision[{index}].outcomes", "must list outcomes of this plan")
    cycles = []
    raw_cycles = document.get("cycles", [])
    if not isinstance(raw_cycles, list) or len(raw_cycles) > MAX_ITEMS:
        reader.problem("cycles", f"must be a list of at most {MAX_ITEMS} cycles")
        raw_cycles = []
    for index, raw in enumerate(raw_cycles):
        where = f"cycles[{index}]"
        if not isinstance(raw, dict):
            reader.problem(where, "must be an object")
            continue
        cycle = {
            "number": index + 1,
            "started_on": reader.date(raw.get("started_on"), f"{where}.started_on"),
            "assessed": reader.text(raw.get("assessed"), f"{where}.assessed", required=True),
            "planned": reader.text(raw.get("planned"), f"{where}.planned", required=True),
            "done": reader.text(raw.get("done"), f"{where}.done"),
            "review_due": reader.date(raw.get("review_due"), f"{where}.review_due"),
            "reviewed_on": reader.date(
                raw.get("reviewed_on"), f"{where}.reviewed_on", required=False
            ),
            "review_summary": reader.text(raw.get("review_summary"), f"{where}.review_summary"),
            "review_results": raw.get("review_results") or {},
        }
        results = cycle["review_results"]
        if not isinstance(results, dict) or any(
            not isinstance(v, dict) or v.get("result") not in OutcomeResult.values
            for v in results.values()
        ):
            reader.problem(f"{where}.review_results", "must give a known result per outcome")
        if (
            cycle["started_on"]
            and cycle["review_due"]
            and cycle["review_due"] <= cycle["started_on"]
        ):
            reader.problem(f"{where}.review_due", "must be after the cycle started")
        if index < len(raw_cycles) - 1 and cycle["reviewed_on"] is None:
            reader.problem(f"{where}.reviewed_on", "only the last cycle may be unreviewed")
        cycles.append(cycle)
    for key in ("started_on",):
        if plan[key] and plan[key] > today():
            reader.problem(key, "cannot be in the future")
    # Outcomes the earlier setting reviewed and then removed: their ids stay taken here too.
    reviewed = {key for cycle in cycles for key in cycle["review_results"] if isinstance(key, str)}
    thread[RETIRED] = sorted(reviewed - set(ids))
    return {"plan": plan, "thread": thread, "cycles": cycles}, reader.problems


def import_document(*, actor, child, document, request=None) -> SupportPlan:
    """A support plan from another setting's file, for a pupil of the actor's setting with no
    open plan. All or nothing: a ValidationError lists every problem."""
    if child.current_setting_id not in writable_setting_ids(actor):
        raise PermissionDenied("Only the SENCO of the child's own setting can import a plan.")
    read, problems = read_document(document)
    if problems:
        raise ValidationError({"file": problems})
    with transaction.atomic():
        if SupportPlan.objects.filter(child=child, ended_on__isnull=True).exists():
            raise ValidationError({"child": ["This child already has an open support plan."]})
        plan = SupportPlan.objects.create(
            child=child,
            area_id=child.area_id,
            started_by_setting_id=child.current_setting_id,
            thread=read["thread"],
            created_by=actor,
            **read["plan"],
        )
        SupportCycle.objects.bulk_create(
            [SupportCycle(plan=plan, created_by=actor, **cycle) for cycle in read["cycles"]]
        )
        audit.record(
            action=AuditAction.CREATE,
            actor=actor,
            child=child.pk,
            record=plan,
            request=request,
            detail={"step": "support_plan_imported", "cycles": len(read["cycles"])},
        )
    return plan
