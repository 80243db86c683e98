"""Worked examples for every rule: on time, late, pending, overdue, the due day itself,
leap years and the day-one counting setting.

Each row: facts, milestone key, expected due date, status, days_remaining, day-one setting.
Due dates were worked out by hand from the conventions in DOMAIN.md section 2 (receipt is
day 0; "beginning with" counts the first day; months clamp to the month's end).
"""

from __future__ import annotations

import pytest

from .helpers import assessed, assessment, milestone, milestones, review, tribunal

NA = "not_applicable"


def row(case_id, facts, key, due, status, days=None, day_one=False):
    return pytest.param(facts, key, due, status, days, day_one, id=case_id)


DECISION = [
    # Request Mon 6 Jan 2025: 6 weeks = +42 = Mon 17 Feb 2025.
    row("on-time", assessment(decision={"outcome": "assess", "on": "2025-02-10"}),
        "decision_whether_to_assess", "2025-02-17", "met"),
    row("due-day-is-in-time", assessment(decision={"outcome": "not_assess", "on": "2025-02-17"}),
        "decision_whether_to_assess", "2025-02-17", "met"),
    row("late", assessment(decision={"outcome": "assess", "on": "2025-02-18"}),
        "decision_whether_to_assess", "2025-02-17", "met_late"),
    row("pending", assessment(today="2025-02-01"),
        "decision_whether_to_assess", "2025-02-17", "pending", 16),
    row("pending-on-due-day", assessment(today="2025-02-17"),
        "decision_whether_to_assess", "2025-02-17", "pending", 0),
    row("overdue-day-after", assessment(today="2025-02-18"),
        "decision_whether_to_assess", "2025-02-17", "overdue", -1),
    # 6 weeks across 29 February: 25 Jan 2024 + 42 = 7 Mar 2024; in 2023, 8 Mar.
    row("leap-year", assessment(today="2024-01-30", request_received="2024-01-25"),
        "decision_whether_to_assess", "2024-03-07", "pending", 37),
    row("non-leap-year", assessment(today="2023-01-30", request_received="2023-01-25"),
        "decision_whether_to_assess", "2023-03-08", "pending", 37),
    row("day-one-due-a-day-earlier", assessment(today="2025-02-16"),
        "decision_whether_to_assess", "2025-02-16", "pending", 0, True),
    row("day-one-late", assessment(decision={"outcome": "assess", "on": "2025-02-17"}),
        "decision_whether_to_assess", "2025-02-16", "met_late", None, True),
]  # fmt: skip


def advice(today="2025-12-01", **item):
    return assessed(
        advice=[{"id": "ep", "kind": "educational_psychology", "received_by_body_on": "2025-02-20",
                 **item}],
        today=today,
    )  # fmt: skip


ADVICE = [
    # Received Thu 20 Feb 2025: +42 = Thu 3 Apr 2025.
    row("on-time", advice(provided_on="2025-03-20"), "advice:ep", "2025-04-03", "met"),
    row("due-day", advice(provided_on="2025-04-03"), "advice:ep", "2025-04-03", "met"),
    row("late", advice(provided_on="2025-04-04"), "advice:ep", "2025-04-03", "met_late"),
    row("pending", advice(today="2025-04-03"), "advice:ep", "2025-04-03", "pending", 0),
    row("overdue", advice(today="2025-04-04"), "advice:ep", "2025-04-03", "overdue", -1),
    row("day-one", advice(provided_on="2025-04-03"), "advice:ep", "2025-04-02", "met_late",
        None, True),
    row("not-yet-asked", assessed(advice=[{"id": "ep"}], today="2025-03-01"),
        "advice:ep", None, "pending"),
    row("not-asked-and-not-assessing",
        assessment(decision={"outcome": "not_assess", "on": "2025-02-10"}, advice=[{"id": "ep"}]),
        "advice:ep", None, NA),
]  # fmt: skip


NOTICE = [
    # 16 weeks = +112 = Mon 28 Apr 2025.
    row("on-time", assessed(decision_not_to_issue_on="2025-04-20"),
        "notice_not_to_issue", "2025-04-28", "met"),
    row("due-day", assessed(decision_not_to_issue_on="2025-04-28"),
        "notice_not_to_issue", "2025-04-28", "met"),
    row("late", assessed(decision_not_to_issue_on="2025-04-29"),
        "notice_not_to_issue", "2025-04-28", "met_late"),
    row("pending", assessed(today="2025-04-28"), "notice_not_to_issue", "2025-04-28", "pending", 0),
    row("overdue-no-draft-yet", assessed(today="2025-04-29"),
        "notice_not_to_issue", "2025-04-28", "overdue", -1),
    row("not-applicable-once-a-draft-is-served", assessed(draft_plan_served_on="2025-05-01"),
        "notice_not_to_issue", None, NA),
    row("not-applicable-once-the-plan-is-issued", assessed(final_plan_issued_on="2025-05-01"),
        "notice_not_to_issue", None, NA),
    row("not-applicable-after-decision-not-to-assess",
        assessment(decision={"outcome": "not_assess", "on": "2025-02-10"}),
        "notice_not_to_issue", None, NA),
    row("day-one", assessed(decision_not_to_issue_on="2025-04-28"),
        "notice_not_to_issue", "2025-04-27", "met_late", None, True),
]  # fmt: skip


DRAFT = [
    # Served Tue 1 Apr 2025: 15 days beginning with that day end Tue 15 Apr.
    row("window-open", assessed(draft_plan_served_on="2025-04-01", today="2025-04-15"),
        "draft_plan_comments_close", "2025-04-15", "pending", 0),
    row("window-ran-in-full", assessed(draft_plan_served_on="2025-04-01", today="2025-04-16"),
        "draft_plan_comments_close", "2025-04-15", "met"),
    row("final-plan-after-window",
        assessed(draft_plan_served_on="2025-04-01", final_plan_issued_on="2025-04-16"),
        "draft_plan_comments_close", "2025-04-15", "met"),
    row("final-plan-on-last-day-cuts-it-short",
        assessed(draft_plan_served_on="2025-04-01", final_plan_issued_on="2025-04-15"),
        "draft_plan_comments_close", "2025-04-15", "overdue", -1),
    row("final-plan-5-days-early",
        assessed(draft_plan_served_on="2025-04-01", final_plan_issued_on="2025-04-10"),
        "draft_plan_comments_close", "2025-04-15", "overdue", -6),
    row("day-one-does-not-shorten-a-beginning-with-period",
        assessed(draft_plan_served_on="2025-04-01", today="2025-04-15"),
        "draft_plan_comments_close", "2025-04-15", "pending", 0, True),
    row("no-draft-yet", assessed(today="2025-03-01"), "draft_plan_comments_close", None, "pending"),
    row("not-applicable-after-decision-not-to-issue",
        assessed(decision_not_to_issue_on="2025-04-20"), "draft_plan_comments_close", None, NA),
]  # fmt: skip


def consultation(today="2025-12-01", **item):
    return assessed(
        draft_plan_served_on="2025-04-01",
        consultations=[{"id": "school", "sent_on": "2025-04-01", **item}],
        today=today,
    )


CONSULTATION = [
    # Sent Tue 1 Apr 2025: "within 15 days" = +15 = Wed 16 Apr.
    row("on-time", consultation(answered_on="2025-04-10"), "consultation:school", "2025-04-16",
        "met"),
    row("due-day", consultation(answered_on="2025-04-16"), "consultation:school", "2025-04-16",
        "met"),
    row("late", consultation(answered_on="2025-04-17"), "consultation:school", "2025-04-16",
        "met_late"),
    row("pending", consultation(today="2025-04-16"), "consultation:school", "2025-04-16",
        "pending", 0),
    row("overdue", consultation(today="2025-04-17"), "consultation:school", "2025-04-16",
        "overdue", -1),
    row("day-one", consultation(answered_on="2025-04-16"), "consultation:school", "2025-04-15",
        "met_late", None, True),
]  # fmt: skip


FINAL = [
    # 20 weeks = +140 = Mon 26 May 2025.
    row("on-time", assessed(final_plan_issued_on="2025-05-01"), "final_plan", "2025-05-26", "met"),
    row("due-day", assessed(final_plan_issued_on="2025-05-26"), "final_plan", "2025-05-26", "met"),
    row("late", assessed(final_plan_issued_on="2025-05-27"), "final_plan", "2025-05-26",
        "met_late"),
    row("pending", assessed(today="2025-05-26"), "final_plan", "2025-05-26", "pending", 0),
    row("overdue", assessed(today="2025-05-27"), "final_plan", "2025-05-26", "overdue", -1),
    row("overdue-a-month", assessed(today="2025-06-26"), "final_plan", "2025-05-26", "overdue",
        -31),
    # 25 Jan 2024 + 140 days crosses 29 Feb: 13 Jun 2024.
    row("leap-year", assessment(request_received="2024-01-25", today="2024-06-14"),
        "final_plan", "2024-06-13", "overdue", -1),
    row("not-applicable-after-decision-not-to-assess",
        assessment(decision={"outcome": "not_assess", "on": "2025-02-10"}), "final_plan", None, NA),
    row("not-applicable-after-decision-not-to-issue",
        assessed(decision_not_to_issue_on="2025-04-20"), "final_plan", None, NA),
    row("judged-if-issued-after-a-change-of-mind",
        assessed(decision_not_to_issue_on="2025-04-20", final_plan_issued_on="2025-07-01"),
        "final_plan", "2025-05-26", "met_late"),
    row("day-one", assessed(final_plan_issued_on="2025-05-26"), "final_plan", "2025-05-25",
        "met_late", None, True),
]  # fmt: skip


ANNUAL_REVIEW = [
    # CFA 2014 s.44(1): "in the period of 12 months starting with the date on which the plan
    # was first made", then "starting with the date on which the plan was last reviewed". The
    # first day counts, so the period ends the day before the anniversary.
    # Made 20 May 2024: review by Mon 19 May 2025; a meeting on the anniversary is a day late.
    row("made-20-may-due-19-may", review(plan_issued_on="2024-05-20",
                                         review_meeting_on="2025-05-19"),
        "annual_review_meeting", "2025-05-19", "met"),
    row("anniversary-is-a-day-late", review(plan_issued_on="2024-05-20",
                                            review_meeting_on="2025-05-20"),
        "annual_review_meeting", "2025-05-19", "met_late"),
    # Made 29 Feb 2024: no 29 Feb 2025, so the 12 months end on 28 Feb 2025.
    row("leap-day-made-met", review(review_meeting_on="2025-02-28"),
        "annual_review_meeting", "2025-02-28", "met"),
    row("leap-day-made-late", review(review_meeting_on="2025-03-01"),
        "annual_review_meeting", "2025-02-28", "met_late"),
    row("pending", review(today="2025-02-28"), "annual_review_meeting", "2025-02-28", "pending", 0),
    row("overdue", review(today="2025-03-01"), "annual_review_meeting", "2025-02-28", "overdue",
        -1),
    # Last reviewed 10 Mar 2025: the next 12 months end on 9 Mar 2026.
    row("counted-from-the-previous-review",
        review(last_review_meeting_on="2025-03-10", today="2026-03-09"),
        "annual_review_meeting", "2026-03-09", "pending", 0),
    row("previous-review-anniversary-overdue",
        review(last_review_meeting_on="2025-03-10", today="2026-03-10"),
        "annual_review_meeting", "2026-03-09", "overdue", -1),
    # "Starting with" already counts the first day: the day-one setting moves nothing.
    row("day-one-moves-nothing", review(review_meeting_on="2025-02-28"), "annual_review_meeting",
        "2025-02-28", "met", None, True),
]  # fmt: skip


def meeting(**facts):
    return review(review_meeting_on="2025-02-20", **facts)


REVIEW_STEPS = [
    # Meeting Thu 20 Feb 2025: notice by 6 Feb; report by 6 Mar; decision by 20 Mar.
    row("notice-on-time", meeting(review_notice_sent_on="2025-02-06"), "review_meeting_notice",
        "2025-02-06", "met"),
    row("notice-late", meeting(review_notice_sent_on="2025-02-07"), "review_meeting_notice",
        "2025-02-06", "met_late"),
    row("report-due-day", meeting(review_report_sent_on="2025-03-06"), "review_report",
        "2025-03-06", "met"),
    row("report-late", meeting(review_report_sent_on="2025-03-07"), "review_report", "2025-03-06",
        "met_late"),
    row("report-overdue", meeting(today="2025-03-07"), "review_report", "2025-03-06", "overdue",
        -1),
    row("report-waiting-for-meeting", review(today="2025-02-01"), "review_report", None,
        "pending"),
    row("decision-due-day", meeting(review_decision_on="2025-03-20"), "review_decision",
        "2025-03-20", "met"),
    row("decision-late", meeting(review_decision_on="2025-03-21"), "review_decision",
        "2025-03-20", "met_late"),
    row("decision-pending", meeting(today="2025-03-20"), "review_decision", "2025-03-20",
        "pending", 0),
    row("decision-day-one", meeting(review_decision_on="2025-03-20"), "review_decision",
        "2025-03-19", "met_late", None, True),
]  # fmt: skip


def amendments(**facts):
    return meeting(review_decision_on="2025-03-20", proposed_amendments_sent_on="2025-03-20",
                   **facts)  # fmt: skip


AMENDMENTS = [
    # Proposed amendments sent Thu 20 Mar 2025: comments to 3 Apr; amended plan by 15 May.
    row("comments-window-open", amendments(today="2025-04-03"), "amendment_comments_close",
        "2025-04-03", "pending", 0),
    row("comments-window-ran", amendments(today="2025-04-04"), "amendment_comments_close",
        "2025-04-03", "met"),
    row("amended-inside-window", amendments(amended_plan_issued_on="2025-04-02"),
        "amendment_comments_close", "2025-04-03", "overdue", -2),
    row("amended-plan-due-day", amendments(amended_plan_issued_on="2025-05-15"), "amended_plan",
        "2025-05-15", "met"),
    row("amended-plan-late", amendments(amended_plan_issued_on="2025-05-16"), "amended_plan",
        "2025-05-15", "met_late"),
    row("amended-plan-overdue", amendments(today="2025-05-16"), "amended_plan", "2025-05-15",
        "overdue", -1),
    row("amended-plan-day-one", amendments(amended_plan_issued_on="2025-05-15"), "amended_plan",
        "2025-05-14", "met_late", None, True),
]  # fmt: skip


def transfer(kind, **facts):
    return review(
        plan_issued_on="2025-03-01",
        review_meeting_on="2025-11-20",
        proposed_amendments_sent_on="2025-12-01",
        phase_transfer={"year": 2026, "kind": kind},
        **facts,
    )


PHASE_TRANSFER = [
    # reg 18(1): the plan is reviewed and amended "before (a) 31st March in the calendar year of
    # the transfer, in the case of a transfer from secondary school to a post-16 institution;
    # and (b) 15th February in the calendar year of the transfer in any other case". "Before"
    # leaves 14 February and 30 March as the last days.
    row("school-by-14-february", transfer("school", amended_plan_issued_on="2026-02-14",
                                          today="2026-03-01"),
        "phase_transfer_amendment", "2026-02-14", "met"),
    row("school-on-15-february-is-late", transfer("school", amended_plan_issued_on="2026-02-15",
                                                  today="2026-03-01"),
        "phase_transfer_amendment", "2026-02-14", "met_late"),
    row("school-pending", transfer("school", today="2026-01-10"),
        "phase_transfer_amendment", "2026-02-14", "pending", 35),
    row("post16-by-30-march", transfer("post16", amended_plan_issued_on="2026-03-30",
                                       today="2026-04-01"),
        "phase_transfer_amendment", "2026-03-30", "met"),
    row("post16-on-31-march-is-late", transfer("post16", amended_plan_issued_on="2026-03-31",
                                               today="2026-04-01"),
        "phase_transfer_amendment", "2026-03-30", "met_late"),
    row("post16-overdue", transfer("post16", today="2026-03-31"),
        "phase_transfer_amendment", "2026-03-30", "overdue", -1),
    row("fixed-date-ignores-day-one", transfer("school", amended_plan_issued_on="2026-02-14",
                                               today="2026-03-01"),
        "phase_transfer_amendment", "2026-02-14", "met", None, True),
]  # fmt: skip


@pytest.mark.parametrize(
    ("which", "due", "regulation"),
    [
        ("early_years_to_school", "2026-02-14", "reg 18(1)(b)"),
        ("infant_to_junior", "2026-02-14", "reg 18(1)(b)"),
        ("primary_to_middle", "2026-02-14", "reg 18(1)(b)"),
        ("primary_to_secondary", "2026-02-14", "reg 18(1)(b)"),
        ("middle_to_secondary", "2026-02-14", "reg 18(1)(b)"),
        ("secondary_to_post16", "2026-03-30", "reg 18(1)(a)"),
    ],
)
def test_all_six_transfers_of_reg_2_are_recognised(which, due, regulation):
    """reg 2(1): "transfer between phases of education" means a transfer from (a) relevant
    early years education to school; (b) infant school to junior school; (c) primary school to
    middle school; (d) primary school to secondary school; (e) middle school to secondary
    school; or (f) secondary school to a post-16 institution. Only (f) has 31 March."""
    facts = review(
        plan_issued_on="2025-03-01",
        review_meeting_on="2025-11-20",
        proposed_amendments_sent_on="2025-12-01",
        phase_transfer={"year": 2026, "transfer": which},
        today="2026-01-10",
    )
    found = milestone(facts, "phase_transfer_amendment")
    assert (found["due"], found["status"]) == (due, "pending")
    assert found["regulation"].endswith(regulation)


def test_post16_transfers_on_1_september_2015_were_due_before_31_may_2015():
    """reg 18(3): for a transfer from secondary school to a post-16 institution on 1 September
    2015 the plan was to be reviewed and amended before 31 May 2015 (not 31 March)."""
    facts = review(
        plan_issued_on="2014-10-01",
        review_meeting_on="2015-02-20",
        proposed_amendments_sent_on="2015-03-01",
        amended_plan_issued_on="2015-05-30",
        phase_transfer={"year": 2015, "kind": "post16"},
        today="2015-09-01",
    )
    found = milestone(facts, "phase_transfer_amendment")
    assert (found["due"], found["status"]) == ("2015-05-30", "met")
    assert found["regulation"].endswith("reg 18(3)")
    # A move between school phases in 2015 kept 15 February.
    facts["phase_transfer"] = {"year": 2015, "kind": "school"}
    assert milestone(facts, "phase_transfer_amendment")["due"] == "2015-02-14"


def disagreement(**facts):
    return assessment(decision={"outcome": "not_assess", "on": "2025-03-31"},
                      decision_letter_on="2025-03-31", **facts)  # fmt: skip


DISAGREEMENT = [
    # Decision letter Mon 31 Mar 2025: 2 months = 31 May 2025.
    row("mediation-contact-in-time", disagreement(mediation_contacted_on="2025-05-31"),
        "mediation_contact", "2025-05-31", "met"),
    row("mediation-contact-late", disagreement(mediation_contacted_on="2025-06-01"),
        "mediation_contact", "2025-05-31", "met_late"),
    row("mediation-contact-pending", disagreement(today="2025-05-01"),
        "mediation_contact", "2025-05-31", "pending", 30),
    # Contacted Thu 17 Apr 2025: Good Friday and Easter Monday are skipped: due Thu 24 Apr.
    row("certificate-skips-easter", disagreement(mediation_contacted_on="2025-04-17",
                                                 mediation_certificate_on="2025-04-24"),
        "mediation_certificate", "2025-04-24", "met"),
    row("certificate-late", disagreement(mediation_contacted_on="2025-04-17",
                                         mediation_certificate_on="2025-04-25"),
        "mediation_certificate", "2025-04-24", "met_late"),
    # Contacted Fri 7 Mar: Mon 10, Tue 11, Wed 12.
    row("certificate-over-a-weekend",
        assessment(decision={"outcome": "not_assess", "on": "2025-02-10"},
                   decision_letter_on="2025-02-10", mediation_contacted_on="2025-03-07",
                   today="2025-03-12"),
        "mediation_certificate", "2025-03-12", "pending", 0),
    # HESC Rules r.20(1)(c): 2 months from the letter (31 Mar 2025 -> Sat 31 May 2025); r.12(2):
    # "if the time ... ends on a day other than a working day, the act is done in time if it is
    # done on the next working day": Mon 2 Jun 2025.
    row("appeal-2-months-from-letter", disagreement(appeal_lodged_on="2025-06-02"),
        "appeal_deadline", "2025-06-02", "met"),
    row("appeal-1-month-from-a-later-certificate",
        disagreement(mediation_contacted_on="2025-05-15", mediation_certificate_on="2025-05-20",
                     appeal_lodged_on="2025-06-20"),
        "appeal_deadline", "2025-06-20", "met"),
    row("appeal-earlier-certificate-does-not-shorten",
        disagreement(mediation_contacted_on="2025-04-05", mediation_certificate_on="2025-04-10",
                     appeal_lodged_on="2025-06-03"),
        "appeal_deadline", "2025-06-02", "met_late"),
    row("appeal-family-deadlines-ignore-day-one", disagreement(appeal_lodged_on="2025-06-02"),
        "appeal_deadline", "2025-06-02", "met", None, True),
    # 31 Dec 2024 + 2 months is clamped to 28 Feb 2025.
    row("appeal-month-end-clamped",
        assessment(request_received="2024-11-01",
                   decision={"outcome": "not_assess", "on": "2024-12-11"},
                   decision_letter_on="2024-12-31", today="2025-03-01"),
        "appeal_deadline", "2025-02-28", "overdue", -1),
]  # fmt: skip


TRIBUNAL = [
    # Order Mon 3 Mar 2025.
    row("assess-notify-2-weeks", tribunal("assess", notified_on="2025-03-17"),
        "tribunal:notify_assess", "2025-03-17", "met"),
    row("assess-notify-late", tribunal("assess", notified_on="2025-03-18"),
        "tribunal:notify_assess", "2025-03-17", "met_late"),
    row("assess-decide-not-to-issue-10-weeks",
        tribunal("assess", decision_not_to_issue_on="2025-05-12"),
        "tribunal:decide_not_to_issue", "2025-05-12", "met"),
    row("assess-no-final-plan-after-not-issuing",
        tribunal("assess", decision_not_to_issue_on="2025-05-12"), "tribunal:final_plan", None, NA),
    row("assess-final-plan-14-weeks", tribunal("assess", final_plan_issued_on="2025-06-09"),
        "tribunal:final_plan", "2025-06-09", "met"),
    row("assess-final-plan-overdue", tribunal("assess", today="2025-06-10"),
        "tribunal:final_plan", "2025-06-09", "overdue", -1),
    row("assess-not-issuing-limit-gone-once-plan-issued",
        tribunal("assess", final_plan_issued_on="2025-06-01"),
        "tribunal:decide_not_to_issue", None, NA),
    row("make-plan-draft-5-weeks", tribunal("make_plan", draft_plan_issued_on="2025-04-07"),
        "tribunal:draft_plan", "2025-04-07", "met"),
    row("make-plan-draft-late", tribunal("make_plan", draft_plan_issued_on="2025-04-08"),
        "tribunal:draft_plan", "2025-04-07", "met_late"),
    row("make-plan-final-11-weeks", tribunal("make_plan", today="2025-05-19"),
        "tribunal:final_plan", "2025-05-19", "pending", 0),
    row("amend-plan-5-weeks", tribunal("amend_plan", amended_plan_issued_on="2025-04-08"),
        "tribunal:amend_plan", "2025-04-07", "met_late"),
    row("name-school-2-weeks", tribunal("name_school", amended_plan_issued_on="2025-03-17"),
        "tribunal:name_school", "2025-03-17", "met"),
    row("name-school-overdue", tribunal("name_school", today="2025-03-18"),
        "tribunal:name_school", "2025-03-17", "overdue", -1),
    row("day-one", tribunal("name_school", amended_plan_issued_on="2025-03-17"),
        "tribunal:name_school", "2025-03-16", "met_late", None, True),
]  # fmt: skip


TABLE = {
    "decision": DECISION,
    "advice": ADVICE,
    "notice": NOTICE,
    "draft": DRAFT,
    "consultation": CONSULTATION,
    "final": FINAL,
    "annual-review": ANNUAL_REVIEW,
    "review": REVIEW_STEPS,
    "amendments": AMENDMENTS,
    "phase-transfer": PHASE_TRANSFER,
    "disagreement": DISAGREEMENT,
    "tribunal": TRIBUNAL,
}


@pytest.mark.parametrize(
    ("facts", "key", "due", "status", "days", "day_one"),
    [
        pytest.param(*case.values, id=f"{group}:{case.id}")
        for group, cases in TABLE.items()
        for case in cases
    ],
)
def test_worked_example(facts, key, due, status, days, day_one):
    found = milestone(facts, key, day_one=day_one)
    assert (found["due"], found["status"], found["days_remaining"]) == (due, status, days)
    if status in ("met", "met_late", "not_applicable"):
        assert found["days_remaining"] is None
    if status != "exception_applies":
        assert found["exception"] is None


def test_met_on_is_reported():
    found = milestone(assessed(final_plan_issued_on="2025-05-20"), "final_plan")
    assert found["met_on"] == "2025-05-20"


def test_comment_window_met_on_is_its_last_day():
    found = milestone(assessed(draft_plan_served_on="2025-04-01"), "draft_plan_comments_close")
    assert (found["met_on"], found["status"]) == ("2025-04-15", "met")


def test_unopposed_appeal_cites_reg_45():
    found = milestone(
        tribunal("name_school", unopposed=True, amended_plan_issued_on="2025-03-17"),
        "tribunal:name_school",
    )
    assert found["status"] == "met"
    assert "reg 45" in found["regulation"]
    assert "reg 44(2)" in found["regulation"]


def test_every_milestone_cites_its_regulation():
    facts = assessed(
        advice=[{"id": "ep", "received_by_body_on": "2025-02-12"}],
        draft_plan_served_on="2025-04-01",
        consultations=[{"id": "c", "sent_on": "2025-04-01"}],
        decision_letter_on="2025-05-01",
        mediation_contacted_on="2025-05-02",
        tribunal_order={"kind": "assess", "on": "2025-06-02"},
    )
    found = milestones(facts)
    assert len(found) == 12
    for item in found.values():
        assert item["regulation"]
        assert item["label"]


def test_assessment_milestones_in_process_order():
    keys = list(
        milestones(assessed(advice=[{"id": "a"}, {"id": "b"}], consultations=[{"id": "c"}]))
    )
    assert keys == [
        "decision_whether_to_assess",
        "advice:a",
        "advice:b",
        "notice_not_to_issue",
        "draft_plan_comments_close",
        "consultation:c",
        "final_plan",
    ]


def test_review_milestones_in_process_order():
    keys = list(
        milestones(
            transfer(
                "school",
                review_notice_sent_on="2025-11-01",
                consultations=[{"id": "c", "sent_on": "2025-12-01"}],
                today="2026-03-01",
            )
        )
    )
    assert keys == [
        "annual_review_meeting",
        "review_meeting_notice",
        "review_report",
        "review_decision",
        "amendment_comments_close",
        "consultation:c",
        "amended_plan",
        "phase_transfer_amendment",
    ]
