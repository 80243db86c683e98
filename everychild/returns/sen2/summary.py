"""The DfE's headline figures, computed from a person-level SEN2 file the way the DfE computes
its "Education, health and care plans" tables (reporting year N = caseload on the reference
date in January N, activity in calendar year N-1; see SEN2.md and the data guidance beside the
published files).

Each figure, with its definition:

* requests received: requests with ReceivedDate in the calendar year (historical ones, H, are
  not requests), by their outcome on the reference date (Y assess, N not assess, A decision
  not made, W withdrawn) - requests.csv;
* decisions within 6 weeks: DfE's cohort (DOMAIN.md section 5; decision 0131), the requests
  received in the year: decided (RequestOutcome Y or N) within 6 weeks = RequestOutcomeDate -
  ReceivedDate <= 42 days (reg 4(1)); over 6 weeks = decided later, or not decided (A) on the
  reference date more than 42 days after receipt; withdrawn ones (W) are in neither. BCP's
  published 2024 row: 1,157 + 21 = 1,178 = its 1,153 decided requests + 25 of its 77
  undecided (requests.csv request_outcome_six_weeks, request_outcome_over_6_weeks);
* assessments: assessments whose outcome (Y issue, N not issue, W withdrawn) is dated in the
  year - assessments.csv, whose "decision outstanding" column is near zero; assessments still
  going on at the reference date are given separately, not in the total;
* plans issued: NamedPlan StartDate in the year, from a request with a ReceivedDate; within
  20 weeks = StartDate - ReceivedDate <= 140 days (reg 13(2)); 20 to 52 weeks = 141 to 364
  days; over 52 weeks = more than 364 days; "excluding exceptions" leaves out every plan with
  Week20 = 1 - timeliness_20_week.csv;
* caseload: ActivePlans on the reference date, by the placement ranked 1 that is current on
  the reference date (a school's type from the organisations EveryChild knows by URN or UKPRN;
  SEN unit and resourced provision from the indicators) and by primary need (SENneed rank 1;
  Down syndrome counted with "other difficulty or disability", as the DfE does) -
  caseload.csv and sen_needs_all_plans.csv;
* ceased plans: NamedPlan CeaseDate in the year, by CeaseReason - ceased_plans.csv.

Everything here is a count of people's records: no figure names anyone.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from everychild.accounts.models import SettingType
from everychild.returns.sen2 import engine, reading, spec
from everychild.returns.sen2.reading import Header, Node, SEN2FileError

WITHIN_6_WEEKS = 42
WITHIN_20_WEEKS = 140
WITHIN_52_WEEKS = 364

# Placement groups, in the order and words of the DfE caseload table.
PLACEMENT_GROUPS = {
    "mainstream": "Mainstream school",
    "resourced": "Mainstream school: SEN unit or resourced provision",
    "special_maintained": "LA maintained special school",
    "special_academy": "Special academy or free school",
    "special_independent": "Independent or non-maintained special school",
    "ap": "Alternative provision or pupil referral unit",
    "fe": "FE college or sixth form",
    "post16_specialist": "Specialist post-16 institution",
    "early_years": "Early years provider",
    "EHE": "Elective home education",
    "OLA": "Other arrangements made by the LA",
    "OPA": "Other arrangements made by parents",
    "NEET": "Not in education, employment or training",
    "NIEC": "Not in education: notice to cease issued",
    "NIEO": "Not in education: other",
    "OTH": "Other placement",
    "school_not_known": "School not known to EveryChild (by URN)",
    "provider_not_known": "Provider not known to EveryChild (by UKPRN)",
    "not_recorded": "Placement not recorded",
}
# The DfE's totals over those groups.
PLACEMENT_TOTALS = {
    "Mainstream schools": ("mainstream", "resourced"),
    "Special schools": ("special_maintained", "special_academy", "special_independent"),
    "Alternative provision": ("ap",),
    "Further education and post-16": ("fe", "post16_specialist", "provider_not_known"),
    "Educated elsewhere": ("EHE", "OLA", "OPA", "NEET", "NIEC", "NIEO", "OTH"),
    "Early years": ("early_years",),
    "Not recorded or not known": ("school_not_known", "not_recorded"),
}
SETTING_TYPE_GROUPS = {
    SettingType.MAINSTREAM: "mainstream",
    SettingType.RESOURCED_PROVISION: "resourced",
    SettingType.MAINTAINED_SPECIAL: "special_maintained",
    SettingType.ACADEMY_SPECIAL: "special_academy",
    SettingType.INDEPENDENT_SPECIAL: "special_independent",
    SettingType.ALTERNATIVE_PROVISION: "ap",
    SettingType.FE_COLLEGE: "fe",
    SettingType.SPECIALIST_POST16: "post16_specialist",
    SettingType.EARLY_YEARS: "early_years",
}
NEED_ORDER = ("ASD", "SEMH", "SLCN", "MLD", "SPLD", "SLD", "PMLD", "PD", "HI", "VI", "MSI", "OTH")


def _in(day: date | None, start: date, end: date) -> bool:
    return day is not None and start <= day <= end


class SummaryJob(engine.Job):
    """Counts one part of the file."""

    def __init__(self, info: engine.ReturnInfo):
        super().__init__(info)
        self.start, self.end = spec.collection_period(info.year)
        self.reference = info.reference_date
        self.counts: Counter = Counter()
        self.settings: Counter = Counter()

    def person(self, node: Node) -> None:
        counts = self.counts
        start, end = self.start, self.end
        counts["persons"] += 1
        for request in node.children.get(spec.REQUESTS, ()):
            outcome = request.fields.get(spec.REQUEST_OUTCOME, "")
            received = request.dates.get(spec.RECEIVED_DATE)
            if outcome != "H" and _in(received, start, end):
                counts["requests"] += 1
                counts[f"requests:{outcome or 'not given'}"] += 1
            decided = request.dates.get(spec.REQUEST_OUTCOME_DATE)
            if _in(received, start, end):
                if outcome in ("Y", "N") and decided is not None:
                    counts["decisions"] += 1
                    within = (decided - received).days <= WITHIN_6_WEEKS
                    counts["decisions_within_6_weeks" if within else "decisions_over"] += 1
                elif outcome == "A" and (self.reference - received).days > WITHIN_6_WEEKS:
                    counts["decisions_over"] += 1
            for assessment in request.children.get(spec.ASSESSMENT, ()):
                self.assessment(assessment, request, received, outcome)
            for active in request.children.get(spec.ACTIVE_PLANS, ()):
                self.active_plan(active)

    def assessment(self, assessment: Node, request: Node, received, outcome: str) -> None:
        counts = self.counts
        start, end = self.start, self.end
        result = assessment.fields.get(spec.ASSESSMENT_OUTCOME, "")
        if result in ("Y", "N", "W") and _in(
            assessment.dates.get(spec.ASSESSMENT_OUTCOME_DATE), start, end
        ):
            counts["assessments"] += 1
            counts[f"assessments:{result}"] += 1
        elif result == "A":
            counts["assessments_ongoing"] += 1
        for plan in assessment.children.get(spec.NAMED_PLAN, ()):
            started = plan.dates.get(spec.START_DATE)
            if _in(started, start, end) and outcome != "H":
                if received is None:
                    counts["plans_issued_no_request_date"] += 1
                else:
                    exception = assessment.fields.get(spec.WEEK20) == "1"
                    days = (started - received).days
                    band = (
                        "within_20"
                        if days <= WITHIN_20_WEEKS
                        else "20_to_52"
                        if days <= WITHIN_52_WEEKS
                        else "over_52"
                    )
                    counts["plans_issued"] += 1
                    counts[f"plans:{band}"] += 1
                    if not exception:
                        counts["plans_issued_excl"] += 1
                        counts[f"plans_excl:{band}"] += 1
            if _in(plan.dates.get(spec.CEASE_DATE), start, end):
                counts["ceased"] += 1
                counts[f"ceased:{plan.fields.get(spec.CEASE_REASON) or 'not given'}"] += 1

    def active_plan(self, active: Node) -> None:
        counts = self.counts
        counts["caseload"] += 1
        placements = active.children.get(spec.PLACEMENT_DETAIL, ())
        chosen = None
        for placement in placements:
            if placement.fields.get(spec.PLACEMENT_RANK) != "1":
                continue
            entered = placement.dates.get(spec.ENTRY_DATE)
            left = placement.dates.get(spec.LEAVING_DATE)
            current = (entered is None or entered <= self.reference) and (
                left is None or left > self.reference
            )
            if current or chosen is None:
                chosen = placement
                if current:
                    break
        self.settings[_setting_key(chosen)] += 1
        need = "not recorded"
        for sen_need in active.children.get(spec.SEN_NEED, ()):
            if sen_need.fields.get(spec.SEN_TYPE_RANK) == "1":
                need = sen_need.fields.get(spec.SEN_TYPE) or "not recorded"
                break
        if need == "DS":  # the DfE counts Down syndrome with other difficulty or disability
            need = "OTH"
        counts[f"need:{need}"] += 1

    def flush(self):
        partial = (self.counts, self.settings)
        self.counts, self.settings = Counter(), Counter()
        return partial


def _setting_key(placement: Node | None) -> tuple:
    if placement is None:
        return ("none", "")
    fields = placement.fields
    unit = fields.get(spec.SEN_UNIT) == "1" or fields.get(spec.RESOURCED_PROVISION) == "1"
    if fields.get(spec.URN):
        return ("URN", fields[spec.URN], unit)
    if fields.get(spec.UKPRN):
        return ("UKPRN", fields[spec.UKPRN], unit)
    if fields.get(spec.SEN_SETTING):
        return ("code", fields[spec.SEN_SETTING])
    return ("none", "")


class SummaryCollector(engine.Collector):
    job_class = SummaryJob

    def __init__(self):
        self.counts: Counter = Counter()
        self.settings: Counter = Counter()
        self.info: engine.ReturnInfo | None = None

    def header(self, header: Header) -> engine.ReturnInfo:
        if header.year is None or header.reference_date is None:
            raise SEN2FileError(
                "The header has no valid year or reference date, so the figures cannot be "
                "worked out (run sen2_validate to see why).",
                line=header.node.elem.sourceline,
            )
        self.info = engine.ReturnInfo(header.year, header.reference_date, header.lea)
        return self.info

    def merge(self, partial, *, person_offset: int, line_offset: int) -> None:
        counts, settings = partial
        self.counts.update(counts)
        self.settings.update(settings)

    def start_again(self, *, resume_person: int, resume_line: int) -> None:
        self.counts, self.settings = Counter(), Counter()


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


@dataclass
class Headline:
    year: int
    reference_date: date
    lea: str
    persons: int
    counts: Counter = field(default_factory=Counter)
    placements: dict = field(default_factory=dict)

    @property
    def period(self) -> int:
        return self.year - 1

    def as_dict(self) -> dict:
        c = self.counts
        issued, issued_excl = c["plans_issued"], c["plans_issued_excl"]
        return {
            "return_year": self.year,
            "calendar_year": self.period,
            "reference_date": self.reference_date.isoformat(),
            "la": self.lea,
            "persons": self.persons,
            "requests": {
                "received": c["requests"],
                "decided_to_assess": c["requests:Y"],
                "decided_not_to_assess": c["requests:N"],
                "decision_not_made": c["requests:A"],
                "withdrawn": c["requests:W"],
            },
            "decisions": {
                "made": c["decisions"],
                "within_6_weeks": c["decisions_within_6_weeks"],
                "over_6_weeks": c["decisions_over"],
                "within_6_weeks_pc": _percent(
                    c["decisions_within_6_weeks"],
                    c["decisions_within_6_weeks"] + c["decisions_over"],
                ),
            },
            "assessments": {
                "completed": c["assessments"],
                "plan_to_be_issued": c["assessments:Y"],
                "plan_not_to_be_issued": c["assessments:N"],
                "withdrawn": c["assessments:W"],
                "still_going_on": c["assessments_ongoing"],
            },
            "plans_issued": {
                "issued": issued,
                "within_20_weeks": c["plans:within_20"],
                "within_20_weeks_pc": _percent(c["plans:within_20"], issued),
                "between_20_and_52_weeks": c["plans:20_to_52"],
                "over_52_weeks": c["plans:over_52"],
                "issued_excluding_exceptions": issued_excl,
                "within_20_weeks_excluding_exceptions": c["plans_excl:within_20"],
                "within_20_weeks_excluding_exceptions_pc": _percent(
                    c["plans_excl:within_20"], issued_excl
                ),
                "between_20_and_52_weeks_excluding_exceptions": c["plans_excl:20_to_52"],
                "over_52_weeks_excluding_exceptions": c["plans_excl:over_52"],
                "without_a_request_date": c["plans_issued_no_request_date"],
            },
            "caseload": {
                "active_plans": c["caseload"],
                "by_placement": self.placements,
                "by_placement_total": {
                    label: sum(self.placements.get(g, 0) for g in groups)
                    for label, groups in PLACEMENT_TOTALS.items()
                },
                "by_primary_need": {
                    need: c[f"need:{need}"]
                    for need in (*NEED_ORDER, "not recorded")
                    if c[f"need:{need}"] or need != "not recorded"
                },
            },
            "ceased": {
                "ceased": c["ceased"],
                "by_reason": {
                    code: c[f"ceased:{code}"] for code in spec.CEASE_REASONS if c[f"ceased:{code}"]
                },
            },
        }


def placement_groups(
    settings: Counter, setting_type: Callable[[str, str], str | None]
) -> dict[str, int]:
    """Placement keys counted in the file -> the DfE's placement groups."""
    groups = Counter()
    for key, count in settings.items():
        kind = key[0]
        if kind in ("URN", "UKPRN"):
            _, value, unit = key
            known = setting_type(kind, value)
            if unit and known in (None, SettingType.MAINSTREAM, SettingType.RESOURCED_PROVISION):
                group = "resourced"
            elif known is None:
                group = "school_not_known" if kind == "URN" else "provider_not_known"
            else:
                group = SETTING_TYPE_GROUPS.get(known, "school_not_known")
        elif kind == "code":
            group = "early_years" if key[1] == "EYP" else key[1]
            if group not in PLACEMENT_GROUPS:
                group = "OTH"
        else:
            group = "not_recorded"
        groups[group] += count
    return {g: groups[g] for g in PLACEMENT_GROUPS if groups[g]}


def summarise(
    path,
    *,
    setting_type: Callable[[str, str], str | None] = lambda kind, value: None,
    max_bytes: int = reading.DEFAULT_MAX_BYTES,
    workers: int | None = None,
) -> Headline:
    """The headline figures of a SEN2 file. `setting_type(kind, value)` gives the EveryChild
    setting type of a URN or UKPRN (kind "URN" or "UKPRN"), or None when not known."""
    collector = SummaryCollector()
    persons = engine.run(path, collector, max_bytes=max_bytes, workers=workers)
    info = collector.info
    return Headline(
        year=info.year,
        reference_date=info.reference_date,
        lea=info.lea,
        persons=persons,
        counts=collector.counts,
        placements=placement_groups(collector.settings, setting_type),
    )


def as_text(headline: Headline) -> str:
    d = headline.as_dict()
    year = d["calendar_year"]
    reference = headline.reference_date.strftime("%-d %B %Y")

    def pc(value) -> str:
        return f" ({value:.1f}%)" if value is not None else ""

    r, de, a, p = d["requests"], d["decisions"], d["assessments"], d["plans_issued"]
    lines = [
        f"SEN2 headline figures: return {d['return_year']}, local authority {d['la']}",
        f"Activity in calendar year {year}; caseload on {reference}. "
        f"{d['persons']:,} people in the file.",
        "",
        f"Requests for an EHC needs assessment received in {year}: {r['received']:,}",
        f"  decided to assess: {r['decided_to_assess']:,}",
        f"  decided not to assess: {r['decided_not_to_assess']:,}",
        f"  decision not yet made: {r['decision_not_made']:,}",
        f"  withdrawn: {r['withdrawn']:,}",
        f"Requests received in {year} decided whether to assess: {de['made']:,}",
        f"  within 6 weeks: {de['within_6_weeks']:,}{pc(de['within_6_weeks_pc'])}",
        f"  over 6 weeks, or undecided past 6 weeks: {de['over_6_weeks']:,}",
        f"EHC needs assessments completed in {year}: {a['completed']:,}",
        f"  plan to be issued: {a['plan_to_be_issued']:,}",
        f"  plan not to be issued: {a['plan_not_to_be_issued']:,}",
        f"  withdrawn: {a['withdrawn']:,}",
        f"  (still going on at the reference date: {a['still_going_on']:,})",
        f"EHC plans issued in {year}: {p['issued']:,}",
        f"  within 20 weeks, including exceptions: {p['within_20_weeks']:,}"
        f"{pc(p['within_20_weeks_pc'])}",
        f"  within 20 weeks, excluding exceptions: {p['within_20_weeks_excluding_exceptions']:,}"
        f" of {p['issued_excluding_exceptions']:,}"
        f"{pc(p['within_20_weeks_excluding_exceptions_pc'])}",
        f"  between 20 and 52 weeks: {p['between_20_and_52_weeks']:,}",
        f"  after more than 52 weeks: {p['over_52_weeks']:,}",
    ]
    if p["without_a_request_date"]:
        lines.append(f"  (and {p['without_a_request_date']:,} with no request date, not timed)")
    caseload = d["caseload"]
    lines += ["", f"Active EHC plans on {reference}: {caseload['active_plans']:,}"]
    lines.append("  by placement:")
    for group, count in caseload["by_placement"].items():
        lines.append(f"    {PLACEMENT_GROUPS[group]}: {count:,}")
    lines.append("  by placement (DfE totals):")
    for label, count in caseload["by_placement_total"].items():
        lines.append(f"    {label}: {count:,}")
    lines.append("  by primary need:")
    for need, count in caseload["by_primary_need"].items():
        label = spec.SEN_TYPES.get(need, need)
        lines.append(f"    {label}: {count:,}")
    ceased = d["ceased"]
    lines += ["", f"EHC plans ceased in {year}: {ceased['ceased']:,}"]
    for code, count in ceased["by_reason"].items():
        lines.append(f"  {spec.CEASE_REASONS.get(code, code)}: {count:,}")
    return "\n".join(lines) + "\n"
