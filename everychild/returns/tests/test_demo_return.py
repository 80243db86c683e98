"""The demonstration area's return: it validates with no errors; exported, imported into an
empty database and exported again it is the same return; importing it twice adds nothing; a bad
record in the middle leaves the database unchanged."""

from datetime import date

import pytest
from django.db import transaction
from lxml import etree

from everychild.access.models import AuditEntry
from everychild.accounts.models import Organisation
from everychild.areas.models import Area
from everychild.casework.models import AssessmentRequest
from everychild.children.models import Child
from everychild.demo import calibration
from everychild.demo.seed import seed_demo_area
from everychild.plans.models import EHCPlan
from everychild.returns.models import CarriedPlanItems, CarriedRequestItems
from everychild.returns.sen2.compare import compare_files
from everychild.returns.sen2.export import export_return
from everychild.returns.sen2.validate import validate
from everychild.returns.services import import_sen2

TODAY = date(2026, 11, 27)
SMALL = 0.03
MODELS = (
    Child,
    AssessmentRequest,
    EHCPlan,
    Organisation,
    CarriedRequestItems,
    CarriedPlanItems,
    AuditEntry,
)


@pytest.fixture(scope="module")
def demo_returns(django_db_setup, django_db_blocker, tmp_path_factory):
    """The small demonstration area's 2026 return (a past census) and 2027 return (the one
    being prepared), written once; the area itself is rolled back, leaving an empty
    database."""
    folder = tmp_path_factory.mktemp("demo-returns")
    files = {}
    with django_db_blocker.unblock(), transaction.atomic():
        seeded = seed_demo_area(seed=7, password="demo-password-1", scale=SMALL, today=TODAY)
        for year in (2026, 2027):
            files[year] = folder / f"demo-{year}.xml"
            export_return(area=seeded.area, year=year, out=str(files[year]), audit=False)
        transaction.set_rollback(True)
    return files


def _counts() -> dict:
    return {model.__name__: model.objects.count() for model in MODELS}


def _empty_area():
    return Area.objects.create(
        name="Bournemouth, Christchurch and Poole",
        la_code=calibration.LA_CODE,
        old_la_code=calibration.OLD_LA_CODE,
    )


@pytest.mark.parametrize("year", [2026, 2027])
def test_the_demonstration_return_validates_with_no_errors(demo_returns, year):
    failures = []
    outcome = validate(demo_returns[year], failures.append)
    assert outcome.persons > 100
    errors = [f.as_text() for f in failures if f.is_error]
    assert errors == []
    assert outcome.warnings == len(failures) - len(errors)


@pytest.mark.django_db
def test_export_import_export_gives_the_same_return(demo_returns, tmp_path):
    area = _empty_area()
    assert Child.objects.count() == 0
    result = import_sen2(path=demo_returns[2026])
    assert result.ok and result.written, result.write_problem or result.plan.file_problem
    again = tmp_path / "again.xml"
    export_return(area=area, year=2026, out=str(again))
    comparison = compare_files(demo_returns[2026], again)
    assert comparison.same, comparison.describe()
    assert comparison.persons_a == result.children_created


@pytest.mark.django_db
def test_importing_the_same_file_twice_adds_nothing(demo_returns):
    _empty_area()
    first = import_sen2(path=demo_returns[2026])
    assert first.written and first.children_created > 100
    after_first = _counts()
    second = import_sen2(path=demo_returns[2026])
    assert second.ok
    assert (second.children_created, second.requests_created, second.plans_created) == (0, 0, 0)
    assert _counts() == after_first
    assert all(r.status == "already in EveryChild" for r in second.plan.records)


@pytest.mark.django_db
def test_a_bad_record_in_the_middle_leaves_the_database_unchanged(demo_returns, tmp_path):
    _empty_area()
    tree = etree.parse(str(demo_returns[2026]))
    people = tree.getroot().find("Persons")
    middle = len(people) // 2
    people[middle].find("Sex").text = "X"
    people[middle].find("PersonBirthDate").text = "31/02/2015"
    bad = tmp_path / "bad.xml"
    tree.write(str(bad), xml_declaration=True, encoding="utf-8")
    before = _counts()

    result = import_sen2(path=bad)

    assert not result.written and not result.ok
    assert _counts() == before
    [refused] = [r for r in result.plan.records if r.failed]
    assert refused.person == middle + 1
    assert any("SEN2-005" in p and "/Sex" in p for p in refused.problems)
    assert any("SEN2-004" in p and "31/02/2015" in p for p in refused.problems)
