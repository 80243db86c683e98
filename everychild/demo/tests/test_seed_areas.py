"""Several demonstration areas in one database (`seed_demo_area --areas K`), and a bigger
area with a bigger team (`--scale N`)."""

import io
from datetime import date

import pytest
from django.core.management import call_command

from everychild.accounts.models import Membership, Organisation, Role, User
from everychild.areas.models import Area
from everychild.casework.models import AssessmentRequest
from everychild.demo import calibration
from everychild.demo.area import area_identity, build_demo_area
from everychild.plans.models import EHCPlan

TODAY = date(2026, 11, 27)
SMALL = 0.03


@pytest.mark.django_db
def test_three_areas_load_side_by_side_each_with_its_own_sign_ins():
    out = io.StringIO()
    call_command(
        "seed_demo_area", seed=3, password="pw-123456", scale=SMALL, today=TODAY, areas=3,
        stdout=out,
    )  # fmt: skip
    text = out.getvalue()
    assert "caseworker@demo.test" in text
    assert "caseworker@area2.demo.test" in text and "caseworker@area3.demo.test" in text
    areas = Area.objects.order_by("la_code")
    assert areas.count() == 3
    assert len({a.old_la_code for a in areas}) == 3
    bcp = Area.objects.get(la_code=calibration.LA_CODE)
    assert bcp.name.startswith("Bournemouth")
    for area in areas:
        # Each area holds its own caseload, of about the same size.
        assert EHCPlan.objects.filter(area=area).count() > 50
        references = AssessmentRequest.objects.filter(area=area).values_list("reference", flat=1)
        assert all(r.startswith(f"{area.old_la_code}/") for r in references)
    second = User.objects.get(email="caseworker@area2.demo.test")
    assert second.check_password("pw-123456")
    org = Membership.objects.get(user=second, role=Role.CASEWORKER).organisation
    assert org.area == Area.objects.get(la_code=area_identity(2).la_code)
    assert "(demo area 2)" in org.name
    assert not Organisation.objects.filter(name__contains="area 2", area=bcp).exists()

    again = io.StringIO()
    call_command("seed_demo_area", scale=SMALL, today=TODAY, areas=3, stdout=again)
    assert again.getvalue().count("already loaded") == 3
    assert Area.objects.count() == 3


def test_a_bigger_area_has_a_bigger_team_and_scale_one_is_unchanged():
    small = build_demo_area(seed=5, scale=SMALL, today=TODAY)
    bigger = build_demo_area(seed=5, scale=2.0, today=TODAY)
    caseworkers = [m for m in bigger.memberships if m.role == Role.CASEWORKER]
    # A second team of ten caseworkers beside the first.
    assert len(caseworkers) == 10 + len([m for m in small.memberships if m.role == Role.CASEWORKER])
    assert len(bigger.cases) > 60 * len(small.cases) * 0.9
    # The demonstration caseworker's open cases stay about 60 however big the area.
    demo = bigger.sign_ins["caseworker@demo.test"]
    mine = [c for c in bigger.cases if c.caseworker is demo and c.stage(TODAY) in _open()]
    assert len(mine) <= 60


def _open():
    from everychild.casework.models import OPEN_STAGES

    return OPEN_STAGES
