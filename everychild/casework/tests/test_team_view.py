"""The team page (/cases/team/) shows exactly what the statutory engine says of each open case
judged one at a time, however the list pages compute and remember their clocks (decision
0265), and a remembered judgement never outlives a change to what it was judged on."""

import datetime as dt
import html
import re

import pytest

from everychild.accounts.models import Role
from everychild.casework import clock, facts, selectors, services
from everychild.casework.models import OPEN_STAGES, AssessmentRequest, Letter
from everychild.casework.tests.conftest import days_ago
from everychild.casework.tests.test_query_counts import open_cases
from everychild.testing import factories

pytestmark = pytest.mark.django_db


def one_at_a_time(case_id: int, today: dt.date | None = None) -> clock.CaseClock:
    """The case page's way: the case loaded on its own, judged on its own."""
    case = AssessmentRequest.objects.select_related("area").get(pk=case_id)
    return clock.clock_for(case, today=today)


def expected_team(area) -> dict:
    """What the team page should show, from each open case judged one at a time."""
    unallocated, loads, at_risk, missed = [], {}, 0, 0
    cases = AssessmentRequest.objects.filter(area=area, stage__in=OPEN_STAGES).select_related(
        "caseworker"
    )
    for case in cases:
        judged = one_at_a_time(case.pk)
        risk = clock.breach_risk(case, judged)
        if risk:
            at_risk += not risk.missed
            missed += risk.missed
        if case.caseworker is None:
            unallocated.append((*judged.sort_key, case.received_on, case.pk))
            continue
        load = loads.setdefault(case.caseworker.full_name, [0, 0, 0])
        load[0] += 1
        load[1] += judged.status == "overdue"
        load[2] += judged.status == "due_soon"
    return {
        "open": cases.count(),
        "unallocated": [key[-1] for key in sorted(unallocated)],
        "loads": loads,
        "at_risk": at_risk,
        "missed": missed,
    }


def shown_team(page: str) -> dict:
    unallocated_part = page[page.index('id="unallocated"') : page.index('id="caseloads"')]
    caseloads_part = page[page.index('id="caseloads"') :]
    loads = {}
    for name, numbers in re.findall(
        r'<tr class="govuk-table__row"><td class="govuk-table__cell">([^<]+)(.*?)</tr>',
        caseloads_part,
    ):
        loads[name] = [int(n) for n in re.findall(r"--numeric\">(\d+)</td>", numbers)]
    warning = re.search(r"(\d+) cases? (?:is|are) at risk .*?, and (\d+) ha", page)
    return {
        "open": int(re.search(r"(\d+) open cases? in your area", page).group(1)),
        "unallocated": [int(pk) for pk in re.findall(r'href="/cases/(\d+)/"', unallocated_part)],
        "loads": {name: load for name, load in loads.items() if load[0]},
        "at_risk": int(warning.group(1)) if warning else 0,
        "missed": int(warning.group(2)) if warning else 0,
        "selects": re.findall(r"<select [^>]*>(.*?)</select>", unallocated_part, re.S),
    }


def test_the_team_page_shows_what_the_engine_says_of_each_case_judged_alone(
    client, area, caseworker, team_manager, build
):
    colleague = factories.make_user(
        Role.CASEWORKER, caseworker.memberships.get().organisation, full_name="Alex Other"
    )
    open_cases(24, area, caseworker)  # stages, advice, exceptions, consultations, unallocated
    open_cases(6, area, colleague, start=24)
    build.assessed_to_draft(draft_days_ago=12)  # a draft served, a plan due soon
    tight = build.decide(build.request(received_days_ago=122), days_after=20)  # at risk
    tight.caseworker = None
    tight.save()
    client.force_login(team_manager)
    expected = expected_team(area)
    assert expected["unallocated"] and expected["at_risk"] and expected["missed"]
    assert sum(load[1] + load[2] for load in expected["loads"].values())  # counts to compare

    first = html.unescape(client.get("/cases/team/").content.decode())
    again = html.unescape(client.get("/cases/team/").content.decode())  # judgements remembered
    for page in (first, again):
        shown = shown_team(page)
        assert shown["open"] == expected["open"]
        assert shown["unallocated"] == expected["unallocated"]  # what needs doing first, first
        assert shown["loads"] == expected["loads"]
        assert (shown["at_risk"], shown["missed"]) == (expected["at_risk"], expected["missed"])
        # Every unallocated request can be allocated to any of the team, in name order.
        staff = [p.full_name for p in selectors.casework_staff([area.pk])]
        assert staff == sorted(staff) and len(staff) >= 3
        assert len(shown["selects"]) == len(expected["unallocated"])
        for select in shown["selects"]:
            assert re.findall(r'<option value="\d+">([^<]+)</option>', select) == staff
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"|nonce="[^"]+"')
    assert strip.sub("", first) == strip.sub("", again)


def list_clocks(area, today=None) -> dict:
    """The list pages' way: every case of the area at once (remembered judgements)."""
    qs = AssessmentRequest.objects.filter(area=area)
    return clock.clocks_for(selectors.summaries(qs), source=qs, today=today)


def assert_list_agrees(area, case, today=None) -> clock.CaseClock:
    listed = list_clocks(area, today)[case.pk]
    alone = one_at_a_time(case.pk, today)
    assert listed.milestones == alone.milestones
    assert (listed.status, listed.next, listed.today) == (alone.status, alone.next, alone.today)
    return listed


def test_a_remembered_judgement_never_outlives_a_change_to_what_it_was_judged_on(
    area, caseworker, school, build
):
    case = build.request(received_days_ago=40)
    before = assert_list_agrees(area, case)
    assert before.status == "due_soon"

    case = build.decide(case, days_after=10)  # a field of the case
    decided = assert_list_agrees(area, case)
    assert decided.milestone("decision_whether_to_assess").met_on is not None

    advice = build.advice(case, school, kind="education")  # a new related row
    asked = assert_list_agrees(area, case)
    assert asked.milestone(f"advice:{advice.pk}").met_on is None

    build.provided(advice, days_after=3)  # a related row changed
    assert assert_list_agrees(area, case).milestone(f"advice:{advice.pk}").met_on is not None

    case.refresh_from_db()
    services.record_exception(
        actor=caseworker,
        case=case,
        version=case.version,
        regulation="10(4)(c)",
        starts_on=days_ago(5),
        reason="Illness",
    )
    assert assert_list_agrees(area, case).milestones != asked.milestones

    final_due = assert_list_agrees(area, case).milestone("final_plan").due
    area.count_start_as_day_one = True  # the area's way of counting
    area.save()
    assert assert_list_agrees(area, case).milestone("final_plan").due != final_due

    area.setting_closures = [{"from": days_ago(30).isoformat(), "to": days_ago(1).isoformat()}]
    area.save()  # the area's setting closures
    assert_list_agrees(area, case)

    refusal = build.request(received_days_ago=30)
    refusal = build.decide(refusal, days_after=5, decision="not_assess")
    Letter.objects.create(
        assessment_request=refusal,
        kind="decision_not_to_assess",
        dated_on=days_ago(20),
        sent_on=days_ago(20),
        html="x",
    )
    assert_list_agrees(area, refusal)

    for later in (days_ago(-1), days_ago(-30)):  # another day
        moved = assert_list_agrees(area, case, today=later)
        assert moved.today == later


class Recording:
    """A case that notes which of its fields are read."""

    def __init__(self, case):
        object.__setattr__(self, "_case", case)
        object.__setattr__(self, "read", set())

    def __getattr__(self, name):
        self.read.add(name)
        return getattr(self._case, name)


def test_the_facts_of_a_case_come_only_from_the_fields_its_judgement_is_remembered_under(
    area, caseworker, build
):
    """`clocks_for` remembers a judgement under facts.CASE_FIELDS: were the translation to read
    another field of the case, a change to it could leave a stale date."""
    plain = build.request(received_days_ago=10)
    drafted = build.assessed_to_draft(draft_days_ago=5)
    withdrawn = services.withdraw(
        actor=caseworker,
        case=build.request(received_days_ago=30),
        version=None,
        withdrawn_on=days_ago(3),
        reason="Moved",
    )
    reassessment = factories.AssessmentRequestFactory(
        child=plain.child, received_on=days_ago(5), reassessment_of=drafted
    )
    read = set()
    for case in (plain, drafted, withdrawn, reassessment):
        recording = Recording(AssessmentRequest.objects.get(pk=case.pk))
        facts.facts_dict(
            recording, advice=(), exceptions=(), consultations=(), letters=(), today=days_ago(0)
        )
        read |= recording.read
    assert read == set(facts.CASE_FIELDS)


def test_unallocated_requests_come_a_page_at_a_time_in_order_and_only_those_shown_are_audited(
    client, area, caseworker, team_manager, monkeypatch
):
    from everychild.access.models import AuditEntry
    from everychild.casework import views

    monkeypatch.setattr(views, "UNALLOCATED_PAGE_SIZE", 4)
    open_cases(10, area, caseworker)
    AssessmentRequest.objects.filter(area=area).update(caseworker=None)
    client.force_login(team_manager)
    expected = expected_team(area)["unallocated"]
    assert len(expected) == 10

    shown, pages = [], {}
    for number in (1, 2, 3):
        before = AuditEntry.objects.count()
        page = html.unescape(client.get(f"/cases/team/?page={number}").content.decode())
        listed = shown_team(page)["unallocated"]
        assert len(shown_team(page)["selects"]) == len(listed)
        audited = AuditEntry.objects.filter(
            seq__gt=before, record_type="casework.AssessmentRequest"
        )
        assert sorted(int(e.record_id) for e in audited) == sorted(listed)  # only those shown
        assert "10 requests waiting for a caseworker" in page
        pages[number] = page
        shown += listed
    assert shown == expected  # every request once, what needs doing first at the top
    assert "Showing 1 to 4." in pages[1] and "Showing 9 to 10." in pages[3]
    assert 'rel="next"' in pages[1] and 'rel="next"' not in pages[3]
    # A page past the end, or not a number, shows a real page rather than an error.
    for wrong in ("99", "x"):
        response = client.get(f"/cases/team/?page={wrong}")
        assert response.status_code == 200
