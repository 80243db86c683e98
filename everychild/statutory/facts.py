"""The facts of a case that the statutory clock is computed from.

Plain dataclasses with ``__slots__`` (the engine computes hundreds of thousands of timelines in
one process). Build them with :func:`everychild.statutory.contract.parse_facts`, which validates
them; code that builds them directly is trusted to pass consistent facts.

Dates are ``datetime.date``. Every date is something that has happened (on or before
``today``), except setting closures and the planned end of a recorded exception.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

__all__ = [
    "ADVICE_KINDS",
    "MEDIATION_AGREEMENT_KINDS",
    "RECOMMENDATION_BODIES",
    "PHASE_TRANSFERS",
    "PROCESSES",
    "TRIBUNAL_ORDER_KINDS",
    "AdviceRequest",
    "Consultation",
    "Decision",
    "Facts",
    "MediationAgreement",
    "PhaseTransfer",
    "PhaseTransferKind",
    "RecordedException",
    "SettingClosure",
    "TransferIn",
    "TribunalOrder",
    "TribunalRecommendation",
]

PROCESSES = ("assessment", "reassessment", "review", "transfer_in", "tribunal_order")

#: Kinds of advice sought under SEND Regulations 2014 reg 6(1). "early_years" is educational
#: advice from an early years provider, which matters for reg 10(4)(b).
ADVICE_KINDS = (
    "education",
    "early_years",
    "educational_psychology",
    "health",
    "social_care",
    "sensory",
    "preparing_for_adulthood",
    "other",
)

#: What the Tribunal ordered (reg 44(2)): (a) "cease": it dismissed an appeal against ceasing
#: to maintain the plan; (b) "assess"; (c) "make_plan"; (e) "amend_plan"; (f) "name_school".
TRIBUNAL_ORDER_KINDS = ("assess", "make_plan", "amend_plan", "name_school", "cease")

#: What a mediation agreement covers (reg 42): a matter that could have been appealed, agreed
#: as if the Tribunal had ordered it (the reg 44 kinds), or "other" agreed action.
MEDIATION_AGREEMENT_KINDS = ("assess", "make_plan", "amend_plan", "name_school", "other")

#: Who the Tribunal can recommend to (2017 Regulations).
RECOMMENDATION_BODIES = ("health", "social_care")


@dataclass(frozen=True, slots=True)
class PhaseTransferKind:
    """One of the six transfers between phases of education of SEND Regulations 2014 reg 2.

    ``limb`` is the reg 18(1) date it is judged by: "post16" (before 31 March) for secondary
    school to a post-16 institution, "school" (before 15 February) "in any other case".
    ``last_year_group`` is the National Curriculum year group a child usually leaves the first
    phase at (-1 = the year before reception); middle schools vary by area, so an area can say
    otherwise for its own children.
    """

    key: str
    paragraph: str
    from_phase: str
    to_phase: str
    limb: str
    last_year_group: int


#: reg 2(1): "transfer between phases of education" means a transfer from (a) relevant early
#: years education to school; (b) infant school to junior school; (c) primary school to middle
#: school; (d) primary school to secondary school; (e) middle school to secondary school; or
#: (f) secondary school to a post-16 institution.
PHASE_TRANSFERS: dict[str, PhaseTransferKind] = {
    kind.key: kind
    for kind in (
        PhaseTransferKind("early_years_to_school", "(a)", "early years", "school", "school", -1),
        PhaseTransferKind("infant_to_junior", "(b)", "infant school", "junior school", "school", 2),
        PhaseTransferKind(
            "primary_to_middle", "(c)", "primary school", "middle school", "school", 4
        ),
        PhaseTransferKind(
            "primary_to_secondary", "(d)", "primary school", "secondary school", "school", 6
        ),
        PhaseTransferKind(
            "middle_to_secondary", "(e)", "middle school", "secondary school", "school", 8
        ),
        PhaseTransferKind(
            "secondary_to_post16", "(f)", "secondary school", "post-16 education", "post16", 11
        ),
    )
}


@dataclass(slots=True)
class Decision:
    """The decision whether to carry out an EHC needs assessment (reg 4(1)/5(1))."""

    outcome: str  # "assess" | "not_assess"
    on: date


@dataclass(slots=True)
class RecordedException:
    """An exception recorded by a caseworker: which regulation, when, and why."""

    reg: str
    starts_on: date
    ends_on: date | None
    reason: str


@dataclass(slots=True)
class AdviceRequest:
    """A request for advice under reg 6, with the date the adviser received it (reg 8(1))."""

    id: str
    kind: str = "other"
    received_by_body_on: date | None = None
    provided_on: date | None = None
    to_school_or_setting: bool = False
    exceptions: tuple[RecordedException, ...] = ()


@dataclass(slots=True)
class SettingClosure:
    """A school, college or early years setting closure: the first and last closed day."""

    first_closed_day: date
    last_closed_day: date


@dataclass(slots=True)
class Consultation:
    """A consultation with a school or college about being named in the plan (s.39-40)."""

    id: str
    sent_on: date | None = None
    answered_on: date | None = None


@dataclass(slots=True)
class PhaseTransfer:
    """A transfer between phases of education in calendar year `year` (reg 2, reg 18(1)).

    ``kind`` is the reg 18(1) date it is judged by ("school": before 15 February; "post16":
    before 31 March); ``transfer`` names which of the six reg 2 transfers it is, when known
    (a key of :data:`PHASE_TRANSFERS`).
    """

    year: int
    kind: str  # "school" | "post16"
    transfer: str = ""


@dataclass(slots=True)
class TribunalOrder:
    """An order of the First-tier Tribunal (SEND) and what the local authority did (reg 44).

    ``unopposed`` means the local authority told the Tribunal it would not oppose the appeal;
    ``on`` is then the date it did so (reg 45).
    """

    kind: str  # one of TRIBUNAL_ORDER_KINDS
    on: date
    unopposed: bool = False
    notified_on: date | None = None
    decision_not_to_issue_on: date | None = None
    draft_plan_issued_on: date | None = None
    final_plan_issued_on: date | None = None
    amended_plan_issued_on: date | None = None


@dataclass(slots=True)
class MediationAgreement:
    """What the local authority agreed at mediation, and when it did it (reg 42).

    For an appealable matter (``kind`` one of the reg 44 order kinds) the step dates are those
    of a :class:`TribunalOrder`; for ``other`` agreed action, ``done_on``.
    """

    kind: str  # one of MEDIATION_AGREEMENT_KINDS
    on: date
    notified_on: date | None = None
    decision_not_to_issue_on: date | None = None
    draft_plan_issued_on: date | None = None
    final_plan_issued_on: date | None = None
    amended_plan_issued_on: date | None = None
    done_on: date | None = None
    unopposed: bool = False  # never: keeps the shape of a TribunalOrder for the shared steps


@dataclass(slots=True)
class TribunalRecommendation:
    """A recommendation of the Tribunal to a health or social care body (2017 Regulations),
    dated the day of the Tribunal's decision, and the day the body answered."""

    id: str
    body: str  # "health" | "social_care"
    on: date
    answered_on: date | None = None


@dataclass(slots=True)
class TransferIn:
    """A plan transferred from another council when the child moved in (reg 15, 16)."""

    moved_on: date
    old_authority_aware_on: date | None = None
    plan_transferred_on: date | None = None
    family_notified_on: date | None = None
    health_body_aware_on: date | None = None
    health_body_notified_on: date | None = None


@dataclass(slots=True)
class Facts:
    """Everything the engine needs to know about one case. Only ``today`` is required."""

    today: date
    process: str = "assessment"
    # Assessment (SEND Regulations 2014 regs 3-14).
    request_received: date | None = None
    decision: Decision | None = None
    advice: tuple[AdviceRequest, ...] = ()
    setting_closures: tuple[SettingClosure, ...] = ()
    draft_plan_served_on: date | None = None
    # The family agreed the final plan could be issued before its 15 days were up (reg 13(1)).
    family_agreed_early_issue_on: date | None = None
    consultations: tuple[Consultation, ...] = ()
    decision_not_to_issue_on: date | None = None
    final_plan_issued_on: date | None = None
    exceptions: tuple[RecordedException, ...] = ()
    # Reviews and amendments (CFA 2014 s.44; regs 18-22).
    plan_issued_on: date | None = None
    last_review_meeting_on: date | None = None
    review_notice_sent_on: date | None = None
    review_meeting_on: date | None = None
    review_report_sent_on: date | None = None
    review_decision_on: date | None = None
    proposed_amendments_sent_on: date | None = None
    amended_plan_issued_on: date | None = None
    # The family agreed the amended plan could be issued before its 15 days were up (reg 22).
    family_agreed_early_amendment_on: date | None = None
    # The local authority decided not to amend after proposing amendments (reg 22(4)).
    decision_not_to_amend_on: date | None = None
    # A move between post-16 institutions at another time of year (reg 18(2)): its date.
    post16_move_on: date | None = None
    # A plan transferred in from another council (reg 15, 16): process "transfer_in".
    transfer_in: TransferIn | None = None
    phase_transfer: PhaseTransfer | None = None
    date_of_birth: date | None = None
    # Disagreement (regs 33-34; Tribunal rules r.20).
    decision_letter_on: date | None = None
    mediation_contacted_on: date | None = None
    mediation_certificate_on: date | None = None
    appeal_lodged_on: date | None = None
    # Mediation (reg 37, 42): the day the local authority was told the family wants it, the
    # day it was held, and any agreement reached.
    mediation_requested_on: date | None = None
    mediation_held_on: date | None = None
    mediation_agreement: MediationAgreement | None = None
    # Tribunal order (regs 44-45).
    tribunal_order: TribunalOrder | None = None
    tribunal_recommendations: tuple[TribunalRecommendation, ...] = ()
    # The caseworker recorded that no reason relating to coronavirus made a 2020 limit
    # impractical, so the SI 2020/471 easement (otherwise assumed) does not apply.
    no_coronavirus_reason: bool = False
