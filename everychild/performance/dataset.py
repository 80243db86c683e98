"""The area's casework, loaded set-wise for the measures: a handful of queries for the whole
area, then plain Python objects, each case judged once by the statutory engine.

Every measure reads these rows (never the database), so a dashboard of a dozen measures over
seven years costs the same few queries as one figure. The engine is the only judge of a time
limit: whether a plan met its 20 weeks, whether an exception lifts the limit, whether a
decision came within 6 weeks (everychild.statutory; ARCHITECTURE.md principle 1).
"""

from __future__ import annotations

import hashlib
import marshal
import time
import uuid
import zlib
from collections import defaultdict
from dataclasses import dataclass, field, fields
from datetime import date, timedelta

from django.core.cache import cache
from django.db import connections
from django.db.models import CharField, F, Func, Q

from everychild.accounts.models import OrganisationKind, SettingType
from everychild.areas.models import Area
from everychild.casework.clock import area_closures
from everychild.casework.facts import engine_facts, verdict
from everychild.casework.models import AdviceKind, AssessmentRequest, CaseException, Decision
from everychild.casework.models import AdviceRequest as AdviceRequestModel
from everychild.performance import changes
from everychild.plans.models import AnnualReview, Disagreement, EHCPlan, SettingCode
from everychild.statutory import deadlines

DAY = timedelta(days=1)

# Advice asked of a school or setting: a closure can lift the 6 and 20 weeks.
_SETTING_KINDS = {OrganisationKind.SCHOOL, OrganisationKind.COLLEGE, OrganisationKind.EARLY_YEARS}

# Placement groups as DfE's caseload tables group them (caseload.csv: mainstream_total,
# special_total, ap_pru_total, fe_total, ed_elsewhere, nm_early_years).
PLACEMENT_GROUPS = {
    "mainstream": "Mainstream school (including resourced provision and SEN units)",
    "special": "Special school (maintained, academy, independent or non-maintained)",
    "ap": "Alternative provision or pupil referral unit",
    "post16": "Further education or specialist post-16",
    "early_years": "Early years provider",
    "elsewhere": "Educated elsewhere, elective home education, NEET or not in education",
}
# Short names for charts' axes.
PLACEMENT_SHORT = {
    "mainstream": "Mainstream school",
    "special": "Special school",
    "ap": "Alternative provision",
    "post16": "Further education, post-16",
    "early_years": "Early years",
    "elsewhere": "Educated elsewhere, NEET",
}
_PLACEMENT_OF_SETTING = {
    SettingType.MAINSTREAM: "mainstream",
    SettingType.RESOURCED_PROVISION: "mainstream",
    SettingType.MAINTAINED_SPECIAL: "special",
    SettingType.ACADEMY_SPECIAL: "special",
    SettingType.INDEPENDENT_SPECIAL: "special",
    SettingType.ALTERNATIVE_PROVISION: "ap",
    SettingType.FE_COLLEGE: "post16",
    SettingType.SPECIALIST_POST16: "post16",
    SettingType.EARLY_YEARS: "early_years",
}
_PLACEMENT_OF_CODE = {SettingCode.EYP: "early_years"}  # every other code: "elsewhere"

AGE_GROUPS = {
    "under-5": ("Under 5", 0, 4),
    "5-10": ("5 to 10", 5, 10),
    "11-15": ("11 to 15", 11, 15),
    "16-19": ("16 to 19", 16, 19),
    "20-25": ("20 to 25", 20, 25),
}


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def age_group(born: date, day: date) -> str:
    age = age_on(born, day)
    for key, (_, low, high) in AGE_GROUPS.items():
        if low <= age <= high:
            return key
    return "20-25" if age > 25 else "under-5"


def placement_group(setting_type: str | None, setting_code: str) -> str:
    if setting_type:
        return _PLACEMENT_OF_SETTING.get(setting_type, "elsewhere")
    return _PLACEMENT_OF_CODE.get(setting_code, "elsewhere")


@dataclass(slots=True)
class Case:
    """A request for an EHC needs assessment, with the engine's verdicts on its clock."""

    id: int
    child_id: int
    reference: str
    received_on: date
    born: date
    caseworker_id: int | None
    setting_id: int | None  # the setting the plan names, else the child's current setting
    decision: str
    decision_on: date | None
    draft_on: date | None
    final_on: date | None
    not_issued_on: date | None
    withdrawn_on: date | None
    primary_need: str = ""  # the plan's, once one is issued
    decision_due: date | None = None
    decision_status: str = ""
    final_due: date | None = None
    final_status: str = ""
    # SEN2 Week20: an exception to the final plan's limit applies to the case (reg 13(3),
    # 10(4); reg 27(3) for a re-assessment).
    exceptions_apply: bool = False
    # A re-assessment (reg 24-27): judged on 15 days and 14 weeks, and not a new plan for
    # DfE's 20-week and 6-week figures.
    reassessment: bool = False

    @property
    def closed_on(self) -> date | None:
        """The day the assessment process ended, however it ended."""
        if self.decision == Decision.NOT_ASSESS:
            return self.decision_on
        return self.final_on or self.not_issued_on or self.withdrawn_on


@dataclass(slots=True)
class Plan:
    id: int
    child_id: int
    case_id: int | None
    issued_on: date
    ceased_on: date | None
    born: date
    primary_need: str
    setting_id: int | None
    placement: str
    last_review_meeting_on: date | None
    caseworker_id: int | None
    # A plan transferred in from another council (reg 15): the transfer, or the move until the
    # plan arrives (plans.clock.transferred_on).
    transferred_on: date | None = None


@dataclass(slots=True)
class Advice:
    """A request for psychological advice (the EP service)."""

    id: int
    case_id: int
    organisation_id: int
    received_on: date
    provided_on: date | None
    cancelled_on: date | None
    due: date
    born: date
    caseworker_id: int | None
    setting_id: int | None
    primary_need: str


@dataclass(slots=True)
class Review:
    """An annual review: its meeting and the local authority's decision (reg 20(10))."""

    id: int
    plan_id: int
    meeting_on: date | None
    decision_on: date | None


@dataclass(slots=True)
class Dispute:
    """A disagreement: mediation, an appeal to the Tribunal and its outcome (regs 32-44)."""

    id: int
    plan_id: int | None
    child_id: int
    decision_letter_on: date
    mediation_held_on: date | None
    appeal_registered_on: date | None
    conceded_on: date | None
    outcome: str
    outcome_on: date | None


@dataclass
class AreaData:
    area: object
    today: date
    cases: list[Case] = field(default_factory=list)
    plans: list[Plan] = field(default_factory=list)
    ep_advice: list[Advice] = field(default_factory=list)
    reviews: list[Review] = field(default_factory=list)
    disputes: list[Dispute] = field(default_factory=list)
    # Each measure's events or spans, made once for this data (see measures.base).
    memo: dict = field(default_factory=dict, repr=False)
    # The filters this data was limited by, and the area's SEN support records once a support
    # measure has read them (performance.support_data).
    filters: object = field(default=None, repr=False)
    support: object = field(default=None, repr=False)
    # For the area's whole data at a change stamp: the cache key under which the measures'
    # figures made from it are shared with other processes (share_figures); "" for data
    # limited by filters or read row by row, whose figures stay in this process.
    shared_as: str = field(default="", repr=False)

    def filtered(self, filters) -> AreaData:
        """The same data limited by the filters (everychild.performance.filters.Filters)."""
        if filters is None or filters.is_empty:
            return self
        cases = [c for c in self.cases if filters.keeps_case(c)]
        plans = [p for p in self.plans if filters.keeps_plan(p, self.today)]
        plan_ids = {p.id for p in plans}
        child_ids = {c.child_id for c in cases}
        return AreaData(
            area=self.area,
            today=self.today,
            filters=filters,
            cases=cases,
            plans=plans,
            ep_advice=[a for a in self.ep_advice if filters.keeps_advice(a)],
            reviews=[r for r in self.reviews if r.plan_id in plan_ids],
            # A disagreement about a plan goes with the plan; one about a refusal to assess
            # (no plan yet) with the child's case.
            disputes=[
                d
                for d in self.disputes
                if (d.plan_id in plan_ids if d.plan_id else d.child_id in child_ids)
            ],
        )


def closures_of(area) -> tuple:
    """The area's setting closures as the engine takes them (casework's one parsed tuple for
    the area: the engine memoises the closure windows by the tuple's identity)."""
    return area_closures(area)


@dataclass
class _Rows:
    """A query's rows as the driver gave them, and which columns hold dates."""

    rows: list[tuple]
    date_columns: tuple[int, ...]
    as_text: bool  # the dates came back as ISO text (SQLite)

    def converted(self) -> list[tuple]:
        """The rows with every date a `date`, each distinct text parsed once."""
        if not self.as_text or not self.date_columns:
            return self.rows
        rows, columns = self.rows, self.date_columns
        known: dict = {None: None}
        for text in {row[i] for row in rows for i in columns}:
            if text is not None:
                known[text] = date.fromisoformat(text)
        if len(columns) == 1:
            (i,) = columns
            return [(*row[:i], known[row[i]], *row[i + 1 :]) for row in rows]
        out = []
        for row in rows:
            row = list(row)
            for i in columns:
                row[i] = known[row[i]]
            out.append(tuple(row))
        return out


def _rows(queryset, fields: tuple[str, ...]) -> _Rows:
    """values_list(*fields), faster: the driver's rows as they come. On SQLite the date columns
    are read as text (`|| ''` hides their declared type from the driver) and made dates only
    when the rows are built (_Rows.converted), because parsing ~100,000 dates one by one
    through the driver's and Django's converters was most of a dashboard's time. PostgreSQL's
    driver hands back dates already."""
    connection = connections[queryset.db]
    model = queryset.model
    date_columns = []
    selected = []
    annotations = {}
    as_text = connection.vendor == "sqlite"
    for index, name in enumerate(fields):
        target = model
        parts = name.split("__")
        for part in parts[:-1]:
            target = target._meta.get_field(part).related_model
        if target._meta.get_field(parts[-1]).get_internal_type() == "DateField":
            date_columns.append(index)
            if as_text:
                alias = f"performance_text_{index}"
                annotations[alias] = Func(
                    F(name), template="(%(expressions)s || '')", output_field=CharField()
                )
                selected.append(alias)
                continue
        selected.append(name)
    if annotations:
        queryset = queryset.annotate(**annotations)
    sql, params = queryset.values_list(*selected).query.get_compiler(using=queryset.db).as_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return _Rows(rows, tuple(date_columns), as_text)


# Verdicts by the facts they were computed from: a pure function, so a case whose facts have
# not changed is not judged again on the next page view (the facts include today).
_VERDICTS: dict[tuple, tuple] = {}
_VERDICTS_LIMIT = 250_000


def _queries(area) -> tuple[tuple, ...]:
    """The (queryset, fields) of the area's plans, advice, exceptions, requests, reviews and
    disagreements."""
    plans = (
        EHCPlan.objects.filter(area=area),
        (
            "id",
            "child_id",
            "assessment_request_id",
            "issued_on",
            "ceased_on",
            "child__date_of_birth",
            "primary_need",
            "setting_id",
            "setting__setting_type",
            "setting_code",
            "last_review_meeting_on",
            "assessment_request__caseworker_id",
            "transfer_in__plan_transferred_on",
            "transfer_in__moved_on",
        ),
    )
    # The advice the measures and the engine's verdicts turn on: the EP service's (the advice
    # backlog) and advice asked of a school or setting (a closure can lift the 6 and 20 weeks,
    # reg 5(4)(a), 10(4)(a)/(b)). Other advice does not change those two verdicts.
    advice = (
        AdviceRequestModel.objects.filter(assessment_request__area=area).filter(
            Q(kind=AdviceKind.EDUCATIONAL_PSYCHOLOGY) | Q(organisation__kind__in=_SETTING_KINDS)
        ),
        (
            "id",
            "assessment_request_id",
            "kind",
            "organisation_id",
            "organisation__kind",
            "received_by_body_on",
            "provided_on",
            "cancelled_on",
        ),
    )
    exceptions = (
        CaseException.objects.filter(assessment_request__area=area),
        (
            "assessment_request_id",
            "advice_request_id",
            "regulation",
            "starts_on",
            "ends_on",
            "reason",
        ),
    )
    cases = (
        AssessmentRequest.objects.filter(area=area),
        (
            "id",
            "child_id",
            "reference",
            "received_on",
            "child__date_of_birth",
            "caseworker_id",
            "child__current_setting_id",
            "decision",
            "decision_on",
            "draft_plan_served_on",
            "final_plan_issued_on",
            "decision_not_to_issue_on",
            "withdrawn_on",
            "reassessment_of_id",
            "family_agreed_early_issue_on",
            "no_coronavirus_reason",
        ),
    )
    reviews = (
        AnnualReview.objects.filter(plan__area=area, meeting_on__isnull=False),
        ("id", "plan_id", "meeting_on", "decision_on"),
    )
    disputes = (
        Disagreement.objects.filter(area=area),
        (
            "id",
            "plan_id",
            "child_id",
            "decision_letter_on",
            "mediation_held_on",
            "appeal_registered_on",
            "conceded_on",
            "outcome",
            "outcome_on",
        ),
    )
    return plans, advice, exceptions, cases, reviews, disputes


def _fetch(area) -> tuple[_Rows, ...]:
    """The rows of the area's plans, advice, exceptions, requests, reviews and disagreements:
    six queries."""
    return tuple(_rows(queryset, columns) for queryset, columns in _queries(area))


def watched_tables() -> list[str]:
    """Every table the rows are read from (joins included), the SEN support records' too: a
    change to any of them changes the stamp (performance.changes), so none can be forgotten
    when a query gains a join."""
    from everychild.performance import support_data  # it builds on this module

    tables = set()
    for queryset, columns in (*_queries(Area(pk=0)), *support_data.queries(Area(pk=0))):
        query = queryset.values_list(*columns).query
        query.get_compiler(using=queryset.db).as_sql()
        tables.update(
            join.table_name
            for alias, join in query.alias_map.items()
            if query.alias_refcount[alias]  # a join the SQL keeps
        )
    return sorted(tables)


# The areas' data as last built, by the area, the day and the change stamp it was built at:
# every figure is live (a change anywhere shows on the next request), but a page reads the rows
# and builds and judges them again only when a watched table has changed (decision 0270).
_BUILT: dict[tuple, AreaData] = {}
_BUILT_LIMIT = 8


def load(area, today: date, *, read_rows: bool = False) -> AreaData:
    """Everything the measures need about `area`, as it stood on `today`. One query asks
    whether anything the rows come from has changed (performance.changes); only then are the
    rows read (six queries) and built into cases, plans and the engine's verdicts. The built
    data and the measures' memo are reused while nothing has changed.

    `read_rows`: read the rows every time and reuse the built data only while they are the
    same rows (the key is the rows themselves), for the page that lists the records behind a
    figure: it names records, and its queries stay the same however many there are."""
    closures = closures_of(area)
    closures_key = tuple((c.first_closed_day, c.last_closed_day) for c in closures)
    same_day = (area.pk, today, area.count_start_as_day_one, closures_key)
    if read_rows:
        return _with_area(_by_rows(area, today, closures, same_day)[0], area, today)
    stamp = changes.stamp(using=AssessmentRequest.objects.db)  # before the rows: see changes
    key = (*same_day, "stamp", stamp)
    built = _BUILT.get(key)
    if built is None:
        built = _shared_restore(same_day, stamp)
        if built is None:
            built = _build_once(area, today, closures, same_day, stamp)
        # Data built at an older stamp can never be asked for again.
        for old in [k for k in _BUILT if k[-2] == "stamp" and k[-1] != stamp]:
            del _BUILT[old]
        _remember(key, built)
    data = _with_area(built, area, today)
    data.shared_as = (
        _shared_key(same_day) + ":figures:" + hashlib.sha256(repr(stamp).encode()).hexdigest()
    )
    return data


# Building an area's data takes seconds at scale 5 (~2.5 s of CPU). When several processes
# find the same stamp unbuilt at once (a deploy, the morning's first board members), one builds
# and the others wait for its result instead of each judging every case: four builds at once
# on two cores had each run past the 10-second request limit in the load test.
BUILD_LEASE_SECONDS = 30
BUILD_WAIT_SECONDS = 6.0
BUILD_POLL_SECONDS = 0.2


def one_at_a_time(lease: str, ready, make):
    """`ready()` if another process has just made it, else `make()`: while one process holds
    the lease (making the same thing), the others wait up to BUILD_WAIT_SECONDS for `ready()`
    to find its result; after that, or if the holder gives up, they make it themselves."""
    lease = lease + ":making"
    token = uuid.uuid4().hex
    held = cache.add(lease, token, BUILD_LEASE_SECONDS)
    if not held:
        deadline = time.monotonic() + BUILD_WAIT_SECONDS
        while time.monotonic() < deadline:
            time.sleep(BUILD_POLL_SECONDS)
            found = ready()
            if found is not None:
                return found
            if cache.get(lease) is None:  # the holder finished (something else) or failed
                break
    try:
        return make()
    finally:
        if held and cache.get(lease) == token:
            cache.delete(lease)


def _build_once(area, today: date, closures, same_day: tuple, stamp: tuple) -> AreaData:
    """The data at `stamp`: built here, or by the process already building it."""

    def build() -> AreaData:
        # Something changed: read the rows, and build them again unless they are the same
        # rows as before (a change to another area's records, or a save that changed nothing
        # the measures read).
        built, fresh = _by_rows(area, today, closures, same_day)
        if fresh:
            _shared_keep(same_day, stamp, built)
        return built

    return one_at_a_time(_shared_key(same_day), lambda: _shared_restore(same_day, stamp), build)


# --- the measures' figures shared between processes -------------------------------------------
# Making the dashboard's figures from the built data takes as long again as building it (~2.4 s
# of CPU at scale 5), in every process that has not made them at this stamp. The figures made
# from the area's whole data are shared through the cache under the data's key and stamp.
_SHARED_READ = ("figures shared", "read")
_SHARED_SENT = ("figures shared", "sent")


def shared_figures(data: AreaData) -> dict:
    """The figures other processes made from the same data (read once per built data)."""
    if not data.shared_as:
        return {}
    found = data.memo.get(_SHARED_READ)
    if found is None:
        found = data.memo[_SHARED_READ] = cache.get(data.shared_as) or {}
    return found


def share_figures(data: AreaData) -> None:
    """Share the figures this process made from `data`, if it made any others have not."""
    if not data.shared_as:
        return
    made = {k: v for k, v in data.memo.items() if k[0] in ("figure", "series")}
    if made.keys() <= data.memo.get(_SHARED_SENT, frozenset()):
        return
    made = {**shared_figures(data), **made}
    cache.set(data.shared_as, made, SHARED_TIMEOUT)
    data.memo[_SHARED_SENT] = frozenset(made)
    data.memo[_SHARED_READ] = made


def figures_made_once(data: AreaData, make):
    """`make()` (a page's figures, made through the measures' cached_figure and cached_series)
    in one process at a time: while one makes them, the others wait for its figures in the
    cache, then make only what those lack. Returns what `make()` returns."""

    def shared_then_made():
        made = make()
        share_figures(data)
        return made

    if not data.shared_as or data.memo.get(_SHARED_SENT) or shared_figures(data):
        return shared_then_made()

    def ready():
        found = cache.get(data.shared_as)
        if not found:
            return None
        data.memo[_SHARED_READ] = found
        return found

    one_at_a_time(data.shared_as, ready, shared_then_made)
    return shared_then_made()  # from the memo now: makes only what the shared figures lack


def _by_rows(area, today: date, closures, same_day: tuple) -> tuple[AreaData, bool]:
    """The data built from the rows as they are now, reused while they are the same rows; and
    whether it was built afresh."""
    rows = _fetch(area)
    key = (*same_day, "rows", hash(tuple(tuple(r.rows) for r in rows)))
    built = _BUILT.get(key)
    if built is not None:
        return built, False
    return _remember(key, _build(area, today, closures, *(r.converted() for r in rows))), True


# --- the built data shared between processes --------------------------------------------------
# A new process (or one that has not seen the latest change) takes the data another process
# built at the same stamp from the default cache rather than reading and judging every case
# again: ~0.3 s of CPU against ~2.5 s (scale 5). One entry per area and day, overwritten with
# each stamp; kept compact (dates as day numbers, marshal and zlib: ~2 MB at scale 5).
SHARED_TIMEOUT = 6 * 3600
_SHARED_KINDS = ("cases", "plans", "ep_advice", "reviews", "disputes")


def _shared_key(same_day: tuple) -> str:
    return "performance-area-data:" + hashlib.sha256(repr(same_day).encode()).hexdigest()


def _date_columns(cls) -> tuple[int, ...]:
    return tuple(i for i, f in enumerate(fields(cls)) if "date" in str(f.type))


def _classes() -> dict:
    return {
        "cases": Case,
        "plans": Plan,
        "ep_advice": Advice,
        "reviews": Review,
        "disputes": Dispute,
    }


def pack(data: AreaData) -> bytes:
    """The built records as compact bytes (unpack makes them again, equal field by field)."""
    out = []
    for kind, cls in _classes().items():
        names = [f.name for f in fields(cls)]
        dated = set(_date_columns(cls))
        rows = []
        for record in getattr(data, kind):
            row = [getattr(record, name) for name in names]
            for i in dated:
                if row[i] is not None:
                    row[i] = row[i].toordinal()
            rows.append(tuple(row))
        out.append(rows)
    return zlib.compress(marshal.dumps(out), 1)


def unpack(blob: bytes, area, today: date) -> AreaData:
    data = AreaData(area=area, today=today)
    known: dict[int, date] = {}
    for (kind, cls), rows in zip(
        _classes().items(),
        marshal.loads(zlib.decompress(blob)),  # noqa: S302 - our own bytes, from our own cache
        strict=True,
    ):
        dated = _date_columns(cls)
        made = []
        for row in rows:
            row = list(row)
            for i in dated:
                n = row[i]
                if n is not None:
                    row[i] = known.get(n) or known.setdefault(n, date.fromordinal(n))
            made.append(cls(*row))
        setattr(data, kind, made)
    return data


def _shared_restore(same_day: tuple, stamp: tuple) -> AreaData | None:
    found = cache.get(_shared_key(same_day))
    if not found or found[0] != stamp:
        return None
    area_pk, today = same_day[0], same_day[1]
    return unpack(found[1], Area(pk=area_pk), today)


def _shared_keep(same_day: tuple, stamp: tuple, built: AreaData) -> None:
    cache.set(_shared_key(same_day), (stamp, pack(built)), SHARED_TIMEOUT)


def _remember(key: tuple, built: AreaData) -> AreaData:
    if len(_BUILT) >= _BUILT_LIMIT:
        _BUILT.clear()
    _BUILT[key] = built
    return built


def _with_area(built: AreaData, area, today: date) -> AreaData:
    # The same records and the measures' memo, with this request's Area object.
    return AreaData(
        area=area,
        today=today,
        cases=built.cases,
        plans=built.plans,
        ep_advice=built.ep_advice,
        reviews=built.reviews,
        disputes=built.disputes,
        memo=built.memo,
        shared_as=built.shared_as,
    )


def _build(
    area, today, closures, plan_rows, advice_rows, exception_rows, case_rows, review_rows=(),
    dispute_rows=(),
) -> AreaData:  # fmt: skip
    day_one = area.count_start_as_day_one
    closures_key = tuple((c.first_closed_day, c.last_closed_day) for c in closures)
    plan_of_case = {row[2]: row for row in plan_rows if row[2] is not None}
    advice_by_case: dict[int, list] = defaultdict(list)
    for row in advice_rows:
        advice_by_case[row[1]].append(row)
    exceptions_by_case: dict[int, list] = defaultdict(list)
    for row in exception_rows:
        exceptions_by_case[row[0]].append(row)
    data = AreaData(area=area, today=today)
    verdicts = _VERDICTS
    if len(verdicts) > _VERDICTS_LIMIT:
        verdicts.clear()
    ep_kind = AdviceKind.EDUCATIONAL_PSYCHOLOGY
    advice_due: dict[date, date] = {}
    for row in case_rows:
        (case_id, child_id, reference, received, born, caseworker, current_setting) = row[:7]
        decision, decision_on, draft, final, not_issued, withdrawn = row[7:13]
        reassessment_of, agreed_early = row[13:15]
        plan = plan_of_case.get(case_id)
        case = Case(
            id=case_id,
            child_id=child_id,
            reference=reference,
            received_on=received,
            born=born,
            caseworker_id=caseworker,
            setting_id=plan[7] if plan is not None and plan[7] else current_setting,
            decision=decision,
            decision_on=decision_on,
            draft_on=draft,
            final_on=final,
            not_issued_on=not_issued,
            withdrawn_on=withdrawn,
            primary_need=plan[6] if plan is not None else "",
            reassessment=reassessment_of is not None,
        )
        advice = advice_by_case.get(case_id, ())
        exceptions = exceptions_by_case.get(case_id, ())
        key = (today, closures_key, row[3:], tuple(advice), tuple(exceptions))
        found = verdicts.get(key)
        if found is None:
            found = verdicts[key] = _judge(today, row, advice, exceptions, closures)
        (
            case.decision_due,
            case.decision_status,
            case.final_due,
            case.final_status,
            case.exceptions_apply,
        ) = found
        data.cases.append(case)
        for a in advice:
            if a[2] == ep_kind and a[5] is not None:
                data.ep_advice.append(
                    Advice(
                        id=a[0],
                        case_id=case_id,
                        organisation_id=a[3],
                        received_on=a[5],
                        provided_on=a[6],
                        cancelled_on=a[7],
                        due=advice_due.get(a[5])
                        or advice_due.setdefault(
                            a[5], deadlines.advice_due(a[5], count_start_as_day_one=day_one)
                        ),
                        born=born,
                        caseworker_id=caseworker,
                        setting_id=case.setting_id,
                        primary_need=case.primary_need,
                    )
                )

    for row in plan_rows:
        data.plans.append(
            Plan(
                id=row[0],
                child_id=row[1],
                case_id=row[2],
                issued_on=row[3],
                ceased_on=row[4],
                born=row[5],
                primary_need=row[6],
                setting_id=row[7],
                placement=placement_group(row[8], row[9]),
                last_review_meeting_on=row[10],
                caseworker_id=row[11],
                transferred_on=row[12] or row[13],
            )
        )
    data.reviews = [Review(*row) for row in review_rows]
    data.disputes = [Dispute(*row) for row in dispute_rows]
    return data


def _judge(today, row, advice, exceptions, closures) -> tuple:
    """The engine's verdicts on one case from its rows, through casework's one translation of a
    case into facts (trusted: the rows come from records the casework services validated).
    DfE's fixed counting whatever the area's day-one setting: these verdicts feed the
    DfE-comparable figures (decision 0131)."""
    case = _Record(
        received_on=row[3],
        decision=row[7],
        decision_on=row[8],
        draft_plan_served_on=row[9],
        final_plan_issued_on=row[10],
        decision_not_to_issue_on=row[11],
        withdrawn_on=row[12],
        reassessment_of_id=row[13],
        family_agreed_early_issue_on=row[14],
        no_coronavirus_reason=bool(row[15]),
    )
    advice_items = [
        _Record(
            pk=a[0],
            kind=a[2],
            organisation_kind=a[4],
            received_by_body_on=a[5],
            provided_on=a[6],
            cancelled_on=a[7],
        )
        for a in advice
    ]
    exception_items = [
        _Record(advice_request_id=e[1], regulation=e[2], starts_on=e[3], ends_on=e[4], reason=e[5])
        for e in exceptions
    ]
    facts = engine_facts(
        case, advice=advice_items, exceptions=exception_items, today=today, closures=closures
    )
    v = verdict(facts, count_start_as_day_one=False)
    return (v.decision_due, v.decision_status, v.final_due, v.final_status, v.exceptions_apply)


class _Record:
    """A row as the attributes casework's translation reads (model instances cost more to make
    than the engine's verdict)."""

    __slots__ = ("__dict__",)

    def __init__(self, **values):
        self.__dict__.update(values)
