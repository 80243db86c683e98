"""Exceptions: reg 10(4)(a)/(b) and 5(4)(a) detected from setting closures; reg 10(4)(c)/(d),
5(4)(b)/(c) and 8(2) recorded as facts; the 2020 coronavirus easement by the law in force while
the clock ran. An exception only ever lifts a limit that was missed."""

from __future__ import annotations

import pytest

from everychild.statutory import FactsError, parse_facts

from .helpers import assessed, assessment, milestone, milestones

# Summer 2025: closed Mon 21 Jul to Tue 2 Sep (44 days), re-opens Wed 3 Sep. The exception
# period runs from one week before closing (Mon 14 Jul) to one week before re-opening (Wed 27
# Aug), both days included.
SUMMER = [{"from": "2025-07-21", "to": "2025-09-02"}]


def summer_case(received: str, kind: str = "education", **facts) -> dict:
    """Request Thu 1 May 2025 (notice due 21 Aug, final plan due 18 Sep); plan issued late."""
    base = {
        "today": "2025-12-01",
        "request_received": "2025-05-01",
        "decision": {"outcome": "assess", "on": "2025-06-01"},
        "advice": [
            {
                "id": "setting",
                "kind": kind,
                "received_by_body_on": received,
                "to_school_or_setting": True,
            }
        ],
        "setting_closures": SUMMER,
        "draft_plan_served_on": "2025-09-15",
        "final_plan_issued_on": "2025-10-01",
    }
    base.update(facts)
    return base


@pytest.mark.parametrize(
    ("received", "kind", "status", "reg"),
    [
        pytest.param("2025-07-13", "education", "met_late", None, id="day-before-period"),
        pytest.param("2025-07-14", "education", "exception_applies", "10(4)(a)", id="first-day"),
        pytest.param("2025-08-01", "education", "exception_applies", "10(4)(a)", id="mid-closure"),
        pytest.param("2025-08-27", "education", "exception_applies", "10(4)(a)", id="last-day"),
        pytest.param("2025-08-28", "education", "met_late", None, id="day-after-period"),
        pytest.param(
            "2025-07-14", "early_years", "exception_applies", "10(4)(b)", id="early-years"
        ),
        pytest.param(
            "2025-08-27", "early_years", "exception_applies", "10(4)(b)", id="ey-last-day"
        ),
    ],
)
def test_closure_exception_boundaries(received, kind, status, reg):
    found = milestone(summer_case(received, kind), "final_plan")
    assert (found["status"], found["due"]) == (status, "2025-09-18")
    if reg is None:
        assert found["exception"] is None
    else:
        exception = found["exception"]
        assert exception["reg"] == reg
        assert exception["detected"] is True
        assert (exception["from"], exception["to"]) == ("2025-07-14", "2025-08-27")
        assert "advice:setting" in exception["reason"]


@pytest.mark.parametrize(
    ("provided", "status"),
    [
        pytest.param("2025-07-17", "met_late", id="given-before-the-closure"),
        pytest.param("2025-07-20", "met_late", id="given-the-day-before-it-closed"),
        pytest.param("2025-07-21", "exception_applies", id="given-on-the-first-closed-day"),
        pytest.param("2025-09-10", "exception_applies", id="given-after-it-re-opened"),
        pytest.param(None, "exception_applies", id="not-given"),
    ],
)
def test_advice_given_before_the_setting_closed_was_not_held_up_by_the_closure(provided, status):
    """reg 10(4): the limit is lifted only "if it is impractical ... because" the advice was
    asked for in the period around the closure. Asked on Mon 14 Jul, the first day of that
    period, and given back before the school closed on Mon 21 Jul, the closure held nothing up:
    the late plan is simply late."""
    case = summer_case("2025-07-14")
    if provided is not None:
        case["advice"][0]["provided_on"] = provided
    found = milestone(case, "final_plan")
    assert found["status"] == status


def test_closure_exception_also_lifts_the_notice_not_to_issue():
    facts = summer_case("2025-07-20", draft_plan_served_on=None, final_plan_issued_on=None)
    found = milestone(facts, "notice_not_to_issue")
    assert (found["due"], found["status"]) == ("2025-08-21", "exception_applies")
    assert found["exception"]["reg"] == "10(4)(a)"
    assert found["days_remaining"] < 0


@pytest.mark.parametrize(
    ("closures", "status"),
    [
        # 27 days: shorter than 4 continuous weeks, does not count.
        pytest.param([{"from": "2025-07-21", "to": "2025-08-16"}], "met_late", id="27-days"),
        # Exactly 4 weeks counts.
        pytest.param(
            [{"from": "2025-07-21", "to": "2025-08-17"}], "exception_applies", id="28-days"
        ),
        # Two back-to-back pieces are one continuous closure.
        pytest.param(
            [
                {"from": "2025-08-04", "to": "2025-09-02"},
                {"from": "2025-07-21", "to": "2025-08-03"},
            ],
            "exception_applies",
            id="joined-pieces",
        ),
        # Two short closures with a gap between them do not add up.
        pytest.param(
            [
                {"from": "2025-07-21", "to": "2025-08-03"},
                {"from": "2025-08-05", "to": "2025-08-20"},
            ],
            "met_late",
            id="gap-between",
        ),
        pytest.param([], "met_late", id="no-closures"),
    ],
)
def test_closure_must_last_four_continuous_weeks(closures, status):
    found = milestone(summer_case("2025-07-25", setting_closures=closures), "final_plan")
    assert found["status"] == status


def test_closure_exception_needs_a_request_to_a_setting():
    facts = summer_case("2025-07-25")
    facts["advice"][0]["to_school_or_setting"] = False
    assert milestone(facts, "final_plan")["status"] == "met_late"


def test_closure_exception_needs_the_request_within_the_clock():
    # Request 6 Jan 2025: final plan due 26 May, before the summer; a July request is irrelevant.
    facts = summer_case(
        "2025-07-25",
        request_received="2025-01-06",
        decision={"outcome": "assess", "on": "2025-02-10"},
        final_plan_issued_on="2025-10-01",
    )
    assert milestone(facts, "final_plan")["status"] == "met_late"


def test_closure_never_lifts_a_limit_met_on_time():
    facts = summer_case("2025-07-25", final_plan_issued_on="2025-09-18")
    found = milestone(facts, "final_plan")
    assert (found["status"], found["exception"]) == ("met", None)


def test_decision_closure_exception_is_reg_5_4_a_for_schools_only():
    # Request Fri 20 Jun 2025: decision due 1 Aug, made late on 8 Aug.
    def case(kind):
        return summer_case(
            "2025-07-20",
            kind,
            request_received="2025-06-20",
            decision={"outcome": "assess", "on": "2025-08-08"},
            draft_plan_served_on=None,
            final_plan_issued_on=None,
        )

    school = milestone(case("education"), "decision_whether_to_assess")
    assert (school["due"], school["status"]) == ("2025-08-01", "exception_applies")
    assert school["exception"]["reg"] == "5(4)(a)"
    # reg 5(4) has no early years limb.
    early_years = milestone(case("early_years"), "decision_whether_to_assess")
    assert early_years["status"] == "met_late"


# --- recorded exceptions ------------------------------------------------------------------


def recorded(reg: str, start: str, end: str | None, **facts) -> dict:
    return assessed(
        exceptions=[{"reg": reg, "from": start, "to": end, "reason": "family circumstances"}],
        **facts,
    )


@pytest.mark.parametrize(
    ("reg", "start", "end", "status"),
    [
        pytest.param("10(4)(c)", "2025-03-01", "2025-03-10", "exception_applies", id="c-inside"),
        pytest.param("10(4)(c)", "2024-12-01", "2025-01-06", "exception_applies", id="c-edge"),
        pytest.param("10(4)(c)", "2025-05-27", None, "met_late", id="c-after-due-day"),
        pytest.param("10(4)(c)", "2024-11-01", "2025-01-05", "met_late", id="c-before-clock"),
        pytest.param("10(4)(d)", "2025-02-01", "2025-02-28", "exception_applies", id="d-4-weeks"),
        pytest.param("10(4)(d)", "2025-04-01", None, "exception_applies", id="d-ongoing"),
        # reg 5(4) exceptions belong to the decision, not to the final plan.
        pytest.param("5(4)(b)", "2025-03-01", "2025-03-10", "met_late", id="other-limit"),
    ],
)
def test_recorded_exception_on_final_plan(reg, start, end, status):
    found = milestone(recorded(reg, start, end, final_plan_issued_on="2025-06-10"), "final_plan")
    assert found["status"] == status
    if status == "exception_applies":
        assert found["exception"] == {
            "reg": reg,
            "regulation": f"SEND Regulations 2014 reg {reg}",
            "reason": "family circumstances",
            "from": start,
            "to": end,
            "detected": False,
            "assumed": False,
        }


def test_recorded_exception_on_an_overdue_limit_keeps_days_remaining():
    found = milestone(recorded("10(4)(c)", "2025-03-01", None, today="2025-06-05"), "final_plan")
    assert (found["status"], found["days_remaining"]) == ("exception_applies", -10)


def test_an_absence_still_going_on_counts_its_days_inside_the_clock():
    """reg 10(4)(d): the child or parent "is absent from the area of the authority for a
    continuous period of not less than 4 weeks" during that time period. Request 6 Jan 2025,
    final plan due 26 May; absent since 1 Apr and not yet back: 56 days fell inside."""
    found = milestone(recorded("10(4)(d)", "2025-04-01", None, today="2025-06-10"), "final_plan")
    assert found["status"] == "exception_applies"
    # Absent since 1 May: 26 days inside the clock, 2 short.
    found = milestone(recorded("10(4)(d)", "2025-05-01", None, today="2025-06-10"), "final_plan")
    assert found["status"] == "overdue"


def test_an_absence_overlapping_the_end_of_the_clock_by_less_than_4_weeks_does_not_count():
    """reg 10(4)(d) (and 8(2)(b), 27(3)(d), 44(3)(b)): the absence must be for the continuous
    period "during that time period". Absent from 20 May 2025 and still away: only 7 days
    (20-26 May) fell inside the 20 weeks ending 26 May, so the limit is not lifted however long
    the absence goes on afterwards (decision 0002 counted all of it: too generous)."""
    for today in ("2025-06-10", "2025-06-17", "2025-09-01"):
        found = milestone(recorded("10(4)(d)", "2025-05-20", None, today=today), "final_plan")
        assert found["status"] == "overdue"
    # Absent 1 Dec 2024 - 20 Jan 2025: 51 days, but only 15 (6-20 Jan) after the request.
    before = milestone(
        recorded("10(4)(d)", "2024-12-01", "2025-01-20", final_plan_issued_on="2025-06-10"),
        "final_plan",
    )
    assert before["status"] == "met_late"
    # Absent 6 Jan - 2 Feb 2025: exactly 28 days inside the clock.
    exactly = milestone(
        recorded("10(4)(d)", "2024-12-01", "2025-02-02", final_plan_issued_on="2025-06-10"),
        "final_plan",
    )
    assert exactly["status"] == "exception_applies"


def test_an_advice_absence_must_fall_inside_the_advisers_6_weeks():
    """reg 8(2)(b): the child or parent "is absent from the area ... for a continuous period of
    not less than 4 weeks" during the 6 weeks. Received 20 Feb 2025, due 3 Apr: an absence of
    15 Mar - 30 Apr has only 20 days inside."""
    facts = assessed(
        advice=[
            {
                "id": "ep",
                "received_by_body_on": "2025-02-20",
                "provided_on": "2025-05-01",
                "exceptions": [
                    {"reg": "8(2)(b)", "from": "2025-03-15", "to": "2025-04-30", "reason": "away"}
                ],
            }
        ]
    )
    assert milestone(facts, "advice:ep")["status"] == "met_late"


def test_recorded_exception_never_lifts_a_limit_met_on_time():
    found = milestone(
        recorded("10(4)(c)", "2025-03-01", "2025-03-10", final_plan_issued_on="2025-05-26"),
        "final_plan",
    )
    assert (found["status"], found["exception"]) == ("met", None)


def test_decision_exceptions_are_reg_5_4():
    facts = assessment(
        decision={"outcome": "assess", "on": "2025-03-01"},
        exceptions=[
            {"reg": "10(4)(c)", "from": "2025-01-10", "to": None, "reason": "illness"},
            {"reg": "5(4)(c)", "from": "2025-01-10", "to": "2025-02-20", "reason": "abroad"},
        ],
    )
    found = milestones(facts)
    assert found["decision_whether_to_assess"]["status"] == "exception_applies"
    assert found["decision_whether_to_assess"]["exception"]["reg"] == "5(4)(c)"


@pytest.mark.parametrize(
    ("reg", "start", "end", "status"),
    [
        pytest.param("8(2)(a)", "2025-03-01", "2025-03-05", "exception_applies", id="a"),
        pytest.param("8(2)(b)", "2025-03-01", "2025-03-31", "exception_applies", id="b"),
        pytest.param(
            "8(2)(c)", "2025-03-10", "2025-03-10", "exception_applies", id="c-appointment"
        ),
        pytest.param("8(2)(c)", "2025-04-10", "2025-04-10", "met_late", id="c-after-due-day"),
    ],
)
def test_advice_exceptions_reg_8_2(reg, start, end, status):
    facts = assessed(
        advice=[
            {
                "id": "ep",
                "received_by_body_on": "2025-02-20",
                "provided_on": "2025-04-20",
                "exceptions": [{"reg": reg, "from": start, "to": end, "reason": "missed visit"}],
            },
            {"id": "health", "received_by_body_on": "2025-02-20", "provided_on": "2025-04-20"},
        ]
    )
    found = milestones(facts)
    assert found["advice:ep"]["status"] == status
    # An exception recorded on one advice item does not excuse another.
    assert found["advice:health"]["status"] == "met_late"


@pytest.mark.parametrize(
    ("exception", "field", "words"),
    [
        ({"reg": "10(4)(a)"}, "exceptions[0].reg", "record the closure"),
        ({"reg": "coronavirus_easement"}, "exceptions[0].reg", "detects it from the dates"),
        ({"reg": "8(2)(c)"}, "exceptions[0].reg", "advice item"),
        ({"reg": "99(1)"}, "exceptions[0].reg", "is not one of"),
        ({"reg": "10(4)(c)", "to": "2025-03-01"}, "exceptions[0].from", "required"),
        ({"reg": "10(4)(c)", "from": "2025-03-01"}, "exceptions[0].reason", "required"),
        (
            {"reg": "10(4)(d)", "from": "2025-03-01", "to": "2025-03-20", "reason": "away"},
            "exceptions[0].to",
            "4 continuous weeks",
        ),
        (
            {"reg": "10(4)(c)", "from": "2025-03-01", "to": "2025-02-20", "reason": "x"},
            "exceptions[0].to",
            "before from",
        ),
    ],
)
def test_recorded_exceptions_are_validated(exception, field, words):
    with pytest.raises(FactsError) as raised:
        parse_facts(assessed(exceptions=[exception]))
    assert raised.value.field == field
    assert words in raised.value.message


# --- the 2020 coronavirus easement (SI 2020/471, 1 May - 25 Sep 2020) -------------------------


def plan_case(request: str, issued: str, **facts) -> dict:
    return {
        "today": "2022-01-01",
        "request_received": request,
        "final_plan_issued_on": issued,
        **facts,
    }


@pytest.mark.parametrize(
    ("requested", "issued", "due", "status"),
    [
        # Due Mon 25 May 2020, during the easement: lifted.
        pytest.param("2020-01-06", "2020-07-01", "2020-05-25", "exception_applies", id="2020"),
        # The same case a year later is judged by the ordinary law.
        pytest.param("2021-01-06", "2021-07-02", "2021-05-26", "met_late", id="same-case-2021"),
        # Clock ran and ended before the easement.
        pytest.param("2019-10-01", "2020-03-01", "2020-02-18", "met_late", id="before"),
        # Clock started during the easement but fell due after it: the ordinary law again.
        pytest.param("2020-09-01", "2021-02-01", "2021-01-19", "met_late", id="ran-into"),
        # Fell due before the easement and was met during it: not eased either.
        pytest.param("2019-10-01", "2020-06-01", "2020-02-18", "met_late", id="due-before"),
        # Fell due on its last day, 25 September 2020.
        pytest.param("2020-05-08", "2020-10-01", "2020-09-25", "exception_applies", id="last-day"),
        # Clock started the day after the easement ended.
        pytest.param("2020-09-26", "2021-03-01", "2021-02-13", "met_late", id="after"),
        # Clock ended on the first day of the easement.
        pytest.param("2019-12-13", "2020-06-01", "2020-05-01", "exception_applies", id="edge"),
        # Met on time in 2020 stays met.
        pytest.param("2020-01-06", "2020-05-25", "2020-05-25", "met", id="met-stays-met"),
    ],
)
def test_coronavirus_easement(requested, issued, due, status):
    """SI 2020/471 eased a limit where meeting it was "not reasonably practicable" for "a reason
    relating to the incidence or transmission of coronavirus", while it was in force (1 May to
    25 September 2020): it lifts a limit that fell due then, not one that fell due before or
    after, whenever its clock started."""
    found = milestone(plan_case(requested, issued), "final_plan")
    assert (found["due"], found["status"]) == (due, status)
    if status == "exception_applies":
        assert found["exception"]["reg"] == "coronavirus_easement"
        assert found["exception"]["detected"] is True
        assert found["exception"]["assumed"] is True
        assert found["exception"]["reason"].startswith("assumed")
        assert (found["exception"]["from"], found["exception"]["to"]) == (
            "2020-05-01",
            "2020-09-25",
        )
        assert "2020/471" in found["exception"]["regulation"]


def test_easement_lifts_an_overdue_2020_limit():
    found = milestone({"today": "2020-06-30", "request_received": "2020-01-06"}, "final_plan")
    assert (found["status"], found["days_remaining"]) == ("exception_applies", -36)


def test_easement_eased_the_annual_review_but_not_the_comment_windows():
    """SI 2020/471 inserted reg 18A, easing the review of a plan under s.44 while it was in
    force; it left the family's 15 days (reg 13(1)) alone."""
    review = milestone(
        {
            "today": "2021-01-01",
            "process": "review",
            "plan_issued_on": "2019-06-01",
            "review_meeting_on": "2020-07-01",
        },
        "annual_review_meeting",
    )
    # The 12 months starting with 1 Jun 2019 ended 31 May 2020, during the easement.
    assert (review["due"], review["status"]) == ("2020-05-31", "exception_applies")
    assert review["exception"]["reg"] == "coronavirus_easement"
    # A review that fell due after 25 September 2020 is judged by s.44 alone.
    later = milestone(
        {
            "today": "2021-01-01",
            "process": "review",
            "plan_issued_on": "2019-10-01",
            "review_meeting_on": "2020-10-20",
        },
        "annual_review_meeting",
    )
    assert (later["due"], later["status"]) == ("2020-09-30", "met_late")
    window = milestone(
        plan_case("2020-01-06", "2020-06-05", draft_plan_served_on="2020-06-01"),
        "draft_plan_comments_close",
    )
    assert window["status"] == "overdue"


def test_a_caseworker_can_record_that_there_was_no_coronavirus_reason():
    """The easement applied only where the limit was impractical "for a reason relating to the
    incidence or transmission of coronavirus". The engine assumes that reason (and says so);
    a caseworker who knows there was none records it, and the limit stands."""
    assumed = milestone(plan_case("2020-01-06", "2020-07-01"), "final_plan")
    assert assumed["status"] == "exception_applies"
    assert assumed["exception"]["assumed"] is True
    recorded = milestone(
        plan_case("2020-01-06", "2020-07-01", no_coronavirus_reason=True), "final_plan"
    )
    assert (recorded["status"], recorded["exception"]) == ("met_late", None)


def test_recorded_exception_takes_precedence_over_the_easement():
    facts = plan_case(
        "2020-01-06",
        "2020-07-01",
        exceptions=[{"reg": "10(4)(c)", "from": "2020-02-01", "to": None, "reason": "illness"}],
    )
    assert milestone(facts, "final_plan")["exception"]["reg"] == "10(4)(c)"


def test_tribunal_exceptions_are_reg_44():
    facts = {
        "today": "2025-12-01",
        "process": "tribunal_order",
        "tribunal_order": {"kind": "name_school", "on": "2025-03-03"},
        "exceptions": [
            # reg 44(3)(b): 2 weeks "during that period": 3-17 March is 15 days.
            {"reg": "44(3)(b)", "from": "2025-03-03", "to": "2025-03-20", "reason": "away"}
        ],
    }
    found = milestone(facts, "tribunal:name_school")
    assert (found["status"], found["exception"]["reg"]) == ("exception_applies", "44(3)(b)")
    # 5-20 March overlaps the 2 weeks ending 17 March by only 13 days.
    facts["exceptions"][0]["from"] = "2025-03-05"
    assert milestone(facts, "tribunal:name_school")["status"] == "overdue"
