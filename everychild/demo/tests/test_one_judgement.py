"""One translation of a case, one judgement: on the demonstration area, the SEN2 return's
Week20 flag and the "excluding exceptions" measure leave out exactly the same cases, case by
case (casework.facts; docs/decisions/0131-measures-as-dfe-counts.md)."""

from datetime import date

import pytest
from django.db import transaction

from everychild.demo.seed import seed_demo_area
from everychild.performance import dataset, measures
from everychild.performance.periods import calendar_year
from everychild.returns.sen2 import spec
from everychild.returns.sen2.export import export_return

TODAY = date(2026, 11, 27)
SMALL = 0.03


@pytest.fixture(scope="module")
def judged(django_db_setup, django_db_blocker, tmp_path_factory):
    """{(child, request received): Week20 as exported} for every person-level return (2023 to
    2026: activity 2022 to 2025, with late plans of requests due during the 2020 easement), and
    the measures' cases, from one small demonstration area (rolled back at the end)."""
    folder = tmp_path_factory.mktemp("week20")
    flags: dict[tuple[int, str], set[str]] = {}

    def keep(child, person):
        for request in person.iter(spec.REQUESTS):
            week20 = request.find(f"{spec.ASSESSMENT}/{spec.WEEK20}")
            if week20 is not None:
                received = request.findtext(spec.RECEIVED_DATE)
                flags.setdefault((child.pk, received), set()).add(week20.text)

    with django_db_blocker.unblock(), transaction.atomic():
        seeded = seed_demo_area(seed=7, password="demo-password-1", scale=SMALL, today=TODAY)
        for year in (2023, 2024, 2025, 2026):
            export_return(
                area=seeded.area, year=year, out=str(folder / f"{year}.xml"), audit=False,
                on_person=keep,
            )  # fmt: skip
        data = dataset.load(seeded.area, TODAY)
        figures = {
            year: measures.get("plans_within_20_weeks_excluding_exceptions").figure(
                data, calendar_year(year)
            )
            for year in (2022, 2023, 2024, 2025)
        }
        transaction.set_rollback(True)
    return flags, data, figures


def test_week20_and_the_excluding_exceptions_measure_agree_case_by_case(judged, db):
    flags, data, _ = judged
    compared = 0
    for case in data.cases:
        exported = flags.get((case.child_id, case.received_on.isoformat()))
        if exported is None:
            continue
        # Every return that carries the case says the same.
        assert len(exported) == 1, case.reference
        assert exported == {"1" if case.exceptions_apply else "0"}, case.reference
        compared += 1
    assert compared >= 20
    flagged = [v for v in flags.values() if v == {"1"}]
    assert flagged, "the area has cases where an exception applied"


def test_the_measure_leaves_out_exactly_the_plans_flagged_week20(judged, db):
    flags, data, figures = judged
    cases = {c.id: c for c in data.cases}
    for year, figure in figures.items():
        issued = [
            c for c in data.cases
            if c.final_on is not None and c.final_on.year == year and not c.reassessment
        ]  # fmt: skip
        left_out = {c.id for c in issued} - set(figure.denominator_ids)
        assert left_out == {
            c.id for c in issued if flags.get((c.child_id, c.received_on.isoformat())) == {"1"}
        }, year
        assert all(not cases[i].exceptions_apply for i in figure.denominator_ids)
