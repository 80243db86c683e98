"""Writing an area's SEN2 return from live data, as a stream.

Who is in the return for year Y (collection period = calendar year Y-1, reference date R in
January of Y):

* every request received in the period;
* every request received earlier that was still open at the start of the period (not yet
  decided against, withdrawn, decided not to issue, or issued);
* every request whose plan was active on R or ceased in the period;
* every plan made before the area's records began (no request in EveryChild) that was active
  on R or ceased in the period, under a historical request (RequestOutcome H).

Each person's modules are written as they stood on R: anything dated after R is left out as not
yet having happened. Persons are found with one query and read in batches of `BATCH`, so memory
does not grow with the number of people; the file is written with lxml's incremental writer.
How each SEN2 item is made from EveryChild's records is in docs/decisions/0010-sen2-mapping.md.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.db.models import Prefetch, Q
from django.utils import timezone
from lxml import etree

from everychild.access.audit import AuditEvent, record_many
from everychild.access.models import AuditAction
from everychild.accounts.models import OrganisationKind, SettingType
from everychild.casework.clock import area_closures
from everychild.casework.facts import engine_facts, verdict
from everychild.casework.models import AdviceRequest, AssessmentRequest, Decision
from everychild.children.models import Child
from everychild.plans.models import EHCPlan
from everychild.returns.sen2 import spec

BATCH = 500
SOFTWARE_CODE = "EveryChild"


@dataclass
class ExportResult:
    persons: int = 0
    requests: int = 0
    active_plans: int = 0
    # The child behind each person, in file order (person 1 is child_ids[0]), when asked for:
    # otherwise nothing here grows with the number of people.
    child_ids: list[int] = field(default_factory=list)


def _on_or_before(day: date | None, reference: date) -> date | None:
    return day if day is not None and day <= reference else None


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


class _Window:
    """The return's dates, and the questions about them every record is asked."""

    def __init__(self, year: int, reference_date: date):
        self.year = year
        self.reference = reference_date
        self.start, self.end = spec.collection_period(year)

    def plan_counts(self, plan: EHCPlan | None) -> bool:
        """Active on the reference date, or ceased in the period."""
        if plan is None or plan.issued_on > self.reference:
            return False
        ceased = plan.ceased_on
        return ceased is None or ceased > self.reference or self.start <= ceased <= self.end

    def plan_active(self, plan: EHCPlan) -> bool:
        return plan.issued_on <= self.reference and (
            plan.ceased_on is None or plan.ceased_on > self.reference
        )

    def request_counts(self, request: AssessmentRequest, plan: EHCPlan | None) -> bool:
        if request.received_on > self.end:
            return False
        if request.received_on >= self.start or self.plan_counts(plan):
            return True
        start = self.start
        concluded = (
            (request.decision == Decision.NOT_ASSESS and request.decision_on and
             request.decision_on < start)
            or (request.withdrawn_on and request.withdrawn_on < start)
            or (request.decision_not_to_issue_on and request.decision_not_to_issue_on < start)
            or (request.final_plan_issued_on and request.final_plan_issued_on < start)
        )  # fmt: skip
        return not concluded

    def scope(self, area) -> Iterator[int]:
        """The ids of the children in the return, in order, from the database (a superset: a
        child whose records all turn out to be out of scope is skipped when written). Two
        plain queries joined by UNION: the database does the work, in constant memory here."""
        start, end, reference = self.start, self.end, self.reference
        plans = (
            EHCPlan.objects.filter(
                Q(ceased_on__isnull=True)
                | Q(ceased_on__gt=reference)
                | Q(ceased_on__range=(start, end)),
                area=area,
                issued_on__lte=reference,
            )
            .order_by()
            .values_list("child_id", flat=True)
        )
        not_concluded_before = (
            ~Q(decision=Decision.NOT_ASSESS, decision_on__lt=start)
            & ~Q(withdrawn_on__lt=start)
            & ~Q(decision_not_to_issue_on__lt=start)
            & ~Q(final_plan_issued_on__lt=start)
        )
        requests = (
            AssessmentRequest.objects.filter(area=area, received_on__lte=end)
            .filter(Q(received_on__gte=start) | not_concluded_before)
            .order_by()
            .values_list("child_id", flat=True)
        )
        yield from requests.union(plans).order_by("child_id").iterator(chunk_size=2000)


# --- Elements ------------------------------------------------------------------------------


def _module(element: str, values: dict, children: tuple = ()) -> etree._Element:
    """An element of the return with its items in the specification's order."""
    node = etree.Element(element)
    for item in spec.MODULES[element].items:
        value = values.get(item.name)
        if value is not None and value != "":
            etree.SubElement(node, item.name).text = str(value)
    for child in children:
        if child is not None:
            node.append(child)
    return node


def _setting_values(plan: EHCPlan) -> dict:
    """A setting as the plan names it: its URN or UKPRN, or an SEN2 setting code."""
    org = plan.setting
    if org is not None:
        if org.urn:
            resourced = "1" if org.setting_type == SettingType.RESOURCED_PROVISION else "0"
            return {spec.URN: org.urn, spec.SEN_UNIT: "0", spec.RESOURCED_PROVISION: resourced}
        if org.ukprn:
            return {spec.UKPRN: org.ukprn}
        if org.kind == OrganisationKind.EARLY_YEARS:
            return {spec.SEN_SETTING: "EYP"}
        return {spec.SEN_SETTING: "OTH", spec.SEN_SETTING_OTHER: org.name[:100]}
    return {spec.SEN_SETTING: plan.setting_code or "OTH"}


def setting_key(plan: EHCPlan) -> str:
    """Which setting a plan names, as a short key: what carried placements are checked
    against."""
    org = plan.setting
    if org is not None:
        if org.urn:
            return f"URN:{org.urn}"
        if org.ukprn:
            return f"UKPRN:{org.ukprn}"
        return f"ORG:{org.pk}"
    return f"SENSetting:{plan.setting_code}"


class _Writer:
    def __init__(self, area, window: _Window):
        self.area = area
        self.window = window
        self.closures = area_closures(area)

    # Modules 2-5 -------------------------------------------------------------------------

    def request(self, request: AssessmentRequest, plan: EHCPlan | None) -> etree._Element:
        reference = self.window.reference
        carried = getattr(request, "sen2_items", None)
        carried = carried.items if carried is not None else {}
        decided = _on_or_before(request.decision_on, reference)
        withdrawn = _on_or_before(request.withdrawn_on, reference)
        values = {
            spec.RECEIVED_DATE: _iso(request.received_on),
            spec.REQUEST_SOURCE: request.source,
            spec.RYA: carried.get(spec.RYA, "0"),
            spec.REQUEST_MEDIATION: carried.get(spec.REQUEST_MEDIATION, "0"),
            spec.REQUEST_TRIBUNAL: carried.get(spec.REQUEST_TRIBUNAL, "0"),
            spec.EXPORTED: carried.get(spec.EXPORTED, "0"),
        }
        assessment = None
        if decided and request.decision == Decision.ASSESS:
            values[spec.REQUEST_OUTCOME] = "Y"
            values[spec.REQUEST_OUTCOME_DATE] = _iso(decided)
            assessment = self.assessment(request, plan, carried)
        elif decided and request.decision == Decision.NOT_ASSESS:
            values[spec.REQUEST_OUTCOME] = "N"
            values[spec.REQUEST_OUTCOME_DATE] = _iso(decided)
        elif withdrawn:
            values[spec.REQUEST_OUTCOME] = "W"
            values[spec.REQUEST_OUTCOME_DATE] = _iso(withdrawn)
        else:
            values[spec.REQUEST_OUTCOME] = "A"
        active = None
        issued = assessment is not None and assessment.find(spec.NAMED_PLAN) is not None
        if issued and self.window.plan_active(plan):
            active = self.active_plans(plan)
        return _module(spec.REQUESTS, values, (assessment, active))

    def assessment(self, request, plan: EHCPlan | None, carried: dict) -> etree._Element:
        reference = self.window.reference
        final = _on_or_before(request.final_plan_issued_on, reference)
        draft = _on_or_before(request.draft_plan_served_on, reference)
        not_issuing = _on_or_before(request.decision_not_to_issue_on, reference)
        withdrawn = _on_or_before(request.withdrawn_on, reference)
        values = {
            spec.ASSESSMENT_MEDIATION: carried.get(spec.ASSESSMENT_MEDIATION, "0"),
            spec.ASSESSMENT_TRIBUNAL: carried.get(spec.ASSESSMENT_TRIBUNAL, "0"),
            spec.OTHER_MEDIATION: carried.get(spec.OTHER_MEDIATION, "0"),
            spec.OTHER_TRIBUNAL: carried.get(spec.OTHER_TRIBUNAL, "0"),
        }
        named = None
        if final is not None and plan is not None and plan.issued_on <= reference:
            # The decision to issue goes to the family with the draft plan.
            values[spec.ASSESSMENT_OUTCOME] = "Y"
            values[spec.ASSESSMENT_OUTCOME_DATE] = _iso(draft or final)
            if spec.WEEK20 in carried:
                values[spec.WEEK20] = carried[spec.WEEK20]
            else:
                values[spec.WEEK20] = "1" if self.week20(request) else "0"
            named = self.named_plan(plan)
        elif not_issuing is not None:
            values[spec.ASSESSMENT_OUTCOME] = "N"
            values[spec.ASSESSMENT_OUTCOME_DATE] = _iso(not_issuing)
        elif withdrawn is not None:
            values[spec.ASSESSMENT_OUTCOME] = "W"
            values[spec.ASSESSMENT_OUTCOME_DATE] = _iso(withdrawn)
        elif draft is not None:
            values[spec.ASSESSMENT_OUTCOME] = "Y"
            values[spec.ASSESSMENT_OUTCOME_DATE] = _iso(draft)
        else:
            values[spec.ASSESSMENT_OUTCOME] = "A"
        return _module(spec.ASSESSMENT, values, (named,))

    def week20(self, request: AssessmentRequest) -> bool:
        """Whether an exception applied to the final plan's clock: the very judgement the
        "excluding exceptions" measure makes, from casework's one translation of the case, on
        DfE's fixed counting (decision 0131)."""
        facts = engine_facts(
            request,
            advice=request.advice_requests.all(),
            exceptions=request.exceptions.all(),
            today=self.window.reference,
            closures=self.closures,
        )
        try:
            return verdict(facts, count_start_as_day_one=False).exceptions_apply
        except LookupError:  # a clock that started before the 2014 law: outside the engine
            return False

    def historical(self, plan: EHCPlan) -> etree._Element:
        """A plan made before the area's records began, under a historical request."""
        named = self.named_plan(plan)
        assessment = _module(spec.ASSESSMENT, {spec.ASSESSMENT_OUTCOME: "H"}, (named,))
        active = self.active_plans(plan) if self.window.plan_active(plan) else None
        return _module(spec.REQUESTS, {spec.REQUEST_OUTCOME: "H"}, (assessment, active))

    def _carried_plan(self, plan: EHCPlan):
        carried = getattr(plan, "sen2_items", None)
        if carried is None:
            return {}, None, None
        same_setting = carried.setting_key == setting_key(plan)
        return (
            carried.items,
            carried.plan_details if same_setting and carried.plan_details else None,
            carried.placement_details if same_setting and carried.placement_details else None,
        )

    def named_plan(self, plan: EHCPlan) -> etree._Element:
        items, plan_details, _ = self._carried_plan(plan)
        ceased = _on_or_before(plan.ceased_on, self.window.reference)
        values = {
            spec.START_DATE: _iso(plan.issued_on),
            spec.PLAN_RES: items.get(spec.PLAN_RES),
            spec.PLAN_WBP: items.get(spec.PLAN_WBP),
            spec.PB: items.get(spec.PB, "0"),
            spec.OA: items.get(spec.OA, "0"),
            spec.DP: items.get(spec.DP, "0"),
            spec.CEASE_DATE: _iso(ceased),
            spec.CEASE_REASON: plan.cease_reason if ceased else None,
        }
        if plan_details:
            details = tuple(_module(spec.PLAN_DETAIL, d) for d in plan_details)
        else:
            setting = _setting_values(plan)
            setting[spec.PLACEMENT_RANK] = "1"
            details = (_module(spec.PLAN_DETAIL, setting),)
        return _module(spec.NAMED_PLAN, values, details)

    def active_plans(self, plan: EHCPlan) -> etree._Element:
        items, _, placements = self._carried_plan(plan)
        review = _on_or_before(plan.last_review_meeting_on, self.window.reference)
        values = {
            spec.TRANSFER_LA: items.get(spec.TRANSFER_LA),
            spec.REVIEW_MEETING: _iso(review),
            spec.REVIEW_OUTCOME: items.get(spec.REVIEW_OUTCOME),
            spec.REVIEW_DRAFT: items.get(spec.REVIEW_DRAFT),
            spec.PHASE_TRANSFER_DUE_DATE: items.get(spec.PHASE_TRANSFER_DUE_DATE),
            spec.PHASE_TRANSFER_FINAL_DATE: items.get(spec.PHASE_TRANSFER_FINAL_DATE),
            spec.LAST_REVIEW: items.get(spec.LAST_REVIEW),
        }
        if placements:
            details = [_module(spec.PLACEMENT_DETAIL, p) for p in placements]
        else:
            setting = _setting_values(plan)
            setting[spec.PLACEMENT_RANK] = "1"
            details = [_module(spec.PLACEMENT_DETAIL, setting)]
        needs = [
            _module(spec.SEN_NEED, {spec.SEN_TYPE: plan.primary_need, spec.SEN_TYPE_RANK: "1"})
        ]
        if plan.secondary_need and plan.secondary_need != plan.primary_need:
            needs.append(
                _module(
                    spec.SEN_NEED, {spec.SEN_TYPE: plan.secondary_need, spec.SEN_TYPE_RANK: "2"}
                )
            )
        return _module(spec.ACTIVE_PLANS, values, (*details, *needs))

    # Module 1 ----------------------------------------------------------------------------

    def person(self, child: Child, requests: list, plans: list) -> etree._Element | None:
        window = self.window
        by_request = {p.assessment_request_id: p for p in plans if p.assessment_request_id}
        modules = []
        for request in requests:
            plan = by_request.get(request.pk)
            if window.request_counts(request, plan):
                modules.append((request.received_on, self.request(request, plan)))
        for plan in plans:
            if plan.assessment_request_id is None and window.plan_counts(plan):
                modules.append((plan.issued_on, self.historical(plan)))
        if not modules:
            return None
        modules.sort(key=lambda m: m[0])
        values = {
            spec.SURNAME: child.last_name,
            spec.FORENAME: child.first_name,
            spec.BIRTH_DATE: _iso(child.date_of_birth),
            spec.SEX: child.sex,
            spec.ETHNICITY: child.ethnicity,
            spec.POSTCODE: child.postcode,
            spec.UPN: child.upn,
            spec.ULN: child.uln,
            spec.UPN_UNKNOWN: child.upn_unknown_reason,
        }
        return _module(spec.PERSON, values, tuple(m for _, m in modules))

    # Module 0 ----------------------------------------------------------------------------

    def header(self, made_at: datetime) -> etree._Element:
        details = _module(
            spec.COLLECTION_DETAILS,
            {
                spec.COLLECTION: spec.COLLECTION_NAME,
                spec.YEAR: self.window.year,
                spec.REFERENCE_DATE: _iso(self.window.reference),
            },
        )
        source = _module(
            spec.SOURCE,
            {
                spec.SOURCE_LEVEL: "L",
                spec.LEA: self.area.old_la_code,
                spec.SOFTWARE_CODE: SOFTWARE_CODE,
                spec.RELEASE: settings.EVERYCHILD_VERSION,
                spec.SERIAL_NO: "1",
                spec.DATE_TIME: made_at.strftime("%Y-%m-%dT%H:%M:%S"),
            },
        )
        return _module(spec.HEADER, {}, (details, source))


def _batches(ids: Iterator[int], size: int) -> Iterator[list[int]]:
    batch: list[int] = []
    for child_id in ids:
        batch.append(child_id)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _read_batch(area, ids: list[int]):
    children = {
        c.pk: c
        for c in Child.objects.filter(pk__in=ids).only(
            "pk", "first_name", "last_name", "date_of_birth", "sex", "ethnicity", "postcode",
            "upn", "uln", "upn_unknown_reason",
        )
    }  # fmt: skip
    # Advice matters only to the Week20 judgement of a plan that was issued.
    advice = Prefetch(
        "advice_requests",
        queryset=AdviceRequest.objects.filter(
            assessment_request__final_plan_issued_on__isnull=False
        )
        .select_related("organisation")
        .only(
            "pk", "assessment_request_id", "kind", "received_by_body_on", "provided_on",
            "cancelled_on", "organisation__kind", "organisation__id",
        ),
    )  # fmt: skip
    requests = (
        AssessmentRequest.objects.filter(area=area, child_id__in=ids)
        .select_related("sen2_items")
        .prefetch_related(advice, "exceptions")
        .order_by("received_on", "pk")
    )
    plans = (
        EHCPlan.objects.filter(area=area, child_id__in=ids)
        .select_related("setting", "sen2_items")
        .order_by("issued_on", "pk")
    )
    by_child_requests: dict[int, list] = {i: [] for i in ids}
    for request in requests:
        by_child_requests[request.child_id].append(request)
    by_child_plans: dict[int, list] = {i: [] for i in ids}
    for plan in plans:
        by_child_plans[plan.child_id].append(plan)
    for child_id in ids:
        yield children[child_id], by_child_requests[child_id], by_child_plans[child_id]


def export_return(
    *,
    area,
    year: int,
    out,
    reference_date: date | None = None,
    actor=None,
    audit: bool = True,
    pretty: bool = True,
    keep_child_ids: bool = False,
    on_person: Callable[[Child, etree._Element], None] | None = None,
) -> ExportResult:
    """Write the area's return for `year` to `out` (a path or a binary file object).

    Every child written is audited as exported (with `actor`, or the system), in batches,
    unless `audit` is False because nothing leaves the system (the data team's checks, which
    audit the children they show)."""
    reference = reference_date or spec.default_reference_date(year)
    if reference.year != year:
        raise ValueError(f"The reference date of the {year} return must be in {year}.")
    window = _Window(year, reference)
    writer = _Writer(area, window)
    result = ExportResult()
    made_at = timezone.localtime()
    with etree.xmlfile(out, encoding="utf-8") as xf:
        xf.write_declaration()
        with xf.element(spec.MESSAGE):
            xf.write("\n")
            xf.write(writer.header(made_at), pretty_print=pretty)
            with xf.element(spec.PERSONS):
                xf.write("\n")
                for ids in _batches(window.scope(area), BATCH):
                    written = []
                    for child, requests, plans in _read_batch(area, ids):
                        person = writer.person(child, requests, plans)
                        if person is None:
                            continue
                        xf.write(person, pretty_print=pretty)
                        if not pretty:
                            xf.write("\n")
                        result.persons += 1
                        result.requests += len(person.findall(spec.REQUESTS))
                        result.active_plans += len(person.findall(f"*/{spec.ACTIVE_PLANS}"))
                        if keep_child_ids:
                            result.child_ids.append(child.pk)
                        written.append(child.pk)
                        if on_person is not None:
                            on_person(child, person)
                    if audit and written:
                        record_many(
                            AuditEvent(
                                action=AuditAction.EXPORT,
                                actor=actor,
                                child_id=child_id,
                                record_type=Child._meta.label,
                                record_id=str(child_id),
                                reason=f"SEN2 return {year}",
                            )
                            for child_id in written
                        )
            xf.write("\n")
    return result


__all__ = ["BATCH", "ExportResult", "export_return", "setting_key"]
