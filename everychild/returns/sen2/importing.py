"""Planning an import: what a SEN2 file from another system would add to EveryChild.

Reads the file person by person, checks each against every validation rule, finds what is
already in EveryChild by natural keys, and builds (unsaved) the records that are missing. The
plan is written by `everychild.returns.services.import_sen2` only if every person passed, so an
import is all-or-nothing; a dry run stops at the plan.

Natural keys, so that importing the same file twice adds nothing the second time:

* a person: their UPN in the area; without a UPN, their forename, surname and date of birth;
* a request: the person and the date it was received;
* a plan made before the records began (a historical request, H): the person and the date the
  plan started;
* a setting: its URN or UKPRN (created, named after the number, when EveryChild does not know
  it).

How each SEN2 item lands in EveryChild's models is in docs/decisions/0010-sen2-mapping.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from django.core.exceptions import ValidationError

from everychild.accounts.models import Organisation, OrganisationKind, SettingType
from everychild.areas.models import Area
from everychild.casework.models import (
    AssessmentRequest,
    CaseException,
    Decision,
    RequestSource,
    Stage,
)
from everychild.children.models import Child
from everychild.plans.models import EHCPlan, SettingCode
from everychild.returns.sen2 import reading, rules, spec
from everychild.returns.sen2.reading import Header, Node, SEN2FileError
from everychild.returns.sen2.validate import Checker, check_person, person_label
from everychild.statutory.rules import EASEMENT_FROM, EASEMENT_TO

# Items kept as they were given, for the next return (see everychild.returns.models).
REQUEST_CARRIED = (spec.RYA, spec.REQUEST_MEDIATION, spec.REQUEST_TRIBUNAL, spec.EXPORTED)
ASSESSMENT_CARRIED = (
    spec.ASSESSMENT_MEDIATION,
    spec.ASSESSMENT_TRIBUNAL,
    spec.OTHER_MEDIATION,
    spec.OTHER_TRIBUNAL,
    spec.WEEK20,
)
PLAN_CARRIED = (spec.PLAN_RES, spec.PLAN_WBP, spec.PB, spec.OA, spec.DP)
ACTIVE_CARRIED = (
    spec.TRANSFER_LA,
    spec.REVIEW_OUTCOME,
    spec.REVIEW_DRAFT,
    spec.PHASE_TRANSFER_DUE_DATE,
    spec.PHASE_TRANSFER_FINAL_DATE,
    spec.LAST_REVIEW,
)
NEED_NOT_GIVEN = "_need_not_given"

# DfE's 20 weeks: issued <= received + 140 days (reg 13(2); decision 0131).
TWENTY_WEEKS = timedelta(days=140)
# Week20 = 1 becomes this recorded exception on the case (decision 0132): the file says an
# exception to the 20 weeks applied (reg 13(3)), not which, and reg 10(4)(c) is the limb
# with no length of its own to satisfy.
WEEK20_REGULATION = CaseException.Regulation.PERSONAL_CIRCUMSTANCES
WEEK20_REASON = (
    "Imported from the SEN2 return {source}: Week20 = 1, the previous system recorded that an "
    "exception to the 20 weeks applied (reg 13(3)). The return does not say which; correct "
    "the regulation and the dates here if the case file does."
)


@dataclass
class PlannedPlan:
    plan: EHCPlan
    items: dict
    plan_details: list
    placement_details: list
    setting_key: str
    setting: PlannedSetting | None = None


@dataclass
class PlannedRequest:
    request: AssessmentRequest
    items: dict
    plan: PlannedPlan | None = None
    # Week20 = 1: the exception it stands for, saved with the request (decision 0132).
    exception: CaseException | None = None


@dataclass
class PlannedSetting:
    key: str
    organisation: Organisation
    new: bool


@dataclass
class RecordReport:
    """What happened (or would happen) to one person of the file."""

    person: int
    label: str
    line: int | None
    problems: list[str] = field(default_factory=list)  # errors: the person is refused
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    adds: list[str] = field(default_factory=list)  # what is (or would be) created
    child_is_new: bool = False
    # The plan for this person (empty when it failed).
    child: Child | None = None
    requests: list[PlannedRequest] = field(default_factory=list)
    historical_plans: list[PlannedPlan] = field(default_factory=list)
    current_setting: PlannedSetting | None = None

    @property
    def failed(self) -> bool:
        return bool(self.problems)

    @property
    def status(self) -> str:
        if self.problems:
            return "refused"
        if self.child_is_new:
            return "new"
        return "added to" if self.adds else "already in EveryChild"


@dataclass
class ImportPlan:
    path: str
    header: Header | None = None
    area: object = None
    file_problem: str = ""
    records: list[RecordReport] = field(default_factory=list)
    settings: dict[str, PlannedSetting] = field(default_factory=dict)
    # The area was not in EveryChild and is built from the file's header (saved with the
    # rest, or not at all).
    area_is_new: bool = False

    @property
    def failed(self) -> bool:
        return bool(self.file_problem) or any(r.failed for r in self.records)


def _failure_text(failure) -> str:
    detail = f" [{failure.detail}]" if failure.detail else ""
    line = f" (line {failure.line})" if failure.line else ""
    return f"{failure.code} {failure.path}{line}: {failure.message}{detail}"


def _setting_key(values: dict) -> str:
    if values.get(spec.URN):
        return f"URN:{values[spec.URN]}"
    if values.get(spec.UKPRN):
        return f"UKPRN:{values[spec.UKPRN]}"
    return f"SENSetting:{values.get(spec.SEN_SETTING, '')}"


class Planner:
    def __init__(self, plan: ImportPlan):
        self.plan = plan
        self.area = plan.area
        header = plan.header
        self.ctx = rules.Context(year=header.year, reference_date=header.reference_date,
                                 lea=header.lea)  # fmt: skip
        self.people: dict[tuple, int] = {}  # natural key -> person number, within the file
        self.source = Path(plan.path).name

    # Settings ----------------------------------------------------------------------------

    def setting(self, values: dict, record: RecordReport) -> PlannedSetting | None:
        key = _setting_key(values)
        if key.startswith("SENSetting:"):
            return None
        known = self.plan.settings.get(key)
        if known is not None:
            return known
        kind, number = key.split(":", 1)
        lookup = {"urn": number} if kind == "URN" else {"ukprn": number}
        organisation = Organisation.objects.filter(**lookup).first()
        if organisation is not None:
            if not organisation.is_setting:
                record.problems.append(
                    f"{kind} {number} belongs to {organisation.name}, which is not a school, "
                    "college or early years setting."
                )
                return None
            planned = PlannedSetting(key, organisation, new=False)
        else:
            unit = values.get(spec.SEN_UNIT) == "1" or values.get(spec.RESOURCED_PROVISION) == "1"
            organisation = Organisation(
                area=self.area,
                kind=OrganisationKind.SCHOOL if kind == "URN" else OrganisationKind.COLLEGE,
                name=f"Setting with {kind} {number} (added by the SEN2 import)",
                setting_type=SettingType.RESOURCED_PROVISION if unit else "",
                **lookup,
            )
            try:
                organisation.full_clean(exclude=["area"], validate_unique=False)
            except ValidationError as error:
                record.problems.append(f"{kind} {number}: {'; '.join(error.messages)}")
                return None
            planned = PlannedSetting(key, organisation, new=True)
        self.plan.settings[key] = planned
        return planned

    # People ------------------------------------------------------------------------------

    def person(self, node: Node) -> RecordReport:
        record = RecordReport(
            person=node.index, label=person_label(node), line=node.elem.sourceline
        )
        for failure in check_person(node, self.ctx):
            (record.problems if failure.is_error else record.warnings).append(
                _failure_text(failure)
            )
        if record.problems:
            return record
        fields = node.fields
        upn = fields.get(spec.UPN, "")
        born = node.dates[spec.BIRTH_DATE]
        key = (
            ("upn", upn)
            if upn
            else ("name", fields[spec.FORENAME].lower(), fields[spec.SURNAME].lower(), born)
        )
        if key in self.people:
            record.problems.append(
                f"This is the same child as person {self.people[key]} in the file "
                f"({'the same UPN' if upn else 'same name and date of birth'}): give each child "
                "one Person, with all their requests inside it."
            )
            return record
        self.people[key] = node.index
        child = self._find_child(upn, fields, born)
        if child is None:
            child = self._new_child(node, record)
            if child is None:
                return record
            record.child_is_new = True
            record.adds.append("the child's record")
        record.child = child
        for request in node.kids(spec.REQUESTS):
            if request.get(spec.REQUEST_OUTCOME) == "H":
                self._historical(request, record)
            else:
                self._request(request, record)
        if record.child_is_new:
            record.current_setting = self._current_setting(node, record)
        return record

    def _find_child(self, upn: str, fields: dict, born: date) -> Child | None:
        if self.area.pk is None:
            return None  # a new area has no children yet
        children = Child.objects.filter(area=self.area)
        if upn:
            return children.filter(upn=upn).first()
        return children.filter(
            upn="",
            first_name__iexact=fields[spec.FORENAME],
            last_name__iexact=fields[spec.SURNAME],
            date_of_birth=born,
        ).first()

    def _new_child(self, node: Node, record: RecordReport) -> Child | None:
        fields = node.fields
        child = Child(
            area=self.area,
            first_name=fields[spec.FORENAME],
            last_name=fields[spec.SURNAME],
            date_of_birth=node.dates[spec.BIRTH_DATE],
            sex=fields[spec.SEX],
            ethnicity=fields[spec.ETHNICITY],
            postcode=fields.get(spec.POSTCODE, ""),
            upn=fields.get(spec.UPN, ""),
            upn_unknown_reason=fields.get(spec.UPN_UNKNOWN, ""),
            uln=fields.get(spec.ULN, ""),
        )
        # Field checks and the record's constraints, but not the 0-25 age check of a new
        # record: a migrated history includes young people who have since turned 25.
        try:
            child.clean_fields(exclude=["area", "current_setting", "own_account"])
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                record.problems.append(f"{name}: {' '.join(messages)}")
            return None
        return child

    def _current_setting(self, node: Node, record: RecordReport) -> PlannedSetting | None:
        """A new child's current setting: their main placement on the reference date."""
        for request in node.kids(spec.REQUESTS):
            for active in request.kids(spec.ACTIVE_PLANS):
                for placement in active.kids(spec.PLACEMENT_DETAIL):
                    left = placement.dates.get(spec.LEAVING_DATE)
                    if placement.get(spec.PLACEMENT_RANK) == "1" and left is None:
                        return self.setting(placement.fields, record)
        return None

    # Requests and plans ------------------------------------------------------------------

    def _request(self, node: Node, record: RecordReport) -> None:
        received = node.dates[spec.RECEIVED_DATE]
        child = record.child
        if (
            child.pk
            and AssessmentRequest.objects.filter(
                area=self.area, child=child, received_on=received
            ).exists()
        ):
            record.notes.append(
                f"The request received {received.isoformat()} is already in EveryChild: left "
                "as it is."
            )
            return
        outcome = node.get(spec.REQUEST_OUTCOME)
        decided = node.dates.get(spec.REQUEST_OUTCOME_DATE)
        source = node.get(spec.REQUEST_SOURCE)
        if not source:
            source = RequestSource.OTHER
            record.notes.append(
                f"The request received {received.isoformat()} does not say who made it: "
                "recorded as 5 (other)."
            )
        request = AssessmentRequest(
            area=self.area, received_on=received, source=source, reference="(on saving)"
        )
        items = {name: node.fields[name] for name in REQUEST_CARRIED if name in node.fields}
        if outcome == "Y":
            request.decision, request.decision_on = Decision.ASSESS, decided
            request.stage = Stage.ASSESSING
        elif outcome == "N":
            request.decision, request.decision_on = Decision.NOT_ASSESS, decided
            request.stage = Stage.NOT_ASSESSING
        elif outcome == "W":
            request.withdrawn_on, request.stage = decided, Stage.WITHDRAWN
        else:
            request.stage = Stage.AWAITING_DECISION
        planned = PlannedRequest(request=request, items=items)
        assessment = node.first(spec.ASSESSMENT)
        if assessment is not None and outcome == "Y":
            self._assessment(assessment, node, planned, record)
            if record.failed:
                return
        record.requests.append(planned)
        words = f"the request received {received.isoformat()}"
        if planned.plan is not None:
            words += f" and its plan issued {planned.plan.plan.issued_on.isoformat()}"
        record.adds.append(words)

    def _assessment(self, node: Node, request_node: Node, planned: PlannedRequest,
                    record: RecordReport) -> None:  # fmt: skip
        request = planned.request
        outcome = node.get(spec.ASSESSMENT_OUTCOME)
        dated = node.dates.get(spec.ASSESSMENT_OUTCOME_DATE)
        planned.items |= {n: node.fields[n] for n in ASSESSMENT_CARRIED if n in node.fields}
        named = node.first(spec.NAMED_PLAN)
        if outcome == "Y":
            if named is not None:
                started = named.dates[spec.START_DATE]
                request.final_plan_issued_on = started
                # The decision to issue goes with the draft plan; the same day as the final
                # plan means no separate draft was recorded.
                request.draft_plan_served_on = dated if dated != started else None
                request.stage = Stage.PLAN_ISSUED
                planned.plan = self._plan(named, request_node.first(spec.ACTIVE_PLANS), record)
                self._week20(node.get(spec.WEEK20), planned, started, record)
            else:
                request.draft_plan_served_on = dated
                request.stage = Stage.DRAFT_PLAN
        elif outcome == "N":
            request.decision_not_to_issue_on, request.stage = dated, Stage.NOT_ISSUING
        elif outcome == "W":
            request.withdrawn_on, request.stage = dated, Stage.WITHDRAWN
        elif outcome == "H":
            record.problems.append(
                f"{request_node.subpath}: an assessment marked historical (H) belongs under a "
                "historical request (RequestOutcome H), not a dated one."
            )

    def _week20(self, week20: str, planned: PlannedRequest, started: date,
                record: RecordReport) -> None:  # fmt: skip
        """Week20 as a fact the engine judges (decision 0132), so that the case's verdict,
        the "excluding exceptions" measure and the next return's Week20 say what the file
        said. 1: an exception recorded on the case for the clock's whole run. 0: the
        previous system judged that none applied, so where the 20 weeks fell due during the
        2020 easement (SI 2020/471) the case records that no coronavirus reason made the
        limit impractical, rather than the engine assuming one."""
        request = planned.request
        received = request.received_on
        if week20 == "1":
            planned.exception = CaseException(
                regulation=WEEK20_REGULATION,
                starts_on=received,
                ends_on=started,
                reason=WEEK20_REASON.format(source=self.source),
            )
            record.notes.append(
                f"The plan issued {started.isoformat()} has Week20 = 1: recorded as an "
                f"exception to the 20 weeks (reg {WEEK20_REGULATION}) from "
                f"{received.isoformat()} to {started.isoformat()}."
            )
            return
        due = received + TWENTY_WEEKS
        # A day either side: a council counting the day of receipt as day 1 is due a day sooner.
        if due >= EASEMENT_FROM and due - timedelta(days=1) <= EASEMENT_TO:
            request.no_coronavirus_reason = True
            record.notes.append(
                f"The request received {received.isoformat()} fell due during the 2020 "
                "coronavirus easement and has Week20 = 0: recorded that no coronavirus reason "
                "made the 20 weeks impractical."
            )

    def _historical(self, node: Node, record: RecordReport) -> None:
        assessment = node.first(spec.ASSESSMENT)
        named = assessment.first(spec.NAMED_PLAN)
        started = named.dates[spec.START_DATE]
        child = record.child
        if (
            child.pk
            and EHCPlan.objects.filter(
                area=self.area, child=child, issued_on=started, assessment_request__isnull=True
            ).exists()
        ):
            record.notes.append(
                f"The plan issued {started.isoformat()} is already in EveryChild: left as it is."
            )
            return
        planned = self._plan(named, node.first(spec.ACTIVE_PLANS), record)
        if planned is not None:
            record.historical_plans.append(planned)
            record.adds.append(f"the plan issued {started.isoformat()} (before the records began)")

    def _plan(self, named: Node, active: Node | None, record: RecordReport) -> PlannedPlan | None:
        details = sorted(named.kids(spec.PLAN_DETAIL), key=lambda d: d.get(spec.PLACEMENT_RANK))
        first = details[0].fields
        plan = EHCPlan(
            area=self.area,
            issued_on=named.dates[spec.START_DATE],
            ceased_on=named.dates.get(spec.CEASE_DATE),
            cease_reason=named.get(spec.CEASE_REASON),
            setting_code=first.get(spec.SEN_SETTING, "")
            if first.get(spec.SEN_SETTING) in SettingCode.values
            else "",
        )
        items = {n: named.fields[n] for n in PLAN_CARRIED if n in named.fields}
        placements = []
        if active is not None:
            items |= {n: active.fields[n] for n in ACTIVE_CARRIED if n in active.fields}
            plan.last_review_meeting_on = active.dates.get(spec.REVIEW_MEETING)
            placements = [dict(p.fields) for p in active.kids(spec.PLACEMENT_DETAIL)]
            needs = {
                n.get(spec.SEN_TYPE_RANK): n.get(spec.SEN_TYPE) for n in active.kids(spec.SEN_NEED)
            }
            plan.primary_need = needs.get("1", "")
            plan.secondary_need = needs.get("2", "")
        if not plan.primary_need:
            # EveryChild records a plan's need; a ceased plan's return does not give it.
            plan.primary_need = "OTH"
            items[NEED_NOT_GIVEN] = "1"
            record.notes.append(
                f"The plan issued {plan.issued_on.isoformat()} has no need in the file (it is "
                "not active): recorded as OTH (other) until someone corrects it."
            )
        planned = PlannedPlan(
            plan=plan,
            items=items,
            plan_details=[dict(d.fields) for d in details],
            placement_details=placements,
            setting_key=_setting_key(first),
        )
        planned.setting = self.setting(first, record)
        if planned.setting is None and not plan.setting_code:
            if not record.problems:
                record.problems.append(
                    f"The plan issued {plan.issued_on.isoformat()} names no setting EveryChild "
                    "can record."
                )
            return None
        try:
            plan.clean_fields(exclude=["area", "child", "assessment_request", "setting"])
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                record.problems.append(f"plan {name}: {' '.join(messages)}")
            return None
        return planned


# What a new area is called: its ONS code, name and region, from its LA number (None when
# they are not known). See `plan_import`.
DescribeArea = Callable[[str], dict | None]


def plan_import(
    path, *, max_bytes: int = reading.DEFAULT_MAX_BYTES, new_area: DescribeArea | None = None
) -> ImportPlan:
    """Read and check the whole file and plan what it would add. Nothing is written.

    A file for an area EveryChild does not have is refused, unless `new_area` is given: then
    the area is built (unsaved) from the header's LA number and what `new_area(lea)` says of
    it (`name`, `la_code`, and optionally `region_code`, `region_name`)."""
    plan = ImportPlan(path=str(path))
    planner = None
    try:
        for item in reading.read_file(path, max_bytes=max_bytes):
            if isinstance(item, Header):
                if planner is not None:
                    plan.file_problem = "The file has more than one header."
                    return plan
                plan.header = item
                problems = _header_problems(item)
                if problems:
                    plan.file_problem = " ".join(problems)
                    return plan
                plan.area = Area.objects.filter(old_la_code=item.lea).first()
                if plan.area is None and new_area is not None:
                    plan.area, problem = _new_area(item.lea, new_area)
                    if problem:
                        plan.file_problem = problem
                        return plan
                    plan.area_is_new = True
                if plan.area is None:
                    plan.file_problem = (
                        f"The file is for local authority {item.lea}, which is not an area in "
                        "EveryChild: set the area up first (or import with --create-area), "
                        "then import its history."
                    )
                    return plan
                planner = Planner(plan)
            elif isinstance(item, Node):
                if planner is None:
                    plan.file_problem = "The persons come before the header."
                    return plan
                plan.records.append(planner.person(item))
            else:
                plan.file_problem = (
                    f"line {item.line}: <{item.tag}> is not part of a SEN2 return at {item.path}."
                )
                return plan
    except SEN2FileError as error:
        plan.file_problem = str(error)
    return plan


def _new_area(lea: str, describe: DescribeArea) -> tuple[Area | None, str]:
    """The area for LA number `lea`, unsaved, or why it cannot be made."""
    details = describe(lea)
    if not details:
        return None, (
            f"The file is for local authority {lea}, which is not an area in EveryChild, and "
            "its name and ONS code are not known here: give them (--area-name, --la-code), or "
            "load DfE's published statistics first."
        )
    area = Area(
        old_la_code=lea,
        name=details.get("name", ""),
        la_code=details.get("la_code", ""),
        region_code=details.get("region_code", ""),
        region_name=details.get("region_name", ""),
    )
    try:
        area.full_clean()
    except ValidationError as error:
        problems = "; ".join(
            f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items()
        )
        return None, f"The area for local authority {lea} cannot be created: {problems}"
    return area, ""


def _header_problems(header: Header) -> list[str]:
    found: list = []
    ctx = rules.Context(year=header.year or 0, reference_date=None, lea=header.lea)
    Checker().check(header.node, ctx, found, None)
    problems = [_failure_text(f) for f in found if f.is_error]
    if not problems and (header.year is None or header.reference_date is None):
        problems.append("The header's year or reference date is missing or not valid.")
    return problems
