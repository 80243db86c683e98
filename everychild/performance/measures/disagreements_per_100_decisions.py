"""Mediations and appeals per 100 decisions (DOMAIN.md section 5, "Disagreement").

A mediation is counted on the day it was held (SEND Regulations 2014 regs 32-42); an appeal to
the First-tier Tribunal (SEND) on the day it was registered. The decisions families may
disagree with are the decisions whether to assess and whether to issue a plan (and, once a
plan is issued, its contents): each counts on the day it was made."""

from everychild.performance.measures.base import (
    Definition,
    Event,
    Figure,
    FlowMeasure,
    RecordKind,
    Unit,
)


class DisagreementsPer100Decisions(FlowMeasure):
    id = "disagreements_per_100_decisions"
    title = "Mediations and appeals per 100 decisions"
    short_title = "Disagreement rate"
    unit = Unit.COUNT
    record_kind = RecordKind.DISAGREEMENT
    higher_is_better = False
    aggregate = "rate"
    definition = Definition(
        numerator="Mediations held plus appeals to the Tribunal registered in the period.",
        denominator="Decisions in the period: whether to assess, whether to issue a plan, and "
        "final plans issued (each a decision a family may take to mediation or appeal).",
        period="The day of the mediation, the appeal's registration or the decision falls in "
        "the period.",
        exclusions="Disagreements resolved before mediation; complaints that are not about "
        "these decisions.",
    )

    def events(self, data):
        # Decisions: counted (the denominator), not hits. Their ids are not disagreements', so
        # they are negative and never shown in the drill-down.
        for case in data.cases:
            for day in (
                case.decision_on if case.decision else None,
                case.final_on,
                case.not_issued_on,
            ):
                if day is not None:
                    yield Event(day, -case.id, True, False)
        for dispute in data.disputes:
            for day in (dispute.mediation_held_on, dispute.appeal_registered_on):
                if day is not None:
                    yield Event(day, dispute.id, False, True)

    def _figure(self, period, events) -> Figure:
        decisions = sum(1 for e in events if e.counted)
        disputes = [e.record_id for e in events if e.hit]
        value = round(100.0 * len(disputes) / decisions, 1) if decisions else None
        return Figure(
            period=period,
            value=value,
            numerator=len(disputes),
            denominator=decisions,
            numerator_ids=sorted(set(disputes)),
            denominator_ids=[],
        )


MEASURE = DisagreementsPer100Decisions()
