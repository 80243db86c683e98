"""Reads for the agency portal, the EP waiting list, its measures and its forecast.

Every list goes through `visible_advice_requests` (an agency sees only its own requests) and
every child shown is audited. Due dates and statuses come from the case's statutory clock
(`casework.clock`): the engine's "advice:<id>" milestone, with any reg 8(2) exception."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from django.core.paginator import Page, Paginator
from django.db.models import Min, Prefetch, QuerySet
from django.utils import timezone

from everychild.access import audit
from everychild.access.models import AuditAction
from everychild.access.policy import (
    advice_manager_organisation_ids,
    advice_organisation_ids,
    la_area_ids,
)
from everychild.accounts.models import Organisation, OrganisationKind
from everychild.advice import capacity as capacity_rules
from everychild.advice import forecasting
from everychild.advice.models import AdviceItem, AdviceWork, PriorityRule, Scenario
from everychild.areas.models import Area
from everychild.casework import clock
from everychild.casework.facts import CASE_FIELDS
from everychild.casework.models import AdviceRequest, AssessmentRequest, CaseException
from everychild.casework.policy import visible_advice_requests
from everychild.core.digits import ascii_digits

DUE_SOON_DAYS = 14
NO_RULE_RANK = 10**6  # a request no priority rule applies to comes after those with one

# The columns the clock reads of a case: the facts (facts.CASE_FIELDS) and its area.
_CLOCK_COLUMNS = ("area", *CASE_FIELDS)


@dataclass
class QueueRow:
    advice: AdviceRequest
    milestone: object  # the engine's Milestone, or None
    rules: list

    @property
    def due(self):
        return self.milestone.due if self.milestone else None

    @property
    def days_remaining(self):
        if self.advice.provided_on or self.milestone is None or self.milestone.due is None:
            return None
        return (self.milestone.due - timezone.localdate()).days

    @property
    def status(self) -> str:
        if self.advice.cancelled_on:
            return "cancelled"
        if self.advice.provided_on:
            return "submitted"
        if self.advice.assigned_to_id is None:
            return "unallocated"
        return "allocated"

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def clock_status(self) -> str:
        return self.milestone.status if self.milestone else ""

    @property
    def top_rank(self) -> int:
        return min((rule.rank for rule in self.rules), default=NO_RULE_RANK)


STATUS_LABELS = {
    "unallocated": "Not allocated",
    "allocated": "Allocated",
    "submitted": "Submitted",
    "cancelled": "Cancelled by the council",
}
SORTS = {
    "due": "Due date (soonest first)",
    "received": "Date received (oldest first)",
    "child": "Child's name",
}


def _base(user) -> QuerySet:
    """The requests sent to the user's own agencies (not the LA's view of its area)."""
    return (
        visible_advice_requests(user)
        .filter(organisation_id__in=advice_organisation_ids(user))
        .select_related(
            "assessment_request",
            "assessment_request__child",
            "assessment_request__caseworker",
            "assessment_request__area",
            "organisation",
            "assigned_to",
        )
    )


def _rows(
    advice_list: list[AdviceRequest], *, clocks: dict | None = None, advice_ids=None
) -> list[QueueRow]:
    """Rows for `advice_list`; `clocks` ({case id: CaseClock}) when already judged, and
    `advice_ids` (a subquery of their ids) to read their rules by it rather than by id."""
    if clocks is None:
        cases = {a.assessment_request_id: a.assessment_request for a in advice_list}
        clocks = clock.clocks_for(list(cases.values()))
    rules: dict[int, list] = {}
    if advice_ids is None:
        advice_ids = [a.pk for a in advice_list]
    for work in AdviceWork.objects.filter(advice_request_id__in=advice_ids).prefetch_related(
        "priority_rules"
    ):
        rules[work.advice_request_id] = list(work.priority_rules.all())
    return [
        QueueRow(
            advice=a,
            milestone=clocks[a.assessment_request_id].milestone(f"advice:{a.pk}"),
            rules=rules.get(a.pk, []),
        )
        for a in advice_list
    ]


def _filtered(user, *, show: str, query: str) -> QuerySet:
    """The queue's requests for `show` and `query` (see `queue`), unordered."""
    qs = _base(user).filter(cancelled_on__isnull=True)
    if show in ("open", "unallocated", "mine"):
        qs = qs.filter(provided_on__isnull=True)
    if show == "unallocated":
        qs = qs.filter(assigned_to__isnull=True)
    elif show == "mine":
        qs = qs.filter(assigned_to=user)
    elif show == "submitted":
        qs = qs.filter(provided_on__isnull=False)
    if query:
        qs = qs.filter(assessment_request__reference__icontains=query) | qs.filter(
            assessment_request__child__last_name__icontains=query,
            provided_on__isnull=True,
        )
    return qs


@dataclass
class _Order:
    """The queue's order, worked out from a few columns of every request (never a model per
    row), with the clocks of every case when the order needed them (sorting by due date)."""

    ids: list[int]
    clocks: dict | None  # {case id: CaseClock} or None when the order did not need them


def _order(user, *, show: str, sort: str, query: str) -> _Order:
    qs = _filtered(user, show=show, query=query)
    lean = list(
        qs.order_by()
        .distinct()
        .values_list(
            "pk",
            "assessment_request_id",
            "received_by_body_on",
            "assessment_request__child__last_name",
        )
    )
    if sort == "received":
        lean.sort(key=lambda r: (r[2], r[0]))
        return _Order([r[0] for r in lean], None)
    if sort == "child":
        lean.sort(key=lambda r: (r[3], r[0]))
        return _Order([r[0] for r in lean], None)
    # By due date: every case's clock is judged, as the order needs every due date. The cases
    # and their related rows are read with the queue's query as a subquery: the same few
    # queries however long the queue.
    source = AssessmentRequest.objects.filter(pk__in=qs.order_by().values("assessment_request_id"))
    cases = list(source.only(*_CLOCK_COLUMNS)) if lean else []
    clocks = clock.clocks_for(cases, source=source) if cases else {}
    ranks = dict(
        AdviceWork.objects.filter(
            advice_request_id__in=qs.order_by().values("pk"), priority_rules__isnull=False
        )
        .order_by()
        .values("advice_request_id")
        .annotate(top=Min("priority_rules__rank"))
        .values_list("advice_request_id", "top")
    )

    def key(r):
        milestone = clocks[r[1]].milestone(f"advice:{r[0]}")
        due = milestone.due if milestone is not None else None
        return _triage(due, ranks.get(r[0], NO_RULE_RANK), r[2], r[0])

    lean.sort(key=key)
    return _Order([r[0] for r in lean], clocks)


def _rows_of(user, ids: list[int], clocks: dict | None, *, source=None) -> list[QueueRow]:
    """The rows of the requests `ids` (in that order) with their models, clock and rules; the
    cases not already judged are judged. `source`, the queue's query when `ids` are all of
    it, reads them with it as a subquery (the same queries however long the queue)."""
    if not ids:
        return []
    if source is None:
        # A page: what its rows show (the case, child, caseworker and who has it), by id.
        found = (
            _base(user)
            .select_related(None)
            .select_related(
                "assessment_request__child", "assessment_request__caseworker", "assigned_to"
            )
            .in_bulk(ids)
        )
        advice_ids, cases_source = None, None
    else:
        found = {a.pk: a for a in source.distinct()}
        advice_ids = source.order_by().values("pk")
        cases_source = AssessmentRequest.objects.filter(
            pk__in=source.order_by().values("assessment_request_id")
        )
    # A request deleted since the order was worked out is left out; one whose case was not
    # judged with the others (it changed in between) is judged on its own.
    advice_list = [found[pk] for pk in ids if pk in found]
    cases = {a.assessment_request_id: a.assessment_request for a in advice_list}
    if clocks is None:
        clocks = clock.clocks_for(list(cases.values()), source=cases_source)
    missing = [case for pk, case in cases.items() if pk not in clocks]
    if missing:
        clocks = {**clocks, **clock.clocks_for(missing)}
    return _rows(advice_list, clocks=clocks, advice_ids=advice_ids)


def queue(user, *, show: str = "open", sort: str = "due", query: str = "") -> list[QueueRow]:
    """The agency's queue. `show`: open, unallocated, mine, submitted or all."""
    order = _order(user, show=show, sort=sort, query=query)
    return _rows_of(user, order.ids, order.clocks, source=_filtered(user, show=show, query=query))


QUEUE_PAGE_SIZE = 100


def queue_page(
    user,
    *,
    show: str = "open",
    sort: str = "due",
    query: str = "",
    page=None,
    per_page: int | None = None,
) -> Page:
    """One page of the agency's queue in the queue's order (`queue`): the order is worked out
    for every request, but only the page's rows are read in full (and their cases judged,
    unless the order needed every clock)."""
    order = _order(user, show=show, sort=sort, query=query)
    shown = Paginator(order.ids, per_page or QUEUE_PAGE_SIZE).get_page(page)
    shown.object_list = _rows_of(user, list(shown.object_list), order.clocks)
    return shown


def triage_key(row: QueueRow) -> tuple:
    """The EP waiting list's order: the statutory due date, then the service's highest
    priority rule that applies (rank 1 first), then the date received."""
    return _triage(row.due, row.top_rank, row.advice.received_by_body_on, row.advice.pk)


def _triage(due, top_rank: int, received, pk: int) -> tuple:
    return (due or dt.date.max, top_rank, received, pk)


def audit_listed(user, rows: list[QueueRow], *, request=None) -> None:
    """One audit entry per request shown in the agency's queue."""
    audit.record_shown(
        user,
        (
            (row.advice.assessment_request.child_id, "casework.AdviceRequest", str(row.advice.pk))
            for row in rows
        ),
        request=request,
        detail={"list": "advice_queue"},
    )


def advice_for_agency(user, advice_id, *, request=None) -> QueueRow:
    """One request of the user's own agency (AdviceRequest.DoesNotExist otherwise), audited."""
    advice = _base(user).filter(pk=advice_id).first() if ascii_digits(advice_id) else None
    if advice is None:
        raise AdviceRequest.DoesNotExist
    [row] = _rows([advice])
    audit.record(
        action=AuditAction.VIEW,
        actor=user,
        child=advice.assessment_request.child_id,
        record=advice,
        request=request,
        detail={"page": "advice_request"},
    )
    return row


def work_of(advice: AdviceRequest) -> AdviceWork | None:
    return (
        AdviceWork.objects.filter(advice_request=advice)
        .prefetch_related("items", "priority_rules")
        .first()
    )


def received_for_casework(user, advice_id, *, request=None) -> AdviceRequest:
    """Submitted advice as the LA's casework staff read it (their area's only), audited."""
    advice = (
        visible_advice_requests(user)
        .filter(assessment_request__area_id__in=la_area_ids(user), provided_on__isnull=False)
        .select_related("assessment_request", "assessment_request__child", "organisation")
        .filter(pk=advice_id)
        .first()
        if ascii_digits(advice_id)
        else None
    )
    if advice is None:
        raise AdviceRequest.DoesNotExist
    audit.record(
        action=AuditAction.VIEW,
        actor=user,
        child=advice.assessment_request.child_id,
        record=advice,
        request=request,
        detail={"page": "advice_received"},
    )
    return advice


def advice_received_for(assessment_request) -> QuerySet:
    """The advice submitted for a case through the agency portal, with its items (needs,
    outcomes and provision mapped to plan sections B-H), oldest first: for section K of the
    plan. The caller has already checked the reader may see the case."""
    return (
        AdviceWork.objects.filter(
            advice_request__assessment_request=assessment_request,
            submitted_on__isnull=False,
        )
        .select_related("advice_request", "advice_request__organisation", "submitted_by")
        .prefetch_related(Prefetch("items", queryset=AdviceItem.objects.order_by("section", "pk")))
        .order_by("submitted_on", "pk")
    )


# --- The EP waiting list ------------------------------------------------------------------------


def managed_services(user) -> QuerySet:
    return Organisation.objects.filter(pk__in=advice_manager_organisation_ids(user)).order_by(
        "name"
    )


def managed_service(user, organisation_id=None) -> Organisation | None:
    services = managed_services(user)
    if organisation_id is not None:
        return services.filter(pk=organisation_id).first()
    return services.filter(kind=OrganisationKind.EDUCATIONAL_PSYCHOLOGY).first() or services.first()


def rules_of(organisation) -> QuerySet:
    return PriorityRule.objects.filter(organisation=organisation, is_active=True)


def scenarios_of(organisation) -> QuerySet:
    return Scenario.objects.filter(organisation=organisation)


def _history(organisation, *, with_ids: bool = False) -> tuple:
    """The service's requests as arrays of day numbers: received, finished (answered or
    cancelled), provided; with their ids first if asked."""
    rows = list(
        AdviceRequest.objects.filter(organisation=organisation)
        .order_by("pk")
        .values_list("received_by_body_on", "provided_on", "cancelled_on", "pk")
    )
    far = dt.date.max.toordinal()
    received = np.array([r[0].toordinal() for r in rows], dtype=np.int64)
    finished = np.array(
        [min((d.toordinal() for d in r[1:3] if d is not None), default=far) for r in rows],
        dtype=np.int64,
    )
    provided = np.array([r[1].toordinal() if r[1] else far for r in rows], dtype=np.int64)
    if with_ids:
        return np.array([r[3] for r in rows], dtype=np.int64), received, finished, provided
    return received, finished, provided


def _excepted_ids(organisation) -> set[int]:
    return set(
        CaseException.objects.filter(advice_request__organisation=organisation).values_list(
            "advice_request_id", flat=True
        )
    )


def _due(received: np.ndarray, area) -> np.ndarray:
    """Due dates from the statutory engine, one call per distinct day received."""
    days = np.unique(received)
    due = {
        int(d): clock.advice_due(dt.date.fromordinal(int(d)), area=area).toordinal() for d in days
    }
    return np.array([due[int(d)] for d in received], dtype=np.int64)


@dataclass
class Measure:
    key: str
    label: str
    value: str
    definition: str


def measures(organisation, *, today: dt.date | None = None) -> dict:
    """The waiting list's measures, each with its definition (shown beside it on the page)."""
    today = today or timezone.localdate()
    t = today.toordinal()
    ids, received, finished, provided = _history(organisation, with_ids=True)
    area = organisation.area or _any_area(organisation)
    due = _due(received, area)
    open_now = (received <= t) & (finished > t)
    excepted = np.isin(ids, list(_excepted_ids(organisation)))
    overdue = open_now & (due < t) & ~excepted
    year_ago = t - 365
    done_recently = (provided <= t) & (provided > year_ago)
    waits = (provided - received)[done_recently]
    median = f"{np.median(waits):.0f} days" if waits.size else "No advice given in 12 months"
    p90 = f"{np.percentile(waits, 90):.0f} days" if waits.size else "No advice given in 12 months"
    arrivals = weekly_arrivals(received, today, 12)
    on_time = on_time_by_month(received, provided, due, excepted, today)
    return {
        "headline": [
            Measure(
                "open",
                "Open requests",
                f"{int(open_now.sum()):,}",
                "Requests for advice the service has received and not yet answered or had "
                "cancelled, today.",
            ),
            Measure(
                "overdue",
                "Overdue requests (the backlog)",
                f"{int(overdue.sum()):,}",
                "Open requests past their due date (6 weeks from the day the service received "
                "the request, reg 8(1), from the statutory engine), leaving out those with a "
                "recorded reg 8(2) exception.",
            ),
            Measure(
                "median_wait",
                "Median wait",
                median,
                "Days from the service receiving the request to the advice being submitted, "
                "for advice submitted in the last 12 months: the middle value.",
            ),
            Measure(
                "p90_wait",
                "90th-percentile wait",
                p90,
                "As the median wait, but the value 9 in 10 waits are at or below.",
            ),
        ],
        "on_time": on_time,
        "on_time_definition": (
            "Of the advice submitted in each month, the share submitted on or before its due "
            "date. Requests with a recorded reg 8(2) exception are left out of both counts."
        ),
        "arrivals": arrivals,
        "arrivals_definition": (
            "Requests the service received in each week (Monday to Sunday), by the date it "
            "received them, for the last 12 weeks."
        ),
    }


def _any_area(organisation):
    return Area.objects.order_by("pk").first()


def weekly_arrivals(received: np.ndarray, today: dt.date, weeks: int) -> list[dict]:
    monday = capacity_rules.week_start(today)
    out = []
    for i in range(weeks - 1, -1, -1):
        start = monday - dt.timedelta(weeks=i)
        s = start.toordinal()
        out.append({"week": start, "count": int(((received >= s) & (received < s + 7)).sum())})
    return out


def on_time_by_month(received, provided, due, excepted, today, months: int = 12) -> list[dict]:
    out = []
    year, month = today.year, today.month
    for _ in range(months):
        first = dt.date(year, month, 1)
        nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
        in_month = (provided >= first.toordinal()) & (provided < nxt.toordinal()) & ~excepted
        total = int(in_month.sum())
        in_time = int((in_month & (provided <= due)).sum())
        out.append(
            {
                "month": first,
                "submitted": total,
                "on_time": in_time,
                "rate": f"{100 * in_time / total:.0f}%" if total else "None submitted",
            }
        )
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return list(reversed(out))


# --- Forecast inputs ---------------------------------------------------------------------------


def arrivals_before(received: np.ndarray, end: dt.date, weeks: int) -> np.ndarray:
    """Arrivals in each of the `weeks` whole weeks that end on `end` (oldest first)."""
    e = end.toordinal()
    starts = e - 7 * np.arange(weeks, 0, -1) + 1
    return np.array([((received >= s) & (received < s + 7)).sum() for s in starts], dtype=float)


def waiting_ages(received, finished, on: dt.date) -> np.ndarray:
    t = on.toordinal()
    waiting = (received <= t) & (finished > t)
    return (t - received[waiting]) // 7


def history_weeks(received: np.ndarray, today: dt.date) -> int:
    if not received.size:
        return 0
    return int((today.toordinal() - int(received.min())) // 7)


@dataclass
class ForecastInputs:
    arrivals: np.ndarray
    ages: np.ndarray
    capacity: np.ndarray
    history_weeks: int
    first_week: dt.date


def forecast_inputs(organisation, *, today: dt.date | None = None) -> ForecastInputs:
    today = today or timezone.localdate()
    received, finished, _ = _history(organisation)
    weeks = history_weeks(received, today)
    arrivals = arrivals_before(received, today, min(max(weeks, 0), forecasting.HISTORY_WEEKS))
    capacity = np.array(
        capacity_rules.weekly(
            organisation.pk, today + dt.timedelta(days=1), forecasting.HORIZON_WEEKS
        )
    )
    return ForecastInputs(
        arrivals=arrivals,
        ages=waiting_ages(received, finished, today),
        capacity=capacity,
        history_weeks=weeks,
        first_week=capacity_rules.week_start(today + dt.timedelta(days=1)),
    )


def scenario_capacity(base: np.ndarray, first_week: dt.date, scenario) -> np.ndarray:
    boosted = base.copy()
    for i in range(len(boosted)):
        monday = first_week + dt.timedelta(weeks=i)
        sunday = monday + dt.timedelta(days=6)
        if sunday >= scenario.starts_on and (
            scenario.ends_on is None or monday <= scenario.ends_on
        ):
            boosted[i] += float(scenario.extra_per_week)
    return np.maximum(boosted, 0.0)


def backtest(organisation, *, today: dt.date | None = None) -> dict:
    """How well the method would have forecast the last 13 weeks' backlog from the 52 weeks
    before them, with the capacity configured for those weeks: mean absolute error."""
    today = today or timezone.localdate()
    received, finished, _ = _history(organisation)
    needed = forecasting.HISTORY_WEEKS + forecasting.BACKTEST_WEEKS
    weeks = history_weeks(received, today)
    if weeks < needed:
        return {
            "ok": False,
            "message": f"The back-test needs {needed} weeks of requests on record (15 months); "
            f"there are {weeks}.",
        }
    start = today - dt.timedelta(weeks=forecasting.BACKTEST_WEEKS)
    actual = []
    for i in range(1, forecasting.BACKTEST_WEEKS + 1):
        day = start + dt.timedelta(weeks=i)
        actual.append(int((waiting_ages(received, finished, day) >= forecasting.LIMIT_WEEKS).sum()))
    capacity = np.array(
        capacity_rules.weekly(
            organisation.pk, start + dt.timedelta(days=1), forecasting.BACKTEST_WEEKS
        )
    )
    mae = forecasting.backtest(
        arrivals=arrivals_before(received, start, forecasting.HISTORY_WEEKS),
        waiting_ages=waiting_ages(received, finished, start),
        capacity=capacity,
        actual_backlog=actual,
    )
    mean_actual = float(np.mean(actual)) if actual else 0.0
    return {
        "ok": True,
        "mae": mae,
        "mean_actual": mean_actual,
        "from": start,
        "to": today,
        "actual": actual,
    }


@dataclass
class ForecastView:
    """A forecast ready to show: the result, or why there is none."""

    result: forecasting.ForecastResult | None
    first_week: dt.date
    error: str = ""
    scenario: Scenario | None = None

    @property
    def weeks(self) -> int:
        """The weeks forecast (the horizon)."""
        return len(self.result.central) - 1 if self.result else forecasting.HORIZON_WEEKS

    @property
    def clears_on(self) -> dt.date | None:
        """The end of the week from which the backlog stays cleared to the end of the
        horizon (forecasting.cleared_from, in half the runs); None if it does not."""
        return self._date(self.result.clears_week) if self.result else None

    @property
    def clear_now(self) -> bool:
        """No backlog now, and none in half the runs for the whole horizon."""
        return self.result is not None and self.result.clears_week == 0

    def _date(self, week: int | None) -> dt.date | None:
        if week is None:
            return None
        return self.first_week + dt.timedelta(weeks=week) - dt.timedelta(days=1)

    @property
    def clears_early_on(self):
        return self._date(self.result.clears_early) if self.result else None

    @property
    def clears_late_on(self):
        return self._date(self.result.clears_late) if self.result else None

    def rows(self) -> list[dict]:
        if self.result is None:
            return []
        r = self.result
        return [
            {
                "week": i,
                "ending": self.first_week + dt.timedelta(weeks=i) - dt.timedelta(days=1),
                "central": float(r.central[i]),
                "low": float(r.low[i]),
                "high": float(r.high[i]),
                "waiting": float(r.waiting[i]),
                "capacity": float(r.capacity[i - 1]) if i else None,
            }
            for i in range(len(r.central))
        ]


def forecast(
    organisation, *, scenario: Scenario | None = None, today=None, inputs=None
) -> ForecastView:
    inputs = inputs or forecast_inputs(organisation, today=today)
    capacity = inputs.capacity
    if scenario is not None:
        capacity = scenario_capacity(capacity, inputs.first_week, scenario)
    try:
        result = forecasting.simulate(
            arrivals=inputs.arrivals, waiting_ages=inputs.ages, capacity=capacity
        )
    except forecasting.TooLittleHistory:
        return ForecastView(
            None,
            inputs.first_week,
            error=str(forecasting.TooLittleHistory(inputs.history_weeks)),
            scenario=scenario,
        )
    return ForecastView(result, inputs.first_week, scenario=scenario)


def goal_seek(organisation, *, by: dt.date, starting: dt.date | None = None, today=None) -> dict:
    """The extra assessments a week needed (from `starting`) to clear the backlog by `by`."""
    today = today or timezone.localdate()
    inputs = forecast_inputs(organisation, today=today)
    if inputs.history_weeks < forecasting.HISTORY_WEEKS:
        return {"ok": False, "message": str(forecasting.TooLittleHistory(inputs.history_weeks))}
    starting = starting or inputs.first_week
    by_week = (by - inputs.first_week).days // 7 + 1
    from_week = max(0, (starting - inputs.first_week).days // 7)
    extra = forecasting.capacity_to_clear(
        arrivals=inputs.arrivals,
        waiting_ages=inputs.ages,
        capacity=inputs.capacity,
        by_week=by_week,
        from_week=from_week,
    )
    base = float(np.mean(inputs.capacity[from_week:])) if len(inputs.capacity) else 0.0
    return {"ok": True, "extra": extra, "base": base, "by": by, "starting": starting}
