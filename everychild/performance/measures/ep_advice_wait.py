"""How long psychological advice took: the median and 90th percentile wait, in weeks, for EP
advice given in the period (reg 8(1) allows 6 weeks)."""

from everychild.performance.measures.base import Definition, Event, FlowMeasure, RecordKind, Unit


class EPAdviceWait(FlowMeasure):
    id = "ep_advice_wait"
    title = "Median wait for EP advice (weeks)"
    short_title = "EP advice wait"
    unit = Unit.WEEKS
    record_kind = RecordKind.ADVICE
    higher_is_better = False
    aggregate = "median"
    definition = Definition(
        numerator="The median (and 90th percentile) of the weeks from the EP service receiving "
        "the request to the advice being given, over advice given in the period (nearest rank).",
        denominator="Requests for psychological advice given in the period.",
        period="The day the advice was given falls in the period.",
        exclusions="Advice not yet given, and requests cancelled.",
    )

    def events(self, data):
        for advice in data.ep_advice:
            if advice.provided_on is not None:
                days = (advice.provided_on - advice.received_on).days
                yield Event(advice.provided_on, advice.id, True, True, days / 7)


MEASURE = EPAdviceWait()
