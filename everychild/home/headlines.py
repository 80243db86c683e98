"""The home page of the roles that work with figures, money, people and records rather than
cases (issue 20): the SEND Board, finance officers, senior leaders, system administrators,
staff administrators and data protection officers. Each leads with its headline figures and
the links to act on them, and says what the role sees (decision 0208).

Chosen by capability, never by role name: whoever holds casework, gives advice, works in a
setting or is a family keeps their own home page (another part of the service leads those
with "My tasks")."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.urls import reverse

from everychild.access.policy import Capability, capabilities, work_area
from everychild.access.staffing import managed_organisations
from everychild.children.policy import reviewable_break_glass_grants
from everychild.core.dates import today as today_
from everychild.dataprotection import retention
from everychild.finance import presentation as finance_presentation
from everychild.finance import selectors as finance
from everychild.finance.forecast.dimensions import financial_year_of
from everychild.finance.models import Scenario
from everychild.improvement import selectors as improvement
from everychild.notifications.models import Status
from everychild.notifications.selectors import messages_for_administrators
from everychild.performance import measures, periods
from everychild.performance import selectors as performance
from everychild.performance.suppression import shown
from everychild.staff.selectors import people, waiting_invitations

# Roles with any of these keep their own home page.
CASE_CAPABILITIES = {
    Capability.CASEWORK,
    Capability.GIVE_ADVICE,
    Capability.SEE_PUPILS,
    Capability.FAMILY_PORTAL,
}
# The measures a home page leads with: timeliness, the decision, the oldest open cases, the
# reviews. The dashboard has the rest.
HOME_MEASURES = (
    "plans_within_20_weeks_excluding_exceptions",
    "decisions_within_6_weeks",
    "open_past_30_weeks",
    "annual_review_backlog",
)


@dataclass
class Figure:
    label: str
    value: str
    note: str = ""


@dataclass
class Link:
    text: str
    url: str


@dataclass
class Section:
    title: str
    intro: str = ""
    figures: list[Figure] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)


def leads_with_figures(user) -> bool:
    caps = capabilities(user)
    return not (caps & CASE_CAPABILITIES) and bool(
        caps
        & {
            Capability.SEE_AGGREGATES,
            Capability.FINANCE,
            Capability.ADMINISTER,
            Capability.MANAGE_STAFF,
            Capability.DATA_PROTECTION,
        }
    )


def what_you_see(user) -> list[str]:
    """What the role sees, and what it does not, in a sentence a capability."""
    caps = capabilities(user)
    said = []
    if Capability.SEE_AGGREGATES in caps:
        said.append(
            "The partnership's figures for the whole area: performance, benchmarks against "
            "England, the region and similar areas, and the board pack. Figures resting on "
            "fewer than 5 children are shown as \u201cfewer than 5\u201d, and you never see a "
            "child's record."
        )
    if Capability.FINANCE in caps:
        keeps = (
            " You keep the cost table, the assumptions, the budget and its monitoring."
            if Capability.CONFIGURE_FINANCE in caps
            else " You read the cost table and the budget; finance officers keep them."
        )
        said.append(
            "The high-needs budget: placements and their costs, the budget and its "
            "monitoring, the forecast, scenarios and the Safety Valve." + keeps
        )
    if Capability.IMPROVEMENT in caps:
        said.append("The whole improvement plan: its priorities, actions and milestones.")
    if Capability.ADMINISTER in caps:
        said.append(
            "The messages the service has sent, and whether each was delivered, so you can "
            "send again one that failed. No child's record."
        )
    if Capability.MANAGE_STAFF in caps:
        said.append(
            "The staff of the organisations you administer: who they are, their roles, "
            "invitations and sign-in resets. No child's record."
        )
    if Capability.DATA_PROTECTION in caps:
        said.append(
            "Subject access exports and the retention of records: a child's record only "
            "through an export, each one audited."
        )
    if Capability.REVIEW_AUDIT in caps:
        said.append("Every exceptional (break-glass) access to a child's record, to review.")
    if said and not caps & {Capability.SEE_CHILDREN, Capability.DATA_PROTECTION}:
        said.append("Your role never shows an individual child's record.")
    return said


def _performance(user, on: date) -> Section | None:
    area = work_area(user, Capability.SEE_AGGREGATES)
    if area is None:
        return None
    period = periods.last_months(on, 12)
    data = performance.load(area, on=on)
    figures = []
    for measure_id in HOME_MEASURES:
        measure = measures.get(measure_id)
        figure = measure.cached_figure(data, period)
        seen = shown(
            figure,
            measure.unit,
            measure.aggregate,
            suppress=performance.suppressed_for(user, area, measure),
        )
        when = (
            "today"
            if measure.kind == "stock" or measure.today_only
            else f"{period.start:%-d %B %Y} to {period.end:%-d %B %Y}"
        )
        figures.append(Figure(measure.title, performance.figure_text(measure, seen), when))
    links = [
        Link(
            "Performance: every measure, its trend and definition", reverse("performance:dashboard")
        ),
        Link(
            "Compare with England, the region and similar areas", reverse("performance:benchmarks")
        ),
        Link("Make the SEND Board pack", reverse("board-pack:packs")),
    ]
    return Section(
        f"{area.name}: the last 12 months",
        f"Worked out from the records on {on:%-d %B %Y}, for {period.dates}.",
        figures,
        links,
    )


def _improvement(user, on: date) -> Section | None:
    area = work_area(user, Capability.IMPROVEMENT)
    if area is None:
        return None
    overdue = improvement.overdue(user, area, on)
    due_soon = improvement.due_soon(user, area, on)
    return Section(
        "The improvement plan",
        figures=[
            Figure("Actions overdue", f"{len(overdue):,}"),
            Figure("Actions due in the next 8 weeks", f"{len(due_soon):,}"),
        ],
        links=[
            Link("The improvement plan", reverse("improvement:plan")),
            Link("Overdue actions", reverse("improvement:overdue")),
        ],
    )


def _finance(user, on: date) -> Section | None:
    area = work_area(user, Capability.FINANCE, local_authority=True)
    if area is None:
        return None
    years = finance.budget_years(area)
    current = next((y for y in years if y.year == financial_year_of(on)), None)
    baseline = Scenario.objects.filter(area=area, is_baseline=True).first()
    run = finance.latest_run(baseline) if baseline else None
    money = finance_presentation.money_m
    figures = []
    if current is not None:
        figures.append(
            Figure(
                f"In-year deficit {current.label}, from monitoring",
                money(current.in_year_deficit),
                current.spend_basis,
            )
        )
        figures.append(
            Figure(
                f"Cumulative deficit at 31 March {current.year + 1}",
                money(current.closing_deficit),
                current.closing_basis,
            )
        )
    if run is not None:
        headline = finance_presentation.headline(run.result)
        figures.append(
            Figure(
                f"In-year deficit {headline['first_year']}, the forecast's central estimate",
                money(headline["in_year"]),
                f"Forecast made on {run.as_of:%-d %B %Y}",
            )
        )
        figures.append(
            Figure(
                f"EHC plans forecast for {headline['final_census']}",
                finance_presentation.whole(headline["final_plans"]),
            )
        )
    return Section(
        "High-needs finance",
        "A negative deficit is a surplus."
        if figures
        else "Nothing is recorded for this financial year yet.",
        figures,
        [
            Link("High-needs finance: the two deficits side by side", reverse("finance:overview")),
            Link("The forecast", reverse("finance:forecast")),
            Link("Scenarios", reverse("finance:scenarios")),
            Link("The budget and its monitoring", reverse("finance:budget")),
        ],
    )


def _administration(user) -> Section:
    _, counts = messages_for_administrators()
    failing = sum(counts.get(s, 0) for s in (Status.FAILED, Status.UNCERTAIN))
    return Section(
        "Messages the service sends",
        figures=[
            Figure("Failed, or not known whether sent", f"{failing:,}", "Need you to look"),
            Figure("Failed, will try again", f"{counts.get(Status.RETRYING, 0):,}"),
            Figure("Waiting to send", f"{counts.get(Status.QUEUED, 0):,}"),
        ],
        links=[Link("Messages sent", reverse("notifications:messages"))],
    )


def _staff(user) -> Section:
    return Section(
        "Staff",
        f"Of {', '.join(o.name for o in managed_organisations(user)[:3]) or 'no organisation'}"
        + ("\u2026" if managed_organisations(user).count() > 3 else "."),
        figures=[
            Figure("People with an active account", f"{people(user, status='active').count():,}"),
            Figure("Invitations not yet accepted", f"{waiting_invitations(user).count():,}"),
        ],
        links=[
            Link("Staff", reverse("staff:people")),
            Link("Invite someone", reverse("staff:invite")),
        ],
    )


def _data_protection(user, on: date) -> Section:
    report = retention.report(on)
    coming = sum(n for _, n in report.next_due)
    return Section(
        "Data protection",
        figures=[
            Figure("Records due to be made anonymous now", f"{report.due:,}"),
            Figure("Held back (a case or plan still open)", f"{report.held_back:,}"),
            Figure("Coming due in the next 12 months", f"{coming:,}"),
        ],
        links=[Link("Subject access and retention", reverse("dataprotection:home"))],
    )


def _break_glass(user) -> Section:
    waiting = reviewable_break_glass_grants(user).filter(reviewed_at__isnull=True).count()
    return Section(
        "Exceptional access",
        figures=[Figure("Exceptional accesses not yet reviewed", f"{waiting:,}")],
        links=[Link("Review exceptional access", reverse("break_glass:review"))],
    )


def home_headlines(user, on: date | None = None) -> list[Section]:
    """The sections the home page leads with, for the roles that work with figures; none for
    anyone else."""
    if not leads_with_figures(user):
        return []
    on = on or today_()
    caps = capabilities(user)
    sections: list[Section | None] = []
    if Capability.FINANCE in caps:
        sections.append(_finance(user, on))
    if Capability.SEE_AGGREGATES in caps:
        sections.append(_performance(user, on))
    if Capability.IMPROVEMENT in caps:
        sections.append(_improvement(user, on))
    if Capability.ADMINISTER in caps:
        sections.append(_administration(user))
    if Capability.MANAGE_STAFF in caps:
        sections.append(_staff(user))
    if Capability.DATA_PROTECTION in caps:
        sections.append(_data_protection(user, on))
    if Capability.REVIEW_AUDIT in caps:
        sections.append(_break_glass(user))
    return [s for s in sections if s is not None]
