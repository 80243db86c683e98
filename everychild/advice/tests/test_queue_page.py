"""The agency's advice queue (/advice/) shows, page after page, exactly the rows it always did:
the same requests, in the same order, with the same due dates, days left, statuses, priority
rules and links (issue 21: the queue is worked out set-wise and only the page shown is read in
full, audited and drawn, decision 0261). The expected rows are worked out here from each case's
own clock (the case page's `clock_for`), not from the queue's code."""

import datetime as dt
import re

import lxml.html
import pytest
from django.utils import dateformat, timezone

from everychild.access.models import AuditEntry
from everychild.advice import selectors, services
from everychild.advice.models import AdviceWork
from everychild.casework import clock
from everychild.casework.models import AdviceRequest, CaseException, Decision, Stage
from everychild.testing import factories

pytestmark = pytest.mark.django_db

PAGE = 4  # rows on a page here, so that a dozen requests run to several pages


def _days_left(due, today) -> str:
    days = (due - today).days
    return f"{-days} overdue" if days < 0 else str(days)


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(selectors, "QUEUE_PAGE_SIZE", PAGE)


def _case(setup, *, received_weeks_ago=8, last_name=None, caseworker=True, **fields):
    today = timezone.localdate()
    child = factories.ChildFactory(
        area=setup["area"], **({"last_name": last_name} if last_name else {})
    )
    values = {
        "received_on": today - dt.timedelta(weeks=received_weeks_ago),
        "decision": Decision.ASSESS,
        "decision_on": today - dt.timedelta(weeks=received_weeks_ago - 3),
        "stage": Stage.ASSESSING,
        "caseworker": setup["caseworker"] if caseworker else None,
    }
    values.update(fields)
    return factories.AssessmentRequestFactory(child=child, **values)


def _advice(setup, case, *, days_ago, **fields):
    return factories.AdviceRequestFactory(
        assessment_request=case,
        kind="ep",
        organisation=setup["advice"]["ep"].organisation,  # the EP service
        received_by_body_on=timezone.localdate() - dt.timedelta(days=days_ago),
        **fields,
    )


@pytest.fixture
def queue(area_setup):
    """A dozen requests to the EP service, with every kind of row the queue shows: overdue,
    excepted under reg 8(2), due soon and later, allocated with priority rules of different
    ranks (and two due the same day), from a case with no caseworker, on a case the council
    decided not to assess (no date running), submitted, and one cancelled (never shown)."""
    s = area_setup
    today = timezone.localdate()
    urgent = services.add_priority_rule(
        actor=s["epmanager"],
        organisation=s["advice"]["ep"].organisation,
        name="Looked after",
        description="x",
        rank=1,
    )
    later = services.add_priority_rule(
        actor=s["epmanager"],
        organisation=s["advice"]["ep"].organisation,
        name="Transition",
        description="y",
        rank=5,
    )
    made = [s["advice"]["ep"]]  # the fixture's own: received 4 weeks ago
    made.append(_advice(s, _case(s, last_name="Overdue"), days_ago=50))
    excepted = _advice(s, _case(s, last_name="Excepted", received_weeks_ago=10), days_ago=60)
    CaseException.objects.create(
        assessment_request=excepted.assessment_request,
        advice_request=excepted,
        regulation=CaseException.Regulation.ADVICE_ABSENT,
        starts_on=today - dt.timedelta(days=55),
        reason="Away from the area",
    )
    made.append(excepted)
    for days_ago, rules in ((10, [later]), (10, [urgent]), (10, []), (10, [urgent, later])):
        advice = _advice(s, _case(s, last_name="Same"), days_ago=days_ago)
        services.allocate(
            actor=s["epmanager"], advice=advice, professional=s["ep"], priority_rules=rules
        )
        made.append(advice)
    made.append(_advice(s, _case(s, caseworker=False, last_name="Nobody"), days_ago=3))
    made.append(
        _advice(
            s,
            _case(s, last_name="Declined", decision=Decision.NOT_ASSESS, stage=Stage.NOT_ASSESSING),
            days_ago=20,
        )
    )
    made.append(_advice(s, _case(s, last_name="Smith"), days_ago=5))
    made.append(_advice(s, _case(s, last_name="Smithson"), days_ago=12))
    made.append(
        _advice(
            s, _case(s, last_name="Given"), days_ago=30, provided_on=today - dt.timedelta(days=2)
        )
    )
    _advice(s, _case(s, last_name="Cancelled"), days_ago=7, cancelled_on=today)
    return made


def _date(day) -> str:
    return dateformat.format(day, "j M Y") if day else ""


def expected(setup, *, show="open", sort="due", query=""):
    """The queue's rows as the page showed them before issue 21, from each case's own clock."""
    found = []
    for advice in AdviceRequest.objects.filter(
        organisation=setup["advice"]["ep"].organisation, cancelled_on=None
    ):
        case = advice.assessment_request
        if show != "all" and advice.provided_on is not None:
            continue
        if query and not (
            query.lower() in case.reference.lower()
            or (query.lower() in case.child.last_name.lower() and advice.provided_on is None)
        ):
            continue
        milestone = clock.clock_for(case).milestone(f"advice:{advice.pk}")
        work = AdviceWork.objects.filter(advice_request=advice).first()
        rules = list(work.priority_rules.order_by("rank", "pk")) if work else []
        found.append((advice, case, milestone, rules))

    def due_key(item):
        advice, _, milestone, rules = item
        due = milestone.due if milestone is not None and milestone.due else dt.date.max
        return (
            due,
            min((r.rank for r in rules), default=10**6),
            advice.received_by_body_on,
            advice.pk,
        )

    keys = {
        "due": due_key,
        "received": lambda i: (i[0].received_by_body_on, i[0].pk),
        "child": lambda i: (i[1].child.last_name, i[0].pk),
    }
    rows = []
    today = timezone.localdate()
    for advice, case, milestone, rules in sorted(found, key=keys[sort]):
        due = milestone.due if milestone is not None else None
        if advice.provided_on:
            status = "Submitted"
        else:
            status = "Allocated" if advice.assigned_to_id else "Not allocated"
        if advice.assigned_to_id:
            status += f": {advice.assigned_to.full_name}"
        if milestone is not None and milestone.status == "overdue":
            status += " Overdue"
        elif milestone is not None and milestone.status == "exception_applies":
            status += " Exception applies"
        title = (
            f"Advice for {case.reference}"
            if advice.provided_on
            else f"{case.child.full_name}, {case.reference}"
        )
        rows.append(
            [
                f"/advice/{advice.pk}/",
                title + advice.get_kind_display() + "".join(f"; {r.name}" for r in rules),
                case.caseworker.full_name if case.caseworker else "The council",
                _date(advice.received_by_body_on),
                _date(due),
                _days_left(due, today) if due and not advice.provided_on else "",
                status,
            ]
        )
    return rows


def shown(client, url):
    """Every page of the queue at `url`: its rows (link and cells' text) and each caption."""
    rows, captions, page = [], [], 1
    while True:
        response = client.get(f"{url}{'&' if '?' in url else '?'}page={page}")
        assert response.status_code == 200
        doc = lxml.html.fromstring(response.content.decode())
        table = doc.xpath("//caption[contains(@class, 'govuk-table__caption--m')]/..")
        if not table:
            return rows, captions
        captions.append(table[0].xpath("string(caption)").strip())
        for tr in table[0].xpath(".//tbody/tr"):
            cells = [re.sub(r"\s+", " ", td.text_content()).strip() for td in tr.xpath("td")]
            rows.append([tr.xpath(".//a/@href")[0], *cells])
        if not doc.xpath("//a[@rel='next']"):
            return rows, captions
        page += 1


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"sort": "received"},
        {"sort": "child"},
        {"show": "all"},
        {"show": "all", "sort": "child"},
        {"q": "smith"},
    ],
)
def test_the_queue_shows_every_request_in_order_with_its_dates_and_status_page_after_page(
    client, area_setup, queue, small_pages, params
):
    want = expected(
        area_setup,
        show=params.get("show", "open"),
        sort=params.get("sort", "due"),
        query=params.get("q", ""),
    )
    # Each kind of row the queue shows is there to be checked.
    if not params:
        statuses = " ".join(row[-1] for row in want)
        assert "Overdue" in statuses and "Exception applies" in statuses
        assert any(row[4] == "" for row in want)  # no date running: last
        assert any("; Looked after; Transition" in row[1] for row in want)
        assert len(want) > 2 * PAGE
    client.force_login(area_setup["ep"])
    query = "&".join(f"{k}={v}" for k, v in params.items())
    rows, captions = shown(client, f"/advice/?{query}")
    # The first cell's text is the link's (child and case) run into the line under it (kind
    # and priority rules).
    assert rows == want
    total = len(want)
    assert captions == [f"{total} request{'s' if total != 1 else ''}"] * len(captions)
    assert len(captions) == -(-total // PAGE)


def test_the_whole_queue_of_the_selector_is_the_pages_one_after_another(
    area_setup, queue, small_pages
):
    """The waiting list and the API read the whole queue (`queue`); the page reads it a page
    at a time (`queue_page`): the same rows in the same order, judged alike."""
    user = area_setup["epmanager"]
    for sort in ("due", "received", "child"):
        whole = selectors.queue(user, show="all", sort=sort)
        paged, number = [], 1
        while True:
            page = selectors.queue_page(user, show="all", sort=sort, page=number)
            paged += page.object_list
            if not page.has_next():
                break
            number += 1
        assert [(r.advice.pk, r.due, r.clock_status, [x.pk for x in r.rules]) for r in paged] == [
            (r.advice.pk, r.due, r.clock_status, [x.pk for x in r.rules]) for r in whole
        ]


def test_only_the_requests_on_the_page_shown_are_audited_as_seen(
    client, area_setup, queue, small_pages
):
    client.force_login(area_setup["ep"])
    before = AuditEntry.objects.count()
    rows, _ = shown(client, "/advice/?sort=received")
    response = client.get("/advice/?sort=received&page=2")
    doc = lxml.html.fromstring(response.content.decode())
    on_page = [href.split("/")[2] for href in doc.xpath("//tbody/tr//a/@href")]
    entries = AuditEntry.objects.filter(detail__list="advice_queue").order_by("-seq")[
        : len(on_page)
    ]
    assert len(on_page) == PAGE
    assert sorted(e.record_id for e in entries) == sorted(on_page)
    # Every page opened recorded its own rows, one entry each, and no more.
    assert (
        AuditEntry.objects.filter(detail__list="advice_queue", seq__gt=before).count()
        == len(rows) + PAGE
    )
