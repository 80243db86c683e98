"""The advice portal's contribution to a plan: the advice agencies submitted through it, with
its summary, for section K (reg 12(1)(k)). Registered with the plans app by AdviceConfig.ready().
"""

from __future__ import annotations

from everychild.advice.selectors import advice_received_for


def advice_for_section_k(case):
    """(advice request, date provided, summary) for each piece of advice submitted through the
    portal; the date is the request's own if it was recorded, else the day it was submitted."""
    return [
        (
            work.advice_request,
            work.advice_request.provided_on or work.submitted_on,
            (work.summary or "").strip(),
        )
        for work in advice_received_for(case)
    ]
