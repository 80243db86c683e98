"""Properties that must hold for any facts, checked with hypothesis."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from everychild.statutory import (
    STATUSES,
    Facts,
    FactsError,
    Milestone,
    RecordedException,
    parse_facts,
    rule,
    rule_keys,
    rule_versions,
    timeline,
)
from everychild.statutory.calendars import add_working_days, bank_holidays, is_working_day
from everychild.statutory.counting import add_months, anniversary, months_after

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

dates = st.dates(min_value=date(2014, 9, 1), max_value=date(2035, 12, 31))
offsets = st.integers(min_value=0, max_value=200)
maybe_offsets = st.none() | offsets


def _on(start: date, offset: int | None) -> str | None:
    return None if offset is None else (start + timedelta(days=offset)).isoformat()


@st.composite
def assessment_facts(draw) -> dict:
    """Arbitrary assessment facts in a plausible order (parse_facts refuses the rest)."""
    request = draw(dates)
    today = request + timedelta(days=draw(st.integers(min_value=0, max_value=500)))
    facts: dict = {"today": today.isoformat(), "request_received": request.isoformat()}
    decided = draw(maybe_offsets)
    if decided is not None:
        facts["decision"] = {
            "outcome": draw(st.sampled_from(["assess", "not_assess"])),
            "on": _on(request, decided),
        }
    advice = []
    for number in range(draw(st.integers(min_value=0, max_value=4))):
        received = draw(maybe_offsets)
        item = {
            "id": f"a{number}",
            "kind": draw(st.sampled_from(["education", "early_years", "health", "other"])),
            "to_school_or_setting": draw(st.booleans()),
        }
        if received is not None:
            item["received_by_body_on"] = _on(request, received)
            provided = draw(maybe_offsets)
            if provided is not None:
                item["provided_on"] = _on(request, received + provided // 2)
            if draw(st.booleans()):
                item["exceptions"] = [
                    {
                        "reg": draw(st.sampled_from(["8(2)(a)", "8(2)(c)"])),
                        "from": _on(request, received + draw(offsets) // 4),
                        "reason": "generated",
                    }
                ]
        advice.append(item)
    facts["advice"] = advice
    if draw(st.booleans()):
        first = request + timedelta(days=draw(st.integers(min_value=-30, max_value=200)))
        facts["setting_closures"] = [
            {
                "from": first.isoformat(),
                "to": (first + timedelta(days=draw(st.integers(0, 60)))).isoformat(),
            }
        ]
    for key in ("draft_plan_served_on", "decision_not_to_issue_on", "final_plan_issued_on"):
        offset = draw(st.none() | st.integers(min_value=60, max_value=300))
        if offset is not None:
            facts[key] = _on(request, offset)
    if draw(st.booleans()):
        facts["exceptions"] = [
            {
                "reg": draw(st.sampled_from(["10(4)(c)", "5(4)(b)", "10(4)(d)"])),
                "from": _on(request, draw(offsets)),
                "to": _on(request, 200 + draw(offsets)),
                "reason": "generated",
            }
        ]
    if draw(st.booleans()):
        facts["consultations"] = [{"id": "c", "sent_on": _on(request, 80)}]
    return facts


@st.composite
def review_facts(draw) -> dict:
    """Arbitrary review (and Tribunal order) facts."""
    issued = draw(dates)
    today = issued + timedelta(days=draw(st.integers(min_value=0, max_value=900)))
    facts: dict = {
        "today": today.isoformat(),
        "process": "review",
        "plan_issued_on": _on(issued, 0),
    }
    base = issued
    if draw(st.booleans()):
        base = issued + timedelta(days=draw(st.integers(300, 400)))
        facts["last_review_meeting_on"] = base.isoformat()
    meeting = draw(st.none() | st.integers(250, 450))
    if meeting is not None:
        facts["review_meeting_on"] = _on(base, meeting)
        facts["review_notice_sent_on"] = _on(base, meeting - draw(st.integers(0, 30)))
        for key in ("review_report_sent_on", "review_decision_on"):
            later = draw(maybe_offsets)
            if later is not None:
                facts[key] = _on(base, meeting + later // 4)
        proposed = draw(st.none() | st.integers(0, 40))
        if proposed is not None:
            facts["proposed_amendments_sent_on"] = _on(base, meeting + proposed)
            amended = draw(maybe_offsets)
            if amended is not None:
                facts["amended_plan_issued_on"] = _on(base, meeting + proposed + amended // 2)
    if draw(st.booleans()):
        facts["phase_transfer"] = {
            "year": draw(st.integers(max(base.year, 2015), base.year + 2)),
            "kind": draw(st.sampled_from(["school", "post16"])),
        }
    if draw(st.booleans()):
        kind = draw(st.sampled_from(["assess", "make_plan", "amend_plan", "name_school"]))
        order = {"kind": kind, "on": _on(issued, draw(offsets)), "unopposed": draw(st.booleans())}
        step = {
            "assess": "final_plan_issued_on",
            "make_plan": "draft_plan_issued_on",
            "amend_plan": "amended_plan_issued_on",
            "name_school": "amended_plan_issued_on",
        }[kind]
        later = draw(maybe_offsets)
        if later is not None:
            order[step] = (date.fromisoformat(order["on"]) + timedelta(days=later)).isoformat()
        facts["tribunal_order"] = order
    if draw(st.booleans()):
        facts["decision_letter_on"] = _on(issued, draw(offsets))
        if draw(st.booleans()):
            facts["mediation_contacted_on"] = _on(issued, 200 + draw(offsets))
    return facts


@st.composite
def new_process_facts(draw) -> dict:
    """Facts of the processes decision 0130 added: a plan transferred in, a decision not to
    amend, a post-16 move, mediation and its agreement, Tribunal recommendations."""
    facts = draw(review_facts())
    issued = date.fromisoformat(facts["plan_issued_on"])
    today = date.fromisoformat(facts["today"])
    if draw(st.booleans()):
        moved = issued + timedelta(days=draw(st.integers(0, 400)))
        transfer = {"moved_on": moved.isoformat()}
        if draw(st.booleans()):
            transfer["old_authority_aware_on"] = _on(moved, -draw(st.integers(0, 40)))
        if draw(st.booleans()):
            transfer["plan_transferred_on"] = _on(moved, draw(st.integers(0, 30)))
            if draw(st.booleans()):
                transfer["family_notified_on"] = _on(moved, 30 + draw(st.integers(0, 40)))
        if draw(st.booleans()):
            transfer["health_body_aware_on"] = _on(moved, draw(st.integers(-20, 20)))
            if draw(st.booleans()):
                transfer["health_body_notified_on"] = _on(moved, 20 + draw(st.integers(0, 30)))
        facts["transfer_in"] = transfer
        facts["process"] = "transfer_in"
    proposed = facts.get("proposed_amendments_sent_on")
    if proposed and "amended_plan_issued_on" not in facts and draw(st.booleans()):
        sent = date.fromisoformat(proposed)
        facts["decision_not_to_amend_on"] = _on(sent, draw(st.integers(0, 90)))
    if draw(st.booleans()):
        facts["post16_move_on"] = _on(issued, draw(st.integers(100, 900)))
    if "decision_letter_on" in facts and draw(st.booleans()):
        letter = date.fromisoformat(facts["decision_letter_on"])
        facts["mediation_requested_on"] = _on(letter, draw(st.integers(0, 40)))
        if draw(st.booleans()):
            held = date.fromisoformat(facts["mediation_requested_on"]) + timedelta(
                days=draw(st.integers(0, 60))
            )
            facts["mediation_held_on"] = held.isoformat()
            if draw(st.booleans()):
                kind = draw(st.sampled_from(["assess", "make_plan", "amend_plan", "other"]))
                facts["mediation_agreement"] = {"kind": kind, "on": held.isoformat()}
    if today >= date(2018, 4, 3) and draw(st.booleans()):
        on = max(date(2018, 4, 3), today - timedelta(days=draw(st.integers(0, 100))))
        facts["tribunal_recommendations"] = [
            {"id": "r", "body": draw(st.sampled_from(["health", "social_care"])), "on": _on(on, 0)}
        ]
    return facts


def _parse_or_skip(facts: dict) -> Facts:
    try:
        return parse_facts(facts)
    except FactsError:
        assume(False)
        raise  # pragma: no cover (assume raises)


@SETTINGS
@given(assessment_facts() | review_facts() | new_process_facts(), st.booleans())
def test_every_milestone_is_in_exactly_one_consistent_status(facts, day_one):
    parsed = _parse_or_skip(facts)
    for m in timeline(parsed, count_start_as_day_one=day_one):
        assert len(m) == len(Milestone._fields)  # built with tuple.__new__: check the arity
        assert m.status in STATUSES
        # days_remaining: null once met (on time or late), when not applicable, or when the
        # clock has not started; otherwise due - today (negative once past due).
        if m.met_on is not None or m.due is None:
            assert m.days_remaining is None, m
        elif m.status != "overdue" or m.rule not in (
            "draft_plan_comments_close",
            "amendment_comments_close",
        ):
            assert m.days_remaining == (m.due - parsed.today).days, m
        if m.status == "not_applicable":
            assert m.due is None and m.met_on is None and m.exception is None
        elif m.status == "pending":
            assert m.met_on is None and m.exception is None
            assert m.due is None or m.due >= parsed.today
        elif m.status == "met":
            assert m.met_on is not None and m.met_on <= m.due and m.exception is None
        elif m.status == "met_late":
            assert m.met_on is not None and m.met_on > m.due and m.exception is None
        elif m.status == "overdue":
            assert m.met_on is None and m.exception is None and m.days_remaining < 0
        else:  # exception_applies
            assert m.exception is not None and m.due is not None
            assert (m.met_on is not None and m.met_on > m.due) or (
                m.met_on is None and parsed.today > m.due
            )


@SETTINGS
@given(assessment_facts())
def test_an_exception_never_turns_met_into_anything_else(facts):
    parsed = _parse_or_skip(facts)
    bare = replace(
        parsed,
        exceptions=(),
        setting_closures=(),
        advice=tuple(replace(a, exceptions=()) for a in parsed.advice),
    )
    with_exceptions = {m.key: m for m in timeline(parsed)}
    for m in timeline(bare):
        other = with_exceptions[m.key]
        assert other.due == m.due
        if m.status == "met":
            assert other.status == "met"
        if m.status in ("met_late", "overdue"):
            assert other.status in (m.status, "exception_applies")


@SETTINGS
@given(dates, st.integers(min_value=0, max_value=800), st.booleans())
def test_a_later_request_never_gives_an_earlier_due_date(first, gap, day_one):
    later = first + timedelta(days=gap)
    today = later + timedelta(days=10)
    early = {m.key: m.due for m in timeline(Facts(today=today, request_received=first),
                                             count_start_as_day_one=day_one)}  # fmt: skip
    late = {m.key: m.due for m in timeline(Facts(today=today, request_received=later),
                                           count_start_as_day_one=day_one)}  # fmt: skip
    for key, due in early.items():
        if due is not None:
            assert late[key] >= due


@SETTINGS
@given(dates, st.integers(min_value=0, max_value=800))
def test_every_rule_is_monotonic_in_its_start_date(first, gap):
    later = first + timedelta(days=gap)
    for key in rule_keys():
        if key.startswith("phase_transfer"):
            continue  # a fixed date in the year, not counted from a start
        if not rule_versions(key)[0].in_force_on(first):
            continue  # e.g. the Tribunal's recommendations power, from 3 April 2018
        assert rule(key, later).due(later) >= rule(key, first).due(first), key


@SETTINGS
@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)), st.integers(1, 5))
def test_anniversaries_are_valid_dates_never_before_the_start(start, years):
    due = anniversary(start, years)
    assert isinstance(due, date)
    assert due > start
    assert due.year == start.year + years and due.month == start.month
    assert due.day == start.day or (start.month, start.day, due.day) == (2, 29, 28)
    # A month on is never more than a month on, and never before the start.
    assert start < add_months(start, 1) <= start + timedelta(days=31)
    assert months_after(start, 2) > start


@SETTINGS
@given(st.dates(min_value=date(2015, 1, 1), max_value=date(2035, 12, 31)), st.integers(1, 30))
def test_working_day_addition_never_lands_on_a_weekend_or_bank_holiday(start, count):
    due = add_working_days(start, count)
    assert due.weekday() < 5
    assert due not in bank_holidays(due.year)
    assert is_working_day(due)
    assert (due - start).days >= count
    # Exactly `count` working days after the start, the last of them the due day.
    working = sum(
        is_working_day(start + timedelta(days=n)) for n in range(1, (due - start).days + 1)
    )
    assert working == count


@SETTINGS
@given(
    st.dates(min_value=date(2021, 1, 1), max_value=date(2035, 12, 31)),
    st.integers(min_value=-60, max_value=160),
    st.integers(min_value=1, max_value=120),
)
def test_an_absence_lifts_a_limit_only_with_4_weeks_inside_the_clock(request, begins, length):
    """reg 10(4)(d): absent "for a continuous period of not less than 4 weeks" during the time
    period: the limit is lifted exactly when at least 28 days of the absence fall between the
    request and the due day."""
    away_from = request + timedelta(days=begins)
    away_to = away_from + timedelta(days=length - 1)
    due = request + timedelta(days=140)
    facts = Facts(
        today=due + timedelta(days=200),
        request_received=request,
        exceptions=(RecordedException("10(4)(d)", away_from, away_to, "away"),),
    )
    final = next(m for m in timeline(facts) if m.key == "final_plan")
    inside = (min(away_to, due) - max(away_from, request)).days + 1
    assert final.status == ("exception_applies" if inside >= 28 else "overdue")
