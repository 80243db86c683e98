"""The statutory time limits, one rule each, versioned by the dates they were in force.

Every time limit in DOMAIN.md sections 2-4 is a :class:`Rule` here with its key, a plain-English
label, the period, what it is counted from, the regulation it comes from, the exceptions that
can lift it, the dates it is in force, what happens if it is missed and a family-friendly
explanation (the public calculator page shows the last two).

Versions: a rule key may have several versions with consecutive in-force windows. The period
comes from the version in force on the day the clock started; the exceptions that can lift a
missed limit from the version in force on the day it fell due. The coronavirus easement
(SEND (Coronavirus) (Amendment) Regulations 2020, SI 2020/471, 1 May - 25 September 2020) is
modelled this way: eased rules have a middle version that adds ``coronavirus_easement``, so it
lifts only a limit that fell due while it was in force.

``source`` follows DOMAIN.md: "verified" (read in the regulation), "secondary" (a reputable
secondary source) or "check" (believed, not confirmed).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from . import counting
from .calendars import add_working_days, working_days_beginning_with

__all__ = [
    "EASEMENT_FROM",
    "EASEMENT_TO",
    "EXCEPTION_KINDS",
    "RECOMMENDATIONS_FROM",
    "RULES_VERSION",
    "SEND_REGULATIONS_IN_FORCE",
    "Counting",
    "ExceptionKind",
    "Rule",
    "exception_keys_on",
    "registry_json",
    "rule",
    "rule_keys",
    "rule_versions",
    "rules",
]

#: The date of the law this registry reflects; bump it whenever a rule or its text changes.
RULES_VERSION = "2026-12-07"

#: Children and Families Act 2014 Part 3 and the SEND Regulations 2014 came into force.
SEND_REGULATIONS_IN_FORCE = date(2014, 9, 1)

#: SI 2020/471: the coronavirus easement, in force 1 May to 25 September 2020 inclusive.
EASEMENT_FROM = date(2020, 5, 1)
EASEMENT_TO = date(2020, 9, 25)

_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class ExceptionKind:
    """A circumstance in which a time limit need not be met (the LA must then act as soon as
    practicable).

    ``how`` is "recorded" (a caseworker records it as a fact with dates and a reason) or
    "detected" (the engine finds it from other facts: setting closures, the easement).
    ``recorded_on`` says where recorded facts live: "case" (top-level ``exceptions``) or
    "advice" (an advice item's ``exceptions``).
    """

    key: str
    regulation: str
    label: str
    explanation: str
    how: str
    recorded_on: str = ""
    min_continuous_days: int = 0
    setting: str = ""
    in_force_from: date = SEND_REGULATIONS_IN_FORCE
    in_force_to: date | None = None
    source: str = "verified"

    def to_json(self) -> dict:
        return {
            "key": self.key,
            "regulation": self.regulation,
            "label": self.label,
            "explanation": self.explanation,
            "how": self.how,
            "recorded_on": self.recorded_on or None,
            "min_continuous_days": self.min_continuous_days or None,
            "in_force_from": self.in_force_from.isoformat(),
            "in_force_to": self.in_force_to.isoformat() if self.in_force_to else None,
            "source": self.source,
        }


def _closure(key: str, regulation: str, setting: str, who: str) -> ExceptionKind:
    return ExceptionKind(
        key=key,
        regulation=regulation,
        label=f"Advice asked of {who} around a closure of at least 4 weeks",
        explanation=(
            f"The council asked {who} for advice in the period from one week before it closed "
            "for 4 weeks or more (usually the summer holiday) until one week before it "
            "re-opened, so the usual time limit does not apply; the council must still act as "
            "soon as it can."
        ),
        how="detected",
        setting=setting,
    )


def _personal(key: str, regulation: str, on: str = "case", source: str = "verified"):
    return ExceptionKind(
        key=key,
        regulation=regulation,
        label="Exceptional personal circumstances of the child, parent or young person",
        explanation=(
            "Something exceptional in the family's life (for example serious illness or a "
            "bereavement) made the time limit impractical."
        ),
        how="recorded",
        recorded_on=on,
        source=source,
    )


def _absence(key: str, regulation: str, days: int, on: str = "case", source: str = "verified"):
    weeks = days // 7
    return ExceptionKind(
        key=key,
        regulation=regulation,
        label=f"Child, parent or young person away from the area for {weeks} weeks or more",
        explanation=(
            f"The child, parent or young person was away from the council's area for a "
            f"continuous period of at least {weeks} weeks."
        ),
        how="recorded",
        recorded_on=on,
        min_continuous_days=days,
        source=source,
    )


_REGS = "SEND Regulations 2014"

EXCEPTION_KINDS: dict[str, ExceptionKind] = {
    kind.key: kind
    for kind in (
        # Decision whether to assess (reg 5(4)).
        _closure("5(4)(a)", f"{_REGS} reg 5(4)(a)", "school", "a school or college"),
        _personal("5(4)(b)", f"{_REGS} reg 5(4)(b)"),
        _absence("5(4)(c)", f"{_REGS} reg 5(4)(c)", 28),
        # Advice (reg 8(2)): recorded on the advice item.
        ExceptionKind(
            key="8(2)(a)",
            regulation=f"{_REGS} reg 8(2)(a)",
            label="Exceptional circumstances",
            explanation="Exceptional circumstances made it impractical to give the advice in time.",
            how="recorded",
            recorded_on="advice",
        ),
        _absence("8(2)(b)", f"{_REGS} reg 8(2)(b)", 28, on="advice"),
        ExceptionKind(
            key="8(2)(c)",
            regulation=f"{_REGS} reg 8(2)(c)",
            label="Missed appointment",
            explanation=(
                "The child, parent or young person did not keep an appointment needed to give "
                "the advice."
            ),
            how="recorded",
            recorded_on="advice",
        ),
        # Notice not to issue and the final plan (reg 10(4), applied to reg 13(2) by 13(3)).
        _closure("10(4)(a)", f"{_REGS} reg 10(4)(a)", "school", "a school or college"),
        _closure("10(4)(b)", f"{_REGS} reg 10(4)(b)", "early_years", "an early years provider"),
        _personal("10(4)(c)", f"{_REGS} reg 10(4)(c)"),
        _absence("10(4)(d)", f"{_REGS} reg 10(4)(d)", 28),
        # Re-assessment (reg 27(3) mirrors reg 10(4)); functions only, no milestone yet.
        _closure("27(3)(a)", f"{_REGS} reg 27(3)(a)", "school", "a school or college"),
        _closure("27(3)(b)", f"{_REGS} reg 27(3)(b)", "early_years", "an early years provider"),
        _personal("27(3)(c)", f"{_REGS} reg 27(3)(c)", source="check"),
        _absence("27(3)(d)", f"{_REGS} reg 27(3)(d)", 28, source="check"),
        # Complying with Tribunal orders (reg 44): paragraph letters to be checked.
        _personal("44(3)(a)", f"{_REGS} reg 44(3)(a)", source="check"),
        _absence("44(3)(b)", f"{_REGS} reg 44(3)(b)", 14, source="check"),
        ExceptionKind(
            key="coronavirus_easement",
            regulation=(
                "SEND (Coronavirus) (Amendment) Regulations 2020 (SI 2020/471), "
                "in force 1 May to 25 September 2020"
            ),
            label="Coronavirus easement (2020)",
            explanation=(
                "From 1 May to 25 September 2020 the time limit did not apply where meeting it "
                "was not reasonably practicable for a reason relating to coronavirus; the work "
                "had to be done as soon as reasonably practicable instead."
            ),
            how="detected",
            in_force_from=EASEMENT_FROM,
            in_force_to=EASEMENT_TO,
        ),
    )
}


@dataclass(frozen=True, slots=True)
class Counting:
    """How a rule's due date follows from its start date (see ``counting`` for conventions).

    ``unit`` is one of: "weeks", "days" ("within N of", start is day 0), "days_beginning_with"
    (start is day 1), "months", "months_starting_with" (start is the period's first day),
    "working_days" (start not counted), "working_days_beginning_with" (start is the first
    when it is a working day), "weeks_before", "months_before" (a latest date before an event),
    "before_fixed_date" ("before" ``month``/``day`` of the year given as the start: the day
    before it is the last day).
    """

    unit: str
    amount: int = 0
    month: int = 0
    day: int = 0

    def offset_days(self, count_start_as_day_one: bool = False) -> int | None:
        """A fixed number of days to add, or None when the period is not a fixed day count."""
        if self.unit == "weeks":
            return 7 * self.amount - count_start_as_day_one
        if self.unit == "days":
            return self.amount - count_start_as_day_one
        if self.unit == "days_beginning_with":
            return self.amount - 1
        return None

    def length_days(self) -> int | None:
        """The period's length in days (6 weeks: 42; 15 days beginning with the start: 15),
        or None when it is not a whole number of days (months, working days, fixed dates)."""
        if self.unit == "weeks":
            return 7 * self.amount
        if self.unit in ("days", "days_beginning_with"):
            return self.amount
        return None

    def due(self, start: date, *, count_start_as_day_one: bool = False) -> date:
        unit = self.unit
        if unit == "weeks":
            return counting.weeks_after(
                start, self.amount, count_start_as_day_one=count_start_as_day_one
            )
        if unit == "days":
            return counting.days_after(
                start, self.amount, count_start_as_day_one=count_start_as_day_one
            )
        if unit == "days_beginning_with":
            return counting.days_beginning_with(start, self.amount)
        if unit == "months":
            return counting.months_after(
                start, self.amount, count_start_as_day_one=count_start_as_day_one
            )
        if unit == "months_starting_with":
            return counting.months_starting_with(start, self.amount)
        if unit == "working_days":
            return add_working_days(start, self.amount)
        if unit == "working_days_beginning_with":
            return working_days_beginning_with(start, self.amount)
        if unit == "weeks_before":
            return counting.weeks_before(start, self.amount)
        if unit == "months_before":
            return counting.months_before(start, self.amount)
        if unit == "before_fixed_date":
            return date(start.year, self.month, self.day) - _ONE_DAY
        raise ValueError(f"unknown counting unit {unit!r}")


@dataclass(frozen=True, slots=True)
class Rule:
    """One version of a statutory time limit.

    ``day_one_convention`` says whether a council's ``count_start_as_day_one`` setting moves the
    limit a day earlier: it does for "within ... of" limits on the local authority and other
    bodies, not for periods that already begin with day 1, limits counted back from an event,
    fixed dates, working days or the family's own deadlines (a council cannot shorten those).
    """

    key: str
    label: str
    period: str
    counted_from: str
    regulation: str
    exceptions: tuple[str, ...]
    if_missed: str
    family_explanation: str
    counting: Counting
    in_force_from: date = SEND_REGULATIONS_IN_FORCE
    in_force_to: date | None = None
    duty: str = "must"
    source: str = "verified"
    day_one_convention: bool = True
    notes: str = ""

    def in_force_on(self, day: date) -> bool:
        return self.in_force_from <= day and (self.in_force_to is None or day <= self.in_force_to)

    def due(self, start: date, *, count_start_as_day_one: bool = False) -> date:
        """The last day for meeting this limit when its clock starts on `start`."""
        return self.counting.due(
            start, count_start_as_day_one=count_start_as_day_one and self.day_one_convention
        )

    def to_json(self) -> dict:
        return {
            "key": self.key,
            "label": self.label,
            "period": self.period,
            "counted_from": self.counted_from,
            "regulation": self.regulation,
            "exceptions": [EXCEPTION_KINDS[key].to_json() for key in self.exceptions],
            "in_force_from": self.in_force_from.isoformat(),
            "in_force_to": self.in_force_to.isoformat() if self.in_force_to else None,
            "if_missed": self.if_missed,
            "family_explanation": self.family_explanation,
            "duty": self.duty,
            "source": self.source,
            "notes": self.notes,
        }


def _eased(base: Rule) -> tuple[Rule, ...]:
    """Three versions of `base`: before, during and after the 2020 coronavirus easement."""
    return (
        replace(base, in_force_to=EASEMENT_FROM - _ONE_DAY),
        replace(
            base,
            in_force_from=EASEMENT_FROM,
            in_force_to=EASEMENT_TO,
            exceptions=(*base.exceptions, "coronavirus_easement"),
            notes=(
                "Coronavirus easement (SI 2020/471): the limit did not apply where meeting it "
                "was not reasonably practicable for a reason relating to coronavirus."
            ),
        ),
        replace(base, in_force_from=EASEMENT_TO + _ONE_DAY),
    )


_TRIBUNAL_FROM = (
    "the date of the Tribunal's order (if the local authority did not oppose the appeal, the "
    "date it told the Tribunal so: reg 45)"
)
_TRIBUNAL_EXCEPTIONS = ("44(3)(a)", "44(3)(b)")
_TRIBUNAL_MISSED = (
    "The local authority is not complying with a Tribunal order; the family can complain and "
    "seek judicial review to enforce it."
)
_REQUEST = "the day the local authority receives the request for an EHC needs assessment"
_REG10_4 = ("10(4)(c)", "10(4)(d)", "10(4)(a)", "10(4)(b)")


def _registry() -> dict[str, tuple[Rule, ...]]:
    rules: list[tuple[Rule, ...]] = [
        _eased(
            Rule(
                key="decision_whether_to_assess",
                label="Decide whether to carry out an EHC needs assessment",
                period="6 weeks",
                counted_from=f"{_REQUEST} (or becomes responsible for the child)",
                regulation=f"{_REGS} reg 4(1) and 5(1)",
                exceptions=("5(4)(b)", "5(4)(c)", "5(4)(a)"),
                counting=Counting("weeks", 6),
                if_missed=(
                    "The family is left waiting for a decision, and the case counts against "
                    "the local authority's 6-week timeliness."
                ),
                family_explanation=(
                    "When the council receives a request for an EHC needs assessment it has "
                    "6 weeks to decide whether to carry one out and to tell you. If it decides "
                    "not to, it must tell you why, and about mediation and your right to appeal."
                ),
            )
        ),
        _eased(
            Rule(
                key="advice",
                label="Give the advice asked for in the assessment",
                period="6 weeks",
                counted_from=(
                    "the day the adviser (educational psychology, health, social care, the "
                    "school or another body) receives the local authority's request for advice"
                ),
                regulation=(
                    f"{_REGS} reg 8(1) (bodies asked to co-operate under Children and Families "
                    "Act 2014 s.31); SEND Code of Practice 9.52 (schools, early years settings "
                    "and educational psychologists)"
                ),
                exceptions=("8(2)(a)", "8(2)(b)", "8(2)(c)"),
                counting=Counting("weeks", 6),
                if_missed=(
                    "Late advice holds up the draft plan and puts the 20-week limit at risk; "
                    "the adviser is in breach of the duty to co-operate."
                ),
                family_explanation=(
                    "Everyone the council asks for advice about your child (for example the "
                    "educational psychologist, health and social care) should normally reply "
                    "within 6 weeks of being asked. For health bodies and other councils asked "
                    "to co-operate this is a legal duty; for schools and educational "
                    "psychologists it is what the Code of Practice expects."
                ),
                notes=(
                    'reg 8(1): "Where a local authority requests the co-operation of a body in '
                    'securing advice or information ... in accordance with section 31" the body '
                    "must comply within 6 weeks. Schools and educational psychologists are not "
                    "asked under s.31: their 6 weeks is the Code's (9.52)."
                ),
            )
        ),
        _eased(
            Rule(
                key="notice_not_to_issue",
                label="Tell the family if the local authority decides not to issue a plan",
                period="16 weeks",
                counted_from=_REQUEST,
                regulation=f"{_REGS} reg 10(1)",
                exceptions=_REG10_4,
                counting=Counting("weeks", 16),
                if_missed=(
                    "The family waits more than 16 weeks without knowing whether a plan will "
                    "be issued, which delays any appeal."
                ),
                family_explanation=(
                    "If after the assessment the council decides not to issue an EHC plan, it "
                    "must tell you within 16 weeks of the request, give its reasons, and tell "
                    "you about mediation and your right to appeal."
                ),
                notes=(
                    "Applies while the local authority might still decide not to issue: it "
                    "stops applying once it decides not to assess, serves a draft plan or "
                    "issues the final plan."
                ),
            )
        ),
        (
            Rule(
                key="draft_plan_comments_close",
                label="Family's time to comment on the draft plan and ask for a school",
                period="at least 15 days, beginning with the day the draft is served",
                counted_from="the day the draft plan is served on the parent or young person",
                regulation=f"{_REGS} reg 13(1)",
                exceptions=(),
                counting=Counting("days_beginning_with", 15),
                day_one_convention=False,
                if_missed=(
                    "If the final plan is issued before the 15 days are up the family has lost "
                    "part of its right to comment and to ask for a school; the plan can be "
                    "challenged."
                ),
                family_explanation=(
                    "You have at least 15 days, starting on the day you receive the draft "
                    "plan, to comment on it, ask for a meeting and ask for a particular school "
                    "or college. The council must not finalise the plan before then."
                ),
                notes=(
                    "Met when the window has run its full length without the final plan being "
                    "issued inside it."
                ),
            ),
        ),
        (
            Rule(
                key="consultation",
                label="School or college answers the consultation about being named",
                period="15 days",
                counted_from="the day the local authority sends the consultation",
                regulation=(
                    "Children and Families Act 2014 s.39(2) and s.40(3); SEND Code of Practice 9.83"
                ),
                exceptions=(),
                counting=Counting("days", 15),
                duty="should",
                source="secondary",
                if_missed=(
                    "The local authority must still decide which school to name; a late answer "
                    "can push the final plan past 20 weeks."
                ),
                family_explanation=(
                    "Before naming a school or college in the plan the council must consult "
                    "it. The school or college should answer within 15 days."
                ),
            ),
        ),
        _eased(
            Rule(
                key="final_plan",
                label="Issue the final EHC plan",
                period="20 weeks",
                counted_from=_REQUEST,
                regulation=f"{_REGS} reg 13(2)",
                exceptions=_REG10_4,
                counting=Counting("weeks", 20),
                if_missed=(
                    "The plan is late: the child waits for the provision it secures, and the "
                    "case counts against the 20-week timeliness the DfE publishes (with and "
                    "without exceptions)."
                ),
                family_explanation=(
                    "From the council receiving the request to you receiving the final EHC "
                    "plan should take no more than 20 weeks."
                ),
                notes="reg 13(3) applies the reg 10(4) exceptions to this limit.",
            )
        ),
        _eased(
            Rule(
                key="reassessment_decision",
                label="Decide whether to re-assess",
                period="15 days",
                counted_from="the day the local authority receives a request to re-assess",
                regulation=f"{_REGS} reg 25",
                exceptions=(),
                counting=Counting("days", 15),
                source="secondary",
                if_missed="The family waits longer than 15 days to learn whether a re-assessment "
                "will happen.",
                family_explanation=(
                    "If you ask for your child's needs to be re-assessed, the council should "
                    "tell you within 15 days whether it will do so."
                ),
            )
        ),
        _eased(
            Rule(
                key="reassessment_final_plan",
                label="Issue the plan after a re-assessment",
                period="14 weeks",
                counted_from="the day the local authority gives notice that it will re-assess",
                regulation=f"{_REGS} reg 27(2)",
                exceptions=("27(3)(c)", "27(3)(d)", "27(3)(a)", "27(3)(b)"),
                counting=Counting("weeks", 14),
                if_missed="The re-assessed plan is late and the child waits for changed provision.",
                family_explanation=(
                    "After deciding to re-assess, the council has 14 weeks to send you the "
                    "amended plan (or tell you it will not change it)."
                ),
            )
        ),
        _eased(
            Rule(
                key="annual_review_meeting",
                label="Review the EHC plan (annual review)",
                period=(
                    "in the period of 12 months starting with the date the plan was first made, "
                    "then starting with the date of the last review (it ends the day before the "
                    "anniversary)"
                ),
                counted_from="the date the plan was first made, then the date of the last review",
                regulation="Children and Families Act 2014 s.44(1); SEND Code of Practice 9.166",
                exceptions=(),
                counting=Counting("months_starting_with", 12),
                # "Starting with" already makes the first day day 1: a council's day-one habit
                # has nothing left to move.
                day_one_convention=False,
                if_missed=(
                    "The plan goes more than a year without a review, so its outcomes and "
                    "provision may be out of date; the local authority is in breach of s.44."
                ),
                family_explanation=(
                    "Your child's EHC plan must be reviewed at least once in every 12 months: "
                    "by the day before the anniversary of the date it was made (or last "
                    "reviewed). For children under 5 the Code suggests a review every 3 to 6 "
                    "months."
                ),
                notes=(
                    's.44(1): "in the period of 12 months starting with the date on which the '
                    'plan was first made", then "the date on which the plan was last '
                    'reviewed". Made 20 May 2024: review by 19 May 2025.'
                ),
            )
        ),
        _eased(
            Rule(
                key="review_meeting_notice",
                label="Invite people to the review meeting and send them the advice",
                period="at least 2 weeks before the meeting",
                counted_from="the date of the review meeting (counted back)",
                regulation=f"{_REGS} reg 20(3)-(4) and 21(3)-(4)",
                exceptions=(),
                counting=Counting("weeks_before", 2),
                day_one_convention=False,
                if_missed=(
                    "People invited late may not be able to come or to read the advice first, "
                    "so the review is less well informed."
                ),
                family_explanation=(
                    "You must be invited to the review meeting, and sent the advice and "
                    "information gathered for it, at least 2 weeks before the meeting."
                ),
            )
        ),
        _eased(
            Rule(
                key="review_report",
                label="Send the report of the review meeting",
                period="2 weeks",
                counted_from="the day of the review meeting",
                regulation=f"{_REGS} reg 20(7) and 21(7)",
                exceptions=(),
                counting=Counting("weeks", 2),
                if_missed="Everyone waits for the review's recommendations, delaying the decision.",
                family_explanation=(
                    "Within 2 weeks of the review meeting, everyone must be sent a report of "
                    "it, including any changes it recommends to the plan."
                ),
            )
        ),
        _eased(
            Rule(
                key="review_decision",
                label="Decide to keep, amend or cease the plan after the review",
                period="4 weeks",
                counted_from="the day of the review meeting",
                regulation=f"{_REGS} reg 20(10)",
                exceptions=(),
                counting=Counting("weeks", 4),
                source="secondary",
                if_missed=(
                    "The family does not know what will happen to the plan, and any appeal "
                    "is delayed."
                ),
                family_explanation=(
                    "Within 4 weeks of the review meeting the council must tell you whether it "
                    "will keep the plan as it is, change it or stop it. If it wants to change "
                    "the plan it should send the proposed changes with its decision."
                ),
            )
        ),
        (
            Rule(
                key="review_interval_under_5",
                label="Review the EHC plan of a child under 5 (areas reviewing every 6 months)",
                period="6 months",
                counted_from="the date the plan was issued, then the date of the previous review",
                regulation=(
                    "SEND Code of Practice 9.178 (under-5s reviewed every 3 to 6 months); "
                    "Children and Families Act 2014 s.44(1); "
                    f"{_REGS} reg 2 (a child under compulsory school age)"
                ),
                exceptions=(),
                counting=Counting("months", 6),
                duty="should",
                source="secondary",
                if_missed=(
                    "A young child's needs change quickly: a plan not looked at for more than "
                    "6 months may describe a child who has moved on."
                ),
                family_explanation=(
                    "For children under 5 the council should review the plan every 3 to 6 "
                    "months; this council has chosen to review every 6 months."
                ),
                notes="Used only where the area has chosen 6-monthly reviews for under-5s.",
            ),
        ),
        _eased(
            Rule(
                key="review_advice_circulated",
                label="Send the advice and information gathered for the review meeting",
                period="at least 2 weeks before the meeting",
                counted_from="the date of the review meeting (counted back)",
                regulation=f"{_REGS} reg 20(4) and 21(4)",
                exceptions=(),
                counting=Counting("weeks_before", 2),
                day_one_convention=False,
                if_missed=(
                    "People come to the meeting without having read the advice, so the review "
                    "cannot weigh it properly."
                ),
                family_explanation=(
                    "The advice and information gathered for the review must be sent to "
                    "everyone invited at least 2 weeks before the meeting."
                ),
            )
        ),
        (
            Rule(
                key="amendment_comments_close",
                label="Family's time to comment on proposed amendments",
                period="at least 15 days, beginning with the day the proposed amendments are sent",
                counted_from="the day the local authority sends the proposed amendments",
                regulation=f"{_REGS} reg 22(2)(c)",
                exceptions=(),
                counting=Counting("days_beginning_with", 15),
                day_one_convention=False,
                if_missed=(
                    "If the amended plan is issued before the 15 days are up, the family has "
                    "lost part of its right to comment; the plan can be challenged."
                ),
                family_explanation=(
                    "When the council proposes changes to the plan you have at least 15 days "
                    "to comment on them and to ask for a particular school or college."
                ),
                notes=(
                    "Counted from the day the amendments are sent, the day usually recorded. "
                    "Met when the window has run its full length without the amended plan "
                    "being issued inside it."
                ),
            ),
        ),
        _eased(
            Rule(
                key="amended_plan",
                label="Issue the amended plan",
                period="8 weeks",
                counted_from="the day the local authority sends the proposed amendments",
                regulation=f"{_REGS} reg 22(3)",
                exceptions=(),
                counting=Counting("weeks", 8),
                if_missed="The child waits longer for the changed provision.",
                family_explanation=(
                    "Once the council has sent you proposed changes, it must issue the "
                    "amended plan within 8 weeks."
                ),
            )
        ),
        (
            Rule(
                key="phase_transfer_school",
                label="Amend the plan for a move to a new phase of education",
                period=(
                    "before 15 February of the calendar year of the transfer (last day 14 February)"
                ),
                counted_from="the calendar year in which the child transfers between phases",
                regulation=f"{_REGS} reg 18(1)(b)",
                exceptions=(),
                counting=Counting("before_fixed_date", month=2, day=15),
                day_one_convention=False,
                if_missed=(
                    "The family does not know the new school in time to prepare for the move; "
                    "placements may be lost."
                ),
                family_explanation=(
                    "When your child is moving to a new phase (from early years to school, "
                    "infant to junior, primary to middle or secondary, or middle to secondary "
                    "school), the plan naming the new school must be reviewed and amended "
                    "before 15 February of the year of the move: by 14 February at the latest."
                ),
                notes=(
                    'reg 18(1): "before ... (b) 15th February in the calendar year of the '
                    'transfer in any other case"; "before" leaves 14 February as the last day.'
                ),
            ),
        ),
        (
            Rule(
                key="phase_transfer_post16",
                label="Amend the plan for a move from secondary school to post-16",
                period="before 31 May 2015 (transfers to post-16 on 1 September 2015)",
                counted_from="the calendar year in which the young person moves to post-16",
                regulation=f"{_REGS} reg 18(3)",
                exceptions=(),
                counting=Counting("before_fixed_date", month=5, day=31),
                in_force_to=date(2015, 12, 31),
                day_one_convention=False,
                if_missed=(
                    "The young person does not know their post-16 placement in time to prepare "
                    "for the move."
                ),
                family_explanation=(
                    "For a young person moving from school to a college or sixth form on "
                    "1 September 2015, the plan naming it had to be amended before 31 May 2015."
                ),
                notes=(
                    "reg 18(3): for transfers to a post-16 institution on 1 September 2015 the "
                    "date was 31 May 2015, not 31 March. The version is chosen by the year of "
                    "the transfer (counted from 1 January of it)."
                ),
            ),
            Rule(
                key="phase_transfer_post16",
                label="Amend the plan for a move from secondary school to post-16",
                period="before 31 March of the calendar year of the transfer (last day 30 March)",
                counted_from="the calendar year in which the young person moves to post-16",
                regulation=f"{_REGS} reg 18(1)(a)",
                exceptions=(),
                counting=Counting("before_fixed_date", month=3, day=31),
                in_force_from=date(2016, 1, 1),
                day_one_convention=False,
                if_missed=(
                    "The young person does not know their post-16 placement in time to prepare "
                    "for the move."
                ),
                family_explanation=(
                    "When a young person is moving from school to a college or sixth form, the "
                    "plan naming it must be reviewed and amended before 31 March of the year of "
                    "the move: by 30 March at the latest."
                ),
                notes=(
                    'reg 18(1): "before (a) 31st March in the calendar year of the transfer, in '
                    'the case of a transfer from secondary school to a post-16 institution"; '
                    '"before" leaves 30 March as the last day.'
                ),
            ),
        ),
        (
            Rule(
                key="post16_move_amendment",
                label="Amend the plan for a move between post-16 institutions at another time",
                period="at least 5 months before the move",
                counted_from="the date of the move (counted back)",
                regulation=f"{_REGS} reg 18(2)",
                exceptions=(),
                counting=Counting("months_before", 5),
                day_one_convention=False,
                if_missed="The young person does not know their new placement in time.",
                family_explanation=(
                    "If a young person moves between post-16 institutions at another time of "
                    "year, the plan must be amended at least 5 months before the move."
                ),
            ),
        ),
        (
            Rule(
                key="mediation_contact",
                label="Contact the mediation adviser before appealing",
                period="2 months",
                counted_from="the date of the local authority's decision notice",
                regulation=f"{_REGS} reg 33",
                exceptions=(),
                counting=Counting("months", 2),
                duty="family",
                day_one_convention=False,
                if_missed=(
                    "The family cannot register most appeals without a mediation certificate, "
                    "and the appeal deadline may pass."
                ),
                family_explanation=(
                    "If you want to appeal (other than only about the school named), you must "
                    "first contact a mediation adviser, within 2 months of the council's "
                    "decision letter. You do not have to go to mediation."
                ),
            ),
        ),
        (
            Rule(
                key="mediation_certificate",
                label="Mediation adviser issues the certificate",
                period="3 working days",
                counted_from=(
                    "the day the family tells the mediation adviser it does not want mediation"
                ),
                regulation=f"{_REGS} reg 34",
                exceptions=(),
                counting=Counting("working_days", 3),
                source="secondary",
                day_one_convention=False,
                if_missed="The family's appeal is held up waiting for the certificate.",
                family_explanation=(
                    "If you decide not to go to mediation, the mediation adviser must give you "
                    "a certificate within 3 working days so you can appeal."
                ),
            ),
        ),
        (
            Rule(
                key="mediation_held",
                label="Hold the mediation",
                period="30 days",
                counted_from="the day the local authority is told the family wants mediation",
                regulation=f"{_REGS} reg 37",
                exceptions=(),
                counting=Counting("days", 30),
                source="secondary",
                if_missed="The dispute runs on and the appeal is delayed.",
                family_explanation=(
                    "If you choose mediation, it must normally take place within 30 days of "
                    "the council being told."
                ),
            ),
        ),
        (
            Rule(
                key="appeal_deadline",
                label="Appeal to the First-tier Tribunal (SEND)",
                period=(
                    "2 months from the decision letter, or 1 month from the mediation "
                    "certificate if that is later"
                ),
                counted_from="the date of the local authority's decision letter",
                regulation=(
                    "Tribunal Procedure (First-tier Tribunal) (Health, Education and Social "
                    "Care Chamber) Rules 2008 r.20(1)(c), r.12(2) and r.12(3)(a)"
                ),
                exceptions=(),
                counting=Counting("months", 2),
                duty="family",
                day_one_convention=False,
                if_missed=(
                    "The appeal is late; the Tribunal may refuse to admit it unless it extends "
                    "the time."
                ),
                family_explanation=(
                    "You can appeal to the SEND Tribunal within 2 months of the council's "
                    "decision letter, or within 1 month of getting a mediation certificate, "
                    "whichever is later. If that day is a weekend or bank holiday you have until "
                    "the next working day; if it falls in August, until the first working day "
                    "in September; if it falls between 25 December and 1 January, until the "
                    "first working day after 1 January."
                ),
                notes=(
                    "r.12(2): a time ending on a non-working day is met on the next working "
                    "day; r.12(3)(a): in August, the first working day after 31 August; from 25 "
                    "December to 1 January, the first working day after 1 January."
                ),
            ),
        ),
        (
            Rule(
                key="appeal_after_mediation_certificate",
                label="Appeal after a mediation certificate",
                period="1 month",
                counted_from="the date of the mediation certificate",
                regulation=(
                    "Tribunal Procedure (First-tier Tribunal) (Health, Education and Social "
                    "Care Chamber) Rules 2008 r.20(1)(c) and r.12"
                ),
                exceptions=(),
                counting=Counting("months", 1),
                duty="family",
                source="secondary",
                day_one_convention=False,
                if_missed="As for the appeal deadline: the later of the two dates applies.",
                family_explanation=(
                    "After you get a mediation certificate you have at least 1 month to appeal."
                ),
            ),
        ),
    ]
    tribunal_steps = (
        (
            "tribunal_notify_assess",
            "Tell the family the assessment will go ahead (Tribunal order to assess)",
            2,
            "reg 44(2)(b)",
            "After the Tribunal orders an assessment, the council must tell you within 2 weeks "
            "that it will carry it out.",
        ),
        (
            "tribunal_decide_not_to_issue",
            "Tell the family if no plan will be issued (Tribunal order to assess)",
            10,
            "reg 44(2)(b)(i)",
            "If after a Tribunal-ordered assessment the council decides not to issue a plan, "
            "it must tell you within 10 weeks of the order.",
        ),
        (
            "tribunal_final_plan_after_assessment",
            "Issue the final plan (Tribunal order to assess)",
            14,
            "reg 44(2)(b)(ii)",
            "If after a Tribunal-ordered assessment the council decides to issue a plan, you "
            "must have the final plan within 14 weeks of the order.",
        ),
        (
            "tribunal_draft_plan",
            "Issue the draft plan (Tribunal order to make a plan)",
            5,
            "reg 44(2)(c)(i)",
            "If the Tribunal orders the council to make a plan, it must send you a draft within "
            "5 weeks of the order.",
        ),
        (
            "tribunal_final_plan",
            "Issue the final plan (Tribunal order to make a plan)",
            11,
            "reg 44(2)(c)(ii)",
            "If the Tribunal orders the council to make a plan, you must have the final plan "
            "within 11 weeks of the order.",
        ),
        (
            "tribunal_amend_plan",
            "Issue the amended plan (Tribunal order to amend)",
            5,
            "reg 44(2)(e)",
            "If the Tribunal orders changes to the plan, the council must issue the amended "
            "plan within 5 weeks of the order.",
        ),
        (
            "tribunal_name_school",
            "Name the school the Tribunal ordered",
            2,
            "reg 44(2)(f)",
            "If the Tribunal orders only the school or college named in the plan to change, the "
            "council must issue the amended plan within 2 weeks of the order.",
        ),
    )
    for key, label, weeks, paragraph, explanation in tribunal_steps:
        rules.append(
            _eased(
                Rule(
                    key=key,
                    label=label,
                    period=f"{weeks} weeks",
                    counted_from=_TRIBUNAL_FROM,
                    regulation=f"{_REGS} {paragraph}",
                    exceptions=_TRIBUNAL_EXCEPTIONS,
                    counting=Counting("weeks", weeks),
                    if_missed=_TRIBUNAL_MISSED,
                    family_explanation=explanation,
                    notes="If the local authority conceded the appeal, reg 45 applies the same "
                    "periods from the date it told the Tribunal.",
                )
            )
        )
    rules.extend(_new_processes())
    rules.append(
        (
            Rule(
                key="tribunal_cease",
                label="Cease to maintain the plan (Tribunal dismissed the appeal against ceasing)",
                period="at once: the day of the Tribunal's decision",
                counted_from="the date of the Tribunal's decision dismissing the appeal",
                regulation=f"{_REGS} reg 44(2)(a)",
                exceptions=(),
                counting=Counting("days", 0),
                day_one_convention=False,
                if_missed=(
                    "Nothing is late: the plan ceases to be maintained on the day of the "
                    "decision, with no further period."
                ),
                family_explanation=(
                    "If the Tribunal dismisses your appeal against the council's decision to "
                    "stop maintaining the plan, the plan ends straight away."
                ),
                notes=(
                    "reg 44(2)(a): where the Tribunal dismisses an appeal against a decision to "
                    "cease to maintain the plan, the local authority may cease at once. The "
                    "milestone records the day the plan ended; it cannot be missed."
                ),
            ),
        )
    )
    return {versions[0].key: versions for versions in rules}


#: The Tribunal's recommendations power (2017 Regulations) applies to appeals on decisions made
#: from 3 April 2018.
RECOMMENDATIONS_FROM = date(2018, 4, 3)


def _new_processes() -> list[tuple[Rule, ...]]:
    """Processes added by decision 0130: a plan transferred in from another council (reg 15,
    16), a decision not to amend (reg 22(4)), mediation and its agreement (reg 37, 42), and
    the Tribunal's recommendations to health and social care (2017 Regulations)."""
    return [
        (
            Rule(
                key="transfer_plan",
                label="The old council transfers the plan to the new council",
                period=(
                    "on the day of the move, or within 15 working days of learning of it if "
                    "the old council did not know at least 15 working days before"
                ),
                counted_from=(
                    "the day of the move, or the day the old council learned of it if that was "
                    "less than 15 working days before"
                ),
                regulation=f"{_REGS} reg 15",
                exceptions=(),
                # reg 15(2): "within 15 working days beginning with the day on which it did
                # become aware": that day is the first of the 15.
                counting=Counting("working_days_beginning_with", 15),
                day_one_convention=False,
                if_missed="The new council cannot take over the child's provision in time.",
                family_explanation=(
                    "When you move to another council's area, your old council must send your "
                    "child's plan to the new council on the day you move (or within 15 working "
                    "days of finding out, if it did not know in good time)."
                ),
            ),
        ),
        _eased(
            Rule(
                key="transfer_family_notice",
                label="The new council tells the family whether it will assess and when it "
                "will review",
                period="6 weeks",
                counted_from="the day the plan was transferred",
                regulation=f"{_REGS} reg 15",
                exceptions=(),
                counting=Counting("weeks", 6),
                if_missed="The family does not know what the new council will do with the plan.",
                family_explanation=(
                    "Within 6 weeks of the plan being transferred, the new council must tell "
                    "you whether it will carry out a new assessment and when it will review "
                    "the plan."
                ),
            )
        ),
        (
            Rule(
                key="transfer_review",
                label="Review a plan transferred from another council",
                period=(
                    "by the later of the end of the 12 months starting with the plan's making "
                    "or last review and 3 months from the transfer"
                ),
                counted_from="the plan's making or last review, and the day of the transfer",
                regulation=f"{_REGS} reg 15; Children and Families Act 2014 s.44(1)",
                exceptions=(),
                counting=Counting("months", 3),
                day_one_convention=False,
                if_missed="The transferred plan goes unreviewed longer than the law allows.",
                family_explanation=(
                    "After a plan is transferred, the new council must review it within 12 "
                    "months of when it was made or last reviewed, or within 3 months of the "
                    "transfer if that is later."
                ),
                notes="The 3 months is the minimum a new council has; the due day is the later.",
            ),
        ),
        (
            Rule(
                key="transfer_health",
                label="The health commissioning body changes: the old body tells the new one",
                period="15 working days",
                counted_from="the day the old commissioning body learned of the move",
                regulation=f"{_REGS} reg 16",
                exceptions=(),
                counting=Counting("working_days", 15),
                day_one_convention=False,
                if_missed="The health provision in section G may lapse across the move.",
                family_explanation=(
                    "If your move means a different NHS body is responsible for the health "
                    "provision in the plan, the old body must tell the new one within 15 "
                    "working days of learning of the move."
                ),
            ),
        ),
        _eased(
            Rule(
                key="decision_not_to_amend",
                label="Tell the family the plan will not be amended after all",
                period="8 weeks",
                counted_from="the day the local authority sends the proposed amendments",
                regulation=f"{_REGS} reg 22(4)",
                exceptions=(),
                counting=Counting("weeks", 8),
                if_missed=(
                    "The family waits without knowing the outcome, and any appeal is delayed."
                ),
                family_explanation=(
                    "If, after sending you proposed changes, the council decides not to amend "
                    "the plan, it must tell you within 8 weeks of sending them, with your "
                    "right to appeal."
                ),
            )
        ),
        (
            Rule(
                key="mediation_certificate_after_mediation",
                label="Mediator issues the certificate after mediation",
                period="3 working days",
                counted_from=(
                    "the day mediation ended, or the end of the 30 days if it was not held in time"
                ),
                regulation=f"{_REGS} reg 37",
                exceptions=(),
                counting=Counting("working_days", 3),
                source="secondary",
                day_one_convention=False,
                if_missed="The family's appeal is held up waiting for the certificate.",
                family_explanation=(
                    "After mediation (or if it has not happened within 30 days), the mediator "
                    "must give you a certificate within 3 working days so you can appeal."
                ),
            ),
        ),
        (
            Rule(
                key="mediation_agreement_other",
                label="Do what was agreed at mediation (not an appealable matter)",
                period="2 weeks",
                counted_from="the date of the mediation agreement",
                regulation=f"{_REGS} reg 42",
                exceptions=(),
                counting=Counting("weeks", 2),
                if_missed="The family can complain; the agreement is not being honoured.",
                family_explanation=(
                    "If mediation ends in an agreement, the council must do what it agreed. "
                    "Anything that could have been appealed follows the same time limits as a "
                    "Tribunal order; anything else within 2 weeks."
                ),
                notes=(
                    "reg 42: agreed appealable matters run on the periods of reg 44 (as if "
                    "the Tribunal had ordered them); the rest within 2 weeks."
                ),
            ),
        ),
        (
            Rule(
                key="tribunal_recommendation_response",
                label="Health or social care body answers the Tribunal's recommendation",
                period="5 weeks",
                counted_from="the date of the Tribunal's decision making the recommendation",
                regulation=(
                    "Special Educational Needs and Disability (First-tier Tribunal "
                    "Recommendations Power) Regulations 2017 (CFA 2014 s.51 appeals on decisions "
                    "from 3 April 2018)"
                ),
                exceptions=(),
                counting=Counting("weeks", 5),
                in_force_from=RECOMMENDATIONS_FROM,
                source="secondary",
                if_missed=(
                    "The family does not know whether the health or social care provision "
                    "the Tribunal recommended will be made."
                ),
                family_explanation=(
                    "If the Tribunal recommends health or social care provision, the body "
                    "responsible must tell you and the council within 5 weeks what it will do "
                    "and, if it will not follow the recommendation, why."
                ),
            ),
        ),
    ]


_VERSIONS: dict[str, tuple[Rule, ...]] = _registry()


def rule_keys() -> tuple[str, ...]:
    """Every rule key, in process order."""
    return tuple(_VERSIONS)


def rule_versions(key: str) -> tuple[Rule, ...]:
    """All versions of a rule, oldest first."""
    return _VERSIONS[key]


def rule(key: str, on: date | None = None) -> Rule:
    """The version of rule `key` in force on `on` (default: the current version).

    Raises LookupError if no version was in force that day (before 1 September 2014).
    """
    versions = _VERSIONS[key]
    if on is None:
        return versions[-1]
    for version in versions:
        if version.in_force_on(on):
            return version
    raise LookupError(f"no version of {key!r} was in force on {on.isoformat()}")


def period_days(key: str, on: date | None = None) -> int:
    """How many days long limit `key` is in the version in force on `on` (default: the current
    version): 42 for the 6 weeks of reg 4(1) and reg 8(1), 140 for the 20 weeks of reg 13(2), 15
    for the family's days on a draft plan (reg 13(1)). For code that shapes dates around the law
    without running a case's clock (the demonstration seed); a case's due date is `Rule.due`.

    Raises ValueError for a limit not counted in days or weeks."""
    version = rule(key, on)
    days = version.counting.length_days()
    if days is None:
        raise ValueError(f"{key!r} is counted in {version.counting.unit}, not in days or weeks")
    return days


def rules(on: date | None = None) -> list[Rule]:
    """One version of every rule (in force on `on`, default current), for docs and pages."""
    found = []
    for versions in _VERSIONS.values():
        if on is None:
            found.append(versions[-1])
        else:
            found.extend(version for version in versions if version.in_force_on(on))
    return found


def exception_keys_on(key: str, due: date) -> tuple[str, ...]:
    """Exceptions that can lift rule `key` for a limit that fell due on `due`.

    Those of the version in force on the due day: whether a missed limit was excused is judged
    by the law when it was missed. So the 2020 easement lifts a limit that fell due from 1 May
    to 25 September 2020, not one whose clock merely ran then (SI 2020/471; decision 0130).
    """
    return rule(key, due).exceptions


def registry_json(on: date | None = None) -> dict:
    """The registry as JSON-ready data: ``{"rules_version", "rules": [...], "exceptions"}``."""
    return {
        "rules_version": RULES_VERSION,
        "rules": [version.to_json() for version in rules(on)],
        "exceptions": [kind.to_json() for kind in EXCEPTION_KINDS.values()],
    }
