"""A support plan moves with a child leaving the area as a file: what one setting downloads,
another imports whole; a file with anything wrong is refused with every problem and where it
is, and nothing is saved."""

import copy
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from everychild.access.models import AuditEntry
from everychild.accounts.models import Role
from everychild.support import services, transfer
from everychild.support.models import SupportCycle, SupportPlan
from everychild.testing import factories

from .conftest import days_ago, with_thread

pytestmark = pytest.mark.django_db


@pytest.fixture
def exported(senco, support_plan):
    plan = with_thread(support_plan, senco)
    cycle = services.start_cycle(
        actor=senco,
        plan=plan,
        version=plan.version,
        started_on=days_ago(50),
        assessed="Screening",
        planned="Sessions",
    )
    plan.refresh_from_db()
    services.review_cycle(
        actor=senco,
        cycle=cycle,
        version=plan.version,
        reviewed_on=days_ago(5),
        done="Held",
        results={"e1": "met"},
        summary="Next step",
    )
    plan.refresh_from_db()
    services.start_cycle(
        actor=senco,
        plan=plan,
        version=plan.version,
        started_on=days_ago(4),
        assessed="Check",
        planned="Continue",
    )
    plan.refresh_from_db()
    return transfer.export_document(plan)


@pytest.fixture
def new_pupil(area):
    """A pupil who joined a school in another area; their SENCO imports the plan."""
    other = factories.OtherAreaFactory()
    school = factories.SchoolFactory(area=other)
    senco = factories.make_user(Role.SENCO, school)
    return factories.ChildFactory(area=other, current_setting=school), senco


def test_what_one_setting_downloads_another_imports_whole(exported, new_pupil):
    child, senco = new_pupil
    plan = transfer.import_document(actor=senco, child=child, document=exported)
    again = transfer.export_document(plan)
    for key in ("needs", "outcomes", "provision", "cycles", "primary_need", "child_views"):
        assert again[key] == exported[key]


BREAKAGES = [
    (lambda d: d.update(primary_need="XYZ"), "primary_need"),
    (lambda d: d["outcomes"][0].update(needs=["b9"]), "outcomes[0].needs"),
    (lambda d: d["provision"][0].update(what=""), "provision[0].what"),
    (lambda d: d["cycles"][0].update(reviewed_on=None), "cycles[0].reviewed_on"),
    (lambda d: d["cycles"][1].update(review_due="31/12/2026"), "cycles[1].review_due"),
    (lambda d: d["cycles"][0].update(review_results={"e1": {"result": "great"}}), "cycles[0]"),
    (lambda d: d.update(version=2), "version 1"),
]


@pytest.mark.parametrize("break_it, where", BREAKAGES)
def test_a_wrong_file_is_refused_saying_where_and_nothing_is_saved(
    exported, new_pupil, break_it, where
):
    child, senco = new_pupil
    document = copy.deepcopy(exported)
    break_it(document)
    with pytest.raises(ValidationError) as refused:
        transfer.import_document(actor=senco, child=child, document=document)
    assert any(where in problem for problem in refused.value.message_dict["file"])
    assert not SupportPlan.objects.filter(child=child).exists()


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    junk=st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=20),
        lambda inner: (
            st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
        ),
        max_leaves=20,
    )
)
def test_any_json_that_is_not_a_plan_is_refused_without_a_crash(junk):
    _, problems = transfer.read_document(junk)
    assert problems


def test_the_senco_imports_through_the_page(client, exported, new_pupil):
    child, senco = new_pupil
    client.force_login(senco)
    upload = SimpleUploadedFile(
        "plan.json", json.dumps(exported).encode(), content_type="application/json"
    )
    response = client.post(reverse("support:import"), {"child": str(child.pk), "file": upload})
    plan = SupportPlan.objects.get(child=child)
    assert response.status_code == 302
    assert SupportCycle.objects.filter(plan=plan).count() == 2

    # A second upload for the same child is refused: the plan is open already.
    other_child = factories.ChildFactory(area=child.area, current_setting=child.current_setting)
    bad = SimpleUploadedFile("plan.json", b"not json", content_type="application/json")
    page = client.post(reverse("support:import"), {"child": str(other_child.pk), "file": bad})
    assert "it must be a JSON file" in page.content.decode()
    assert not SupportPlan.objects.filter(child=other_child).exists()


def test_the_download_is_audited_as_an_export(client, senco, support_plan):
    client.force_login(senco)
    response = client.get(reverse("support:download", args=[support_plan.pk]))
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content)["format"] == transfer.FORMAT
    assert AuditEntry.objects.filter(action="export", record_type="support.SupportPlan").exists()
