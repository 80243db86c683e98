"""`manage.py import_staff FILE.csv`: a council's staff brought in at the start, all or
nothing, idempotent, each new person invited."""

import io
import json

import pytest
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from everychild.access.models import AuditEntry
from everychild.accounts.models import Membership, Role, User
from everychild.notifications.models import Message
from everychild.staff.models import StaffInvitation
from everychild.staff.services import import_staff
from everychild.testing import factories

pytestmark = pytest.mark.django_db

GOOD = (
    "email,name,organisation,roles\n"
    "carys@la.test,Carys Wareham,Bournemouth Council,caseworker\n"
    "morgan@la.test,Morgan Hale,Bournemouth Council,SEND team manager; caseworker\n"
    "elliot@ep.test,Dr Elliot Pennington,{ep_urn_or_name},Educational psychologist\n"
)


@pytest.fixture
def organisations(area):
    la = factories.LocalAuthorityFactory(area=area, name="Bournemouth Council")
    ep = factories.EPServiceFactory(area=area, name="BCP Educational Psychology")
    return la, ep


def _run(tmp_path, text, *args):
    path = tmp_path / "staff.csv"
    path.write_text(text, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_staff", str(path), *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    return code, out.getvalue(), err.getvalue()


def _written() -> tuple:
    return (
        User.objects.count(),
        Membership.objects.count(),
        StaffInvitation.objects.count(),
        Message.objects.count(),
        AuditEntry.objects.count(),
    )


def test_a_file_of_staff_is_invited_once_and_a_second_run_changes_nothing(tmp_path, organisations):
    _la, ep = organisations
    text = GOOD.format(ep_urn_or_name=ep.name)
    code, out, _ = _run(tmp_path, text, "--json")
    assert code == 0
    assert json.loads(out)["invited"] == 3
    morgan = User.objects.get(email="morgan@la.test")
    assert set(morgan.memberships.values_list("role", flat=True)) == {
        Role.TEAM_MANAGER,
        Role.CASEWORKER,
    }
    assert Message.objects.filter(template="staff_invitation").count() == 3
    before = _written()
    code, out, _ = _run(tmp_path, text, "--json")
    assert code == 0
    assert json.loads(out) | {"rows": []} == {
        "invited": 0,
        "unchanged": 3,
        "rows": [],
        "errors": [],
    }
    assert _written() == before


def test_one_bad_row_writes_nothing_and_every_error_is_reported_by_row(tmp_path, organisations):
    text = (
        "Email,Name,Organisation,Roles\n"
        "carys@la.test,Carys Wareham,Bournemouth Council,caseworker\n"
        "not-an-address,Someone,Bournemouth Council,caseworker\n"
        "ed@la.test,Ed,Nowhere School,senco\n"
        "pat@la.test,Pat,BCP Educational Psychology,caseworker\n"
        "carys@la.test,Carys again,Bournemouth Council,caseworker\n"
    )
    before = _written()
    code, _out, err = _run(tmp_path, text)
    assert code == 2
    assert "Row 3, email" in err
    assert "Row 4, organisation" in err
    assert "Row 5, roles" in err
    assert "Row 6, email" in err
    assert "Nothing was imported" in err
    assert _written() == before


def test_a_file_without_a_needed_column_is_refused_naming_it(tmp_path, organisations):
    code, out, err = _run(tmp_path, "email,name,roles\na@la.test,A,caseworker\n")
    assert code == 2
    assert "organisation" in err
    assert not User.objects.exists()


_cell = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=30)
_row = st.fixed_dictionaries(
    {
        "email": st.one_of(_cell, st.emails()),
        "name": _cell,
        "organisation": st.one_of(_cell, st.sampled_from(["Bournemouth Council", "999999"])),
        "roles": st.one_of(_cell, st.sampled_from(["admin", "parent", "senco; admin", ""])),
    }
)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(_row, min_size=1, max_size=5), good_first=st.booleans())
def test_garbage_rows_never_write_anything(organisations, rows, good_first):
    """Whatever the rows say, a file with any refused row leaves the database as it was; a
    file that is accepted holds only people given roles their organisation may have."""
    if good_first:
        rows = [
            {
                "email": "carys@la.test",
                "name": "Carys",
                "organisation": "Bournemouth Council",
                "roles": "caseworker",
            },
            *rows,
        ]
    with transaction.atomic():
        before = _written()
        report = import_staff(rows)
        if report["errors"]:
            assert _written() == before
            assert report["invited"] == 0
        else:
            for membership in Membership.objects.select_related("organisation"):
                assert membership.role not in {Role.SYSTEM_ADMINISTRATOR, Role.PARENT}
        transaction.set_rollback(True)
