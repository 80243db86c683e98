"""Appeals to the First-tier Tribunal (SEND) concluded in the period, by how they ended:
conceded (not opposed) by the local authority, withdrawn by the family, decided with an order,
or dismissed. SEND Regulations 2014 reg 44 sets the time allowed to comply with an order."""

from everychild.performance.measures.base import (
    Definition,
    Event,
    Figure,
    FlowMeasure,
    RecordKind,
    Unit,
)
from everychild.plans.models import Disagreement

OUTCOME_ORDER = (
    Disagreement.Outcome.CONCEDED,
    Disagreement.Outcome.WITHDRAWN,
    Disagreement.Outcome.ORDER,
    Disagreement.Outcome.DISMISSED,
)
APPEAL_OUTCOMES = set(OUTCOME_ORDER)


class TribunalOutcomes(FlowMeasure):
    id = "tribunal_outcomes"
    title = "Tribunal appeals concluded, by outcome"
    short_title = "Tribunal outcomes"
    unit = Unit.COUNT
    record_kind = RecordKind.DISAGREEMENT
    higher_is_better = False
    aggregate = "count"
    definition = Definition(
        numerator="Appeals registered with the Tribunal that ended in the period: conceded by "
        "the local authority, withdrawn, decided with an order, or dismissed.",
        denominator="None: a count, broken down by outcome.",
        period="The day the appeal ended falls in the period.",
        exclusions="Disagreements resolved in mediation without an appeal; appeals still "
        "waiting for a hearing.",
    )

    def events(self, data):
        for dispute in data.disputes:
            if (
                dispute.appeal_registered_on is not None
                and dispute.outcome in APPEAL_OUTCOMES
                and dispute.outcome_on is not None
            ):
                # The outcome rides in the event's amount (its place in OUTCOME_ORDER).
                outcome = float(OUTCOME_ORDER.index(dispute.outcome))
                yield Event(dispute.outcome_on, dispute.id, True, True, outcome)

    def _figure(self, period, events) -> Figure:
        figure = super()._figure(period, events)
        labels = dict(Disagreement.Outcome.choices)
        for event in events:
            label = labels[OUTCOME_ORDER[int(event.amount)]]
            figure.breakdown[label] = figure.breakdown.get(label, 0) + 1
        return figure


MEASURE = TribunalOutcomes()
