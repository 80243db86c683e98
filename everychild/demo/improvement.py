"""The demonstration area's improvement plan, after the statutory direction BCP received on
26 February 2024 (DOMAIN.md section 7): priorities on the timeliness of plans, decisions, the
long-waiting cases, EP advice and annual reviews, each action owned by a partner, with success
criteria tied to the measures and targets by date, milestones, evidence and a history of
updates. Dates are set relative to the day it is loaded, so some actions are overdue, some
due soon and some completed. Written by `manage.py seed_demo_improvement_plan`, once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from everychild.accounts.models import Membership
from everychild.areas.models import Area
from everychild.improvement import services
from everychild.improvement.models import (
    ActionStatus,
    ActionUpdate,
    Evidence,
    ImprovementAction,
    Milestone,
    Priority,
    Rag,
    SuccessCriterion,
)

DIRECTION = "Statutory direction, 26 February 2024"
OWNERS = ("manager@demo.test", "epmanager@demo.test", "health@demo.test", "socialcare@demo.test")


@dataclass
class Seeded:
    created: bool
    priorities: int = 0
    actions: int = 0


def _day(today: date, days: int) -> date:
    return today + timedelta(days=days)


def seed_improvement_plan(area: Area, *, today: date | None = None) -> Seeded:
    """Write the plan for `area` unless it has one already."""
    if Priority.objects.filter(area=area).exists():
        return Seeded(created=False)
    today = today or timezone.localdate()
    # Each action is owned by a demonstration sign-in and the organisation they work for.
    where = {
        m.user.email: (m.user, m.organisation)
        for m in Membership.objects.filter(
            user__email__in=OWNERS, organisation__area=area, is_active=True
        ).select_related("user", "organisation")
    }
    (manager, la), (epm, ep) = where["manager@demo.test"], where["epmanager@demo.test"]
    (hana, health), (sol, social) = where["health@demo.test"], where["socialcare@demo.test"]

    plan = [
        (
            "Timeliness of EHC needs assessments and plans",
            "Plans issued within 20 weeks were among the lowest in England (7.3% in 2022). "
            "Every family should have a final plan within the 20 weeks the law allows.",
            [
                {
                    "title": "Clear the backlog of assessments open more than 30 weeks",
                    "org": la,
                    "owner": manager,
                    "start": date(2024, 3, 1),
                    "due": date(2025, 3, 31),
                    "status": ActionStatus.COMPLETED,
                    "rag": Rag.GREEN,
                    "criteria": [
                        (
                            "Cases open over 30 weeks below 100",
                            "open_past_30_weeks",
                            100,
                            date(2025, 3, 31),
                        ),
                        (
                            "Cases open over 30 weeks below 25",
                            "open_past_30_weeks",
                            25,
                            date(2025, 12, 31),
                        ),
                        ("No case open over 30 weeks", "open_past_30_weeks", 0, date(2027, 3, 31)),
                    ],
                    "milestones": [
                        ("Extra EHC coordinators in post", date(2024, 6, 30), True),
                        ("Backlog panel sitting weekly", date(2024, 9, 30), True),
                    ],
                    "evidence": [
                        (
                            "Backlog recovery plan, approved by the board",
                            "https://intranet.demo.test/send/backlog-recovery-plan",
                        )
                    ],
                    "updates": [
                        "Six agency EHC coordinators started; weekly backlog panel set up.",
                        "The coordinators are now permanent posts and the backlog panel part "
                        "of the service; action completed.",
                    ],
                    # Asked for, and kept, only if a criterion was measured and not met on the
                    # day it was completed (as services.update_action asks it).
                    "explanation": "The action's work is done: the extra EHC coordinators are "
                    "permanent posts and the weekly backlog panel is part of the service. The "
                    "backlog had not reached every target when the board agreed to close it; "
                    "action 1.2 (new plans within 20 weeks) carries it from here, and the board "
                    "reads the figure each month.",
                },
                {
                    "title": "Issue new plans within 20 weeks",
                    "org": la,
                    "owner": manager,
                    "start": date(2024, 3, 1),
                    "due": _day(today, 120),
                    "status": ActionStatus.IN_PROGRESS,
                    "rag": Rag.AMBER,
                    "criteria": [
                        (
                            "Half of new plans within 20 weeks",
                            "plans_within_20_weeks_excluding_exceptions",
                            50,
                            date(2025, 3, 31),
                        ),
                        (
                            "Three quarters within 20 weeks",
                            "plans_within_20_weeks_excluding_exceptions",
                            75,
                            date(2026, 3, 31),
                        ),
                        (
                            "Nine in ten within 20 weeks",
                            "plans_within_20_weeks_excluding_exceptions",
                            90,
                            date(2027, 3, 31),
                        ),
                    ],
                    "milestones": [
                        ("Weekly tracking of every case past 14 weeks", date(2024, 5, 31), True),
                        ("Quality-assured draft plan template in use", _day(today, 30), False),
                    ],
                    "evidence": [
                        (
                            "Monthly timeliness report to the SEND Board",
                            "https://intranet.demo.test/send/timeliness-report",
                        )
                    ],
                    "updates": [
                        "Timeliness above 75% for three months running.",
                        "Summer dip: two coordinators left. Recruitment under way.",
                    ],
                },
                {
                    "title": "Decide whether to assess within 6 weeks",
                    "org": la,
                    "owner": manager,
                    "start": date(2024, 4, 1),
                    "due": _day(today, -45),
                    "status": ActionStatus.IN_PROGRESS,
                    "rag": Rag.RED,
                    "criteria": [
                        (
                            "95% of decisions within 6 weeks",
                            "decisions_within_6_weeks",
                            95,
                            date(2025, 9, 30),
                        )
                    ],
                    "milestones": [("Panel meets twice a week", _day(today, -60), False)],
                    "evidence": [],
                    "updates": ["Panel capacity reduced in the autumn; decisions slipping."],
                },
            ],
        ),
        (
            "Educational psychology advice",
            "Psychological advice took months, holding every assessment up.",
            [
                {
                    "title": "Clear the EP advice backlog",
                    "org": ep,
                    "owner": epm,
                    "start": date(2024, 3, 1),
                    "due": _day(today, 60),
                    "status": ActionStatus.IN_PROGRESS,
                    "rag": Rag.GREEN,
                    "criteria": [
                        ("EP advice backlog below 50", "ep_advice_backlog", 50, date(2024, 12, 31)),
                        ("EP advice backlog below 10", "ep_advice_backlog", 10, date(2025, 9, 30)),
                        ("No EP advice past 6 weeks", "ep_advice_backlog", 0, date(2026, 12, 31)),
                    ],
                    "milestones": [
                        ("Two locum psychologists commissioned", date(2024, 5, 1), True),
                        ("Trainee psychologists qualified and in post", _day(today, 45), False),
                    ],
                    "evidence": [
                        ("EP service recovery plan", "https://intranet.demo.test/ep/recovery-plan")
                    ],
                    "updates": [
                        "Locums in place; backlog falling each month.",
                        "Backlog in single figures.",
                    ],
                },
            ],
        ),
        (
            "Annual reviews",
            "Too many plans had not been reviewed for more than a year.",
            [
                {
                    "title": "Review every plan at least every 12 months",
                    "org": la,
                    "owner": manager,
                    "start": date(2024, 9, 1),
                    "due": _day(today, -10),
                    "status": ActionStatus.IN_PROGRESS,
                    "rag": Rag.RED,
                    "criteria": [
                        (
                            "Annual review backlog below 600",
                            "annual_review_backlog",
                            600,
                            date(2025, 12, 31),
                        ),
                        (
                            "Annual review backlog below 200",
                            "annual_review_backlog",
                            200,
                            date(2026, 12, 31),
                        ),
                    ],
                    "milestones": [("Annual review team recruited", date(2025, 1, 31), True)],
                    "evidence": [],
                    "updates": ["Review team in post; schools booking meetings."],
                },
            ],
        ),
        (
            "Health and social care advice",
            "Advice from health and social care must arrive within 6 weeks (reg 8(1)).",
            [
                {
                    "title": "Health advice within 6 weeks, tracked by the Designated Clinical "
                    "Officer",
                    "org": health,
                    "owner": hana,
                    "start": date(2024, 6, 1),
                    "due": _day(today, 21),
                    "status": ActionStatus.IN_PROGRESS,
                    "rag": Rag.AMBER,
                    "criteria": [],
                    "milestones": [("Paediatric advice clinic each week", _day(today, 14), False)],
                    "evidence": [],
                    "updates": ["Community paediatrics rota agreed."],
                },
                {
                    "title": "Social care advice within 6 weeks",
                    "org": social,
                    "owner": sol,
                    "start": date(2024, 6, 1),
                    "due": _day(today, -20),
                    "status": ActionStatus.NOT_STARTED,
                    "rag": Rag.RED,
                    "criteria": [],
                    "milestones": [],
                    "evidence": [],
                    "updates": [],
                },
            ],
        ),
    ]
    seeded = Seeded(created=True)
    with transaction.atomic():
        for number, (title, description, actions) in enumerate(plan, start=1):
            priority = Priority.objects.create(
                area=area, number=number, title=title, description=description, source=DIRECTION
            )
            seeded.priorities += 1
            for action_number, spec in enumerate(actions, start=1):
                _write_action(priority, action_number, spec, today)
                seeded.actions += 1
    return seeded


def _write_action(priority: Priority, number: int, spec: dict, today: date) -> None:
    action = ImprovementAction(
        priority=priority,
        number=number,
        title=spec["title"],
        owner_organisation=spec["org"],
        owner=spec["owner"],
        starts_on=spec["start"],
        due_on=spec["due"],
        # A completed action is written in progress and completed by _write_completion.
        status=ActionStatus.IN_PROGRESS
        if spec["status"] == ActionStatus.COMPLETED
        else spec["status"],
        rag=spec["rag"],
    )
    action.full_clean()
    action.save()
    for description, measure_id, target, by in spec["criteria"]:
        SuccessCriterion.objects.create(
            action=action,
            description=description,
            measure_id=measure_id,
            target=Decimal(target),
            target_by=by,
        )
    for title, due, done in spec["milestones"]:
        Milestone.objects.create(
            action=action, title=title, due_on=due, completed_on=due if done else None
        )
    start = datetime.combine(spec["start"], time(10), tzinfo=timezone.get_current_timezone())
    created = ActionUpdate.objects.create(
        action=action, author=spec["owner"], note="Action added to the plan."
    )
    ActionUpdate.objects.filter(pk=created.pk).update(at=start)
    span = max(1, (min(today, spec["due"]) - spec["start"]).days)
    # A completed action's last update is the one that completed it (_write_completion).
    completed = spec["status"] == ActionStatus.COMPLETED
    notes = spec["updates"][:-1] if completed else spec["updates"]
    for i, note in enumerate(notes, start=1):
        update = ActionUpdate.objects.create(action=action, author=spec["owner"], note=note)
        at = start + timedelta(days=span * i // (len(spec["updates"]) + 1))
        ActionUpdate.objects.filter(pk=update.pk).update(at=at)
    if completed:
        _write_completion(action, spec, start)
    for title, url in spec["evidence"]:
        item = Evidence.objects.create(action=action, title=title, url=url, added_by=spec["owner"])
        Evidence.objects.filter(pk=item.pk).update(added_at=start + timedelta(days=30))


def _write_completion(action: ImprovementAction, spec: dict, start: datetime) -> None:
    """Complete the action through the service, on the day it was completed: the service judges
    its criteria on the demonstration's own figures as at that day and keeps the explanation
    exactly when a criterion was measured and not met (and refuses it if none was given)."""
    done = services.update_action(
        actor=spec["owner"],
        action=action,
        version=action.version,
        note=spec["updates"][-1],
        status=ActionStatus.COMPLETED,
        today=spec["due"],
        explanation=spec.get("explanation", ""),
    )
    at = datetime.combine(done.completed_on, time(16), tzinfo=start.tzinfo)
    completing = done.updates.order_by("-pk").first()
    ActionUpdate.objects.filter(pk=completing.pk).update(at=at)
