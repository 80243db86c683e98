"""Reads of the returns app: the SEN2 checks on an area's current data, for the data team.

The return is made from live data exactly as `sen2_export` makes it (but kept in a temporary
file, not audited as an export, since nothing leaves the system), every rule is run on it, and
each failure is traced back to the child and the caseworker of the child's latest request, so
the right person can fix the record. Each child shown is audited as seen.
"""

from __future__ import annotations

import tempfile
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date

from django.db.models import OuterRef, Subquery

from everychild.access import audit
from everychild.access.models import AuditAction
from everychild.access.policy import la_area_ids
from everychild.areas.models import Area
from everychild.casework.models import AssessmentRequest
from everychild.children.policy import visible_children
from everychild.returns.sen2 import rules, spec
from everychild.returns.sen2.export import export_return
from everychild.returns.sen2.validate import Failure, validate

NO_CASEWORKER = "No caseworker"
# Failures listed under each caseworker; the rest are counted (choose a check to see them all).
# Failures listed by name for each caseworker: a few of each when every check is listed, more
# when one check is chosen. At scale 5 (a council the size of Kent) a return had 6,353
# warnings: listing and auditing 100 for each of 52 caseworkers took over a second of CPU.
SHOWN_PER_CASEWORKER = 10
SHOWN_PER_CASEWORKER_ONE_CHECK = 25


def return_years(today: date) -> list[int]:
    """The returns worth checking: the one being prepared (next January's, from April) and the
    two before."""
    current = today.year + 1 if today.month >= 4 else today.year
    return [current, current - 1, current - 2]


@dataclass
class ShownFailure:
    failure: Failure
    child_id: int | None
    child_name: str
    rule_title: str


@dataclass
class RuleCount:
    code: str
    title: str
    severity: str
    message: str
    count: int


@dataclass
class CaseworkerGroup:
    name: str
    errors: int = 0
    warnings: int = 0
    failures: list[ShownFailure] = field(default_factory=list)
    not_shown: int = 0


@dataclass
class Checks:
    area: Area
    year: int
    reference_date: date
    persons: int
    errors: int
    warnings: int
    file_problem: str
    by_rule: list[RuleCount]
    by_caseworker: list[CaseworkerGroup]
    rule: str = ""  # the check whose failures are listed ("" for all)


def check_return(area: Area, year: int, progress=None) -> dict:
    """Make the area's return for `year` from current data and run every rule on it: the slow
    part of the checks, done as a background job (`returns.services.request_checks`). Returns
    what the checks found as JSON, with each failure tied to its child's key; no names, so
    nothing is seen, and so nothing audited, until someone opens the result (`checks_from`)."""
    reference = spec.default_reference_date(year)
    failures: list[Failure] = []
    problem = ""
    with tempfile.NamedTemporaryFile(suffix=".xml") as handle:
        if progress:
            progress(10, "Making the return from the records")
        result = export_return(
            area=area,
            year=year,
            reference_date=reference,
            out=handle,
            audit=False,
            keep_child_ids=True,
        )
        handle.flush()
        if progress:
            progress(50, f"Checking the return ({result.persons:,} children and young people)")
        try:
            outcome = validate(handle.name, failures.append, workers=1)
            persons, errors, warnings = outcome.persons, outcome.errors, outcome.warnings
        except Exception as error:  # the return EveryChild wrote cannot be read: say so
            problem = str(error)
            persons, errors, warnings = result.persons, 0, 0
    return {
        "area": area.pk,
        "year": year,
        "reference_date": reference.isoformat(),
        "persons": persons,
        "errors": errors,
        "warnings": warnings,
        "file_problem": problem,
        "failures": [
            {**asdict(f), "child_id": result.child_ids[f.person - 1] if f.person else None}
            for f in failures
        ],
    }


def checks_from(user, found: dict, *, area: Area, rule: str = "", request=None) -> Checks:
    """What `check_return` found, as the data team sees it: counted by check and by the
    caseworker of each child's latest request, the failures of `rule` (up to
    SHOWN_PER_CASEWORKER_ONE_CHECK a caseworker) or of every check (up to SHOWN_PER_CASEWORKER)
    listed with the child's name, each child listed audited."""
    if area.pk not in la_area_ids(user) or found["area"] != area.pk:
        raise PermissionError("Only the area's local authority staff can check its return.")
    year = found["year"]
    failures, child_ids = [], {}
    for item in found["failures"]:
        item = dict(item)
        child_id = item.pop("child_id")
        failure = Failure(**item)
        failures.append(failure)
        if failure.person:
            child_ids[failure.person] = child_id
    persons, errors, warnings = found["persons"], found["errors"], found["warnings"]
    problem = found["file_problem"]
    reference = date.fromisoformat(found["reference_date"])

    counts = Counter(f.code for f in failures)
    failures_listed = [f for f in failures if f.code == rule] if rule else failures
    children = {
        c.pk: c
        for c in visible_children(user)
        .filter(pk__in=set(child_ids.values()))
        .only("pk", "first_name", "last_name", "preferred_name")
    }
    latest_caseworker = (
        AssessmentRequest.objects.filter(child=OuterRef("pk"), area=area)
        .order_by("-received_on", "-pk")
        .values("caseworker__full_name")[:1]
    )
    caseworkers = dict(
        visible_children(user)
        .filter(pk__in=children)
        .annotate(worker=Subquery(latest_caseworker))
        .values_list("pk", "worker")
    )
    titles = rules.by_code()
    groups: dict[str, CaseworkerGroup] = defaultdict(lambda: CaseworkerGroup(""))
    listed = {id(f) for f in failures_listed}
    for failure in failures:
        child_id = child_ids.get(failure.person)
        child = children.get(child_id)
        worker = (caseworkers.get(child_id) if child else None) or NO_CASEWORKER
        group = groups[worker]
        group.name = worker
        if failure.is_error:
            group.errors += 1
        else:
            group.warnings += 1
        if id(failure) not in listed:
            continue
        group.failures.append(
            ShownFailure(
                failure=failure,
                child_id=child.pk if child else None,
                child_name=child.full_name if child else "",
                rule_title=titles[failure.code].title,
            )
        )
    by_rule = [
        RuleCount(code, titles[code].title, titles[code].severity, titles[code].message, n)
        for code, n in sorted(counts.items(), key=lambda kv: (titles[kv[0]].severity, kv[0]))
    ]
    ordered = sorted(
        groups.values(), key=lambda g: (g.name == NO_CASEWORKER, -g.errors, -g.warnings, g.name)
    )
    shown_children = set()
    each = SHOWN_PER_CASEWORKER_ONE_CHECK if rule else SHOWN_PER_CASEWORKER
    for group in ordered:
        group.failures.sort(key=lambda s: (not s.failure.is_error, s.child_name, s.failure.code))
        group.not_shown = max(0, len(group.failures) - each)
        del group.failures[each:]
        shown_children.update(s.child_id for s in group.failures if s.child_id)
    # Who saw whose name: one entry per child listed.
    audit.record_many(
        audit.AuditEvent(
            action=AuditAction.SEARCH,
            actor=user,
            child_id=child.pk,
            record_type="children.Child",
            record_id=str(child.pk),
            ip_address=audit.client_address(request),
            reason=f"SEN2 {year} checks",
        )
        for child in children.values()
        if child.pk in shown_children
    )
    return Checks(
        area=area,
        year=year,
        reference_date=reference,
        persons=persons,
        errors=errors,
        warnings=warnings,
        file_problem=problem,
        by_rule=by_rule,
        by_caseworker=ordered,
        rule=rule,
    )
