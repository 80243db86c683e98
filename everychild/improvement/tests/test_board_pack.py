"""The SEND Board pack: from the command and from the dashboard's button, an accessible PDF
(tagged, in English, with headings and table header cells) holding the measures, the
benchmarks, the actions due and overdue, and the risks; no child named in it."""

from datetime import date, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from everychild.accounts.models import Role
from everychild.improvement import services
from everychild.improvement.boardpack import render_html
from everychild.improvement.models import BoardPackRun
from everychild.performance.dfe import import_release
from everychild.performance.tests.dfe_files import write_release
from everychild.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def area_with_plan(area, tmp_path):
    today = timezone.localdate()
    area.la_code = "E06000058"
    area.save()
    la = factories.LocalAuthorityFactory(area=area)
    manager = factories.make_user(Role.TEAM_MANAGER, la)
    for n in range(3):
        child = factories.ChildFactory(area=area, last_name=f"Secretname{n}")
        received = today - timedelta(days=190 + n)
        factories.AssessmentRequestFactory(
            child=child,
            received_on=received,
            decision="assess",
            decision_on=received + timedelta(days=30),
            final_plan_issued_on=received + timedelta(days=150),
        )
    priority = services.create_priority(actor=manager, area=area, number=1, title="Timeliness")
    services.create_action(
        actor=manager,
        priority=priority,
        title="Decide within six weeks",
        owner_organisation=la,
        owner=manager,
        starts_on=today - timedelta(days=90),
        due_on=today - timedelta(days=3),
    )
    import_release(write_release(tmp_path / "release"))
    return area


def test_the_pack_holds_every_part(area_with_plan):
    html = render_html(area_with_plan, timezone.localdate())
    assert '<html lang="en-GB">' in html
    for heading in (
        "1. The improvement plan's measures",
        "2. Every other measure",
        "3. Beside England, the region and similar areas",
        "4. Improvement actions",
        "5. Risks",
    ):
        assert heading in html
    assert "Decide within six weeks" in html  # overdue
    assert 'scope="col"' in html and 'scope="row"' in html
    assert "Secretname" not in html


def test_the_pdf_is_tagged_for_accessibility(area_with_plan):
    from weasyprint import HTML

    html = render_html(area_with_plan, timezone.localdate())
    pdf = HTML(string=html).write_pdf(pdf_variant="pdf/ua-1", uncompressed_pdf=True)
    assert pdf.startswith(b"%PDF")
    for marker in (b"/StructTreeRoot", b"/MarkInfo", b"/Lang (en-GB)", b"/H1", b"/H2", b"/TH"):
        assert marker in pdf, marker
    assert b"/Alt" in pdf  # every chart has a text alternative
    assert b"pdfuaid" in pdf


def test_the_command_writes_the_pack(area_with_plan, tmp_path, capsys):
    out = tmp_path / "pack.pdf"
    call_command("board_pack", "--date", timezone.localdate().isoformat(), "--out", str(out))
    assert out.read_bytes().startswith(b"%PDF")
    printed = capsys.readouterr().out
    assert int(printed.split(": ")[1].split(" pages")[0]) >= 5  # "Wrote …: N pages, …"
    with pytest.raises(CommandError, match="future"):
        call_command("board_pack", "--date", (date.today() + timedelta(days=2)).isoformat(),
                     "--out", str(out))  # fmt: skip


def test_the_dashboard_button_makes_the_pdf_in_the_background(
    client, area_with_plan, django_capture_on_commit_callbacks
):
    forum = factories.ParentCarerForumFactory(area=area_with_plan)
    client.force_login(factories.make_user(Role.BOARD_MEMBER, forum))
    assert "Make the board pack (PDF)" in client.get("/performance/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/performance/board-pack/", {"date": timezone.localdate().isoformat()}
        )
    run = BoardPackRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/performance/board-pack/{run.pk}/"
    status = client.get(f"/performance/board-pack/{run.pk}/status.json").json()
    assert status["status"] == "done" and status["progress"] == 100
    page = client.get(response["Location"]).content.decode()
    assert "Download the board pack (PDF" in page
    pdf = client.get(status["download"])
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert "attachment" in pdf["Content-Disposition"]
    # Listed to download again.
    assert status["download"] in client.get("/performance/board-pack/").content.decode()


def test_making_the_pack_twice_makes_it_once(area_with_plan, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = services.request_board_pack(
            area=area_with_plan, as_at=timezone.localdate(), actor=None
        )
    run.refresh_from_db()
    made_at = run.finished_at
    assert services.make_board_pack(run.pk) == "done"
    run.refresh_from_db()
    assert run.finished_at == made_at


def test_a_pack_that_fails_says_so_and_changes_nothing_else(area_with_plan, monkeypatch):
    from everychild.improvement import boardpack

    def broken(*args, **kwargs):
        raise OSError("Pango is missing")

    monkeypatch.setattr(boardpack, "make_board_pack", broken)
    run = BoardPackRun.objects.create(area=area_with_plan, as_at=timezone.localdate())
    with pytest.raises(OSError):
        services.make_board_pack(run.pk)
    run.refresh_from_db()
    assert run.status == "failed"
    assert "could not be made" in run.error
    assert run.pdf is None


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("", "Enter the day the figures should be as at"),
        ("2026-02-31", "Enter the day as a real date"),
        ((date.today() + timedelta(days=3)).isoformat(), "today or in the past"),
    ],
)
def test_a_bad_day_is_refused_with_the_reason(client, area_with_plan, given, message):
    forum = factories.ParentCarerForumFactory(area=area_with_plan)
    client.force_login(factories.make_user(Role.BOARD_MEMBER, forum))
    response = client.post("/performance/board-pack/", {"date": given})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert message in response.content.decode()
    assert not BoardPackRun.objects.exists()


def test_another_areas_pack_cannot_be_seen(client, area_with_plan):
    other = factories.OtherAreaFactory()
    run = BoardPackRun.objects.create(
        area=other, as_at=timezone.localdate(), status="done", pdf=b"%PDF-1.7", pages=1
    )
    forum = factories.ParentCarerForumFactory(area=area_with_plan)
    client.force_login(factories.make_user(Role.BOARD_MEMBER, forum))
    assert client.get(f"/performance/board-pack/{run.pk}/").status_code == 404
    assert client.get(f"/performance/board-pack/{run.pk}/pack.pdf").status_code == 404
    client.force_login(factories.make_user(Role.CASEWORKER))
    assert client.get("/performance/board-pack/").status_code == 403


def _section(html, title):
    start = html.index(f"<h3>{title}</h3>")
    return html[start : html.index("</div>", start)]


def test_a_pack_as_at_a_past_day_never_gives_a_today_only_figure_as_that_days(area_with_plan):
    """The annual review backlog can be counted for today only (each plan's latest review
    meeting is all that is kept). A pack as at a past day says there is no figure and why,
    rather than today's count "on" that day."""
    today = timezone.localdate()
    for n in range(12):  # issued two years ago, never reviewed: all in today's backlog
        factories.EHCPlanFactory(
            child=factories.ChildFactory(area=area_with_plan, last_name=f"Overdue{n}"),
            issued_on=today - timedelta(days=730),
        )
    title = "Plans with no annual review meeting in the last 12 months"
    now = _section(render_html(area_with_plan, today), title)
    assert f"12</span> on {today:%-d %B %Y}" in now
    past = today - timedelta(days=37)
    html = render_html(area_with_plan, past)
    then = _section(html, title)
    assert f"Not counted</span> on {past:%-d %B %Y}" in then
    assert "Only today&#x27;s figure can be counted: see it on the measure page." in then
    assert '<span class="figure">12' not in then and "No data" not in then
    summary = html[html.index(f'<th scope="row">{title}</th>') :].split("</tr>")[0]
    assert '<td class="num">Not counted</td>' in summary
