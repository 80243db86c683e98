"""The educational psychology advice backlog: EP advice requests still open past their
6-week due date (SEND Regulations 2014 reg 8(1): advice within 6 weeks of the body receiving
the request)."""

from datetime import timedelta

from everychild.performance.measures.base import Definition, RecordKind, Span, StockMeasure, Unit

DAY = timedelta(days=1)


class EPAdviceBacklog(StockMeasure):
    id = "ep_advice_backlog"
    title = "EP advice requests open past their 6-week due date"
    short_title = "EP advice backlog"
    unit = Unit.COUNT
    record_kind = RecordKind.ADVICE
    higher_is_better = False
    definition = Definition(
        numerator="Requests for psychological advice not yet given nor cancelled on the day, "
        "whose 6-week due date (the EP service's receipt + 42 days, reg 8(1)) has passed.",
        denominator="None: a count.",
        period="Counted on the last day of the period (today for the current period).",
        exclusions="Advice given or no longer needed (cancelled) on or before the day. An "
        "exception under reg 8(2) does not take a request out of the backlog: it is still "
        "waiting.",
    )

    def spans(self, data):
        for advice in data.ep_advice:
            ended = [d for d in (advice.provided_on, advice.cancelled_on) if d is not None]
            yield Span(advice.id, advice.due + DAY, min(ended) if ended else None)


MEASURE = EPAdviceBacklog()
