"""The data team uploads another system's SEN2 file in the browser, checks it (a dry run) and
imports it, as a background job on the sen2_import command's own path: the same size limit and
hardened XML, all or nothing, a row per person kept with who ran it (issue 21)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from everychild.access.models import AuditAction, AuditEntry
from everychild.accounts.models import Role
from everychild.children.models import Child
from everychild.core.models import JobRun
from everychild.returns.tests.sample import a_file, a_header, a_person, a_planned_person, upn
from everychild.returns.tests.test_hostile_files import BILLION_LAUGHS, EXTERNAL_ENTITY
from everychild.testing import factories

pytestmark = pytest.mark.django_db
URL = "/returns/sen2/import/"


@pytest.fixture(autouse=True)
def _uploads_kept_apart(tmp_path):
    with override_settings(MEDIA_ROOT=tmp_path / "uploads"):
        yield


def _xml(data: bytes, name="other-system.xml"):
    return SimpleUploadedFile(name, data, content_type="text/xml")


@pytest.fixture
def upload(client, django_capture_on_commit_callbacks):
    """Upload a file, let the job run as the transaction commits (the tests' immediate task
    backend), and open what it found."""

    def send(data: bytes, action="check", name="other-system.xml") -> str:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(URL, {"file": _xml(data, name), "dry_run": action})
        assert response.status_code == 302, response.content.decode()[:800]
        return client.get(response["Location"]).content.decode()

    return send


def test_a_check_writes_nothing_and_says_what_would_be_added(client, team_manager, upload):
    client.force_login(team_manager)
    text = upload(a_file(a_planned_person(), a_person(UPN=upn(2), Forename="Bo")))
    assert "The file can be imported" in text and "Import this file" in text
    assert "Started by Tess Manager" in text
    assert Child.objects.count() == 0
    run = JobRun.objects.get()
    assert [row["status"] for row in run.result["rows"]] == ["new", "new"]


def test_after_a_check_the_same_file_is_imported_without_uploading_it_again(
    client, team_manager, upload, django_capture_on_commit_callbacks
):
    client.force_login(team_manager)
    upload(a_file(a_planned_person()))
    checked = JobRun.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{URL}{checked.pk}/")
    text = client.get(response["Location"]).content.decode()
    assert "Imported" in text and "1 children" in text
    assert Child.objects.count() == 1
    # Audited as the person who asked, as the command audits its actor.
    assert AuditEntry.objects.filter(action=AuditAction.CREATE, actor=team_manager).exists()
    imported = JobRun.objects.get(params__dry_run=False)
    assert not imported.upload  # the file's copy is gone once imported
    # The check's "Import this file" cannot be pressed twice into a second import.
    assert client.post(f"{URL}{checked.pk}/").status_code == 404


def test_a_file_with_a_person_failing_a_check_imports_nothing(client, team_manager, upload):
    client.force_login(team_manager)
    text = upload(a_file(a_person(), a_person(UPN="not-a-upn")), action="import")
    assert "1 of 2 people failed the checks" in text and "Fails a check" in text
    assert Child.objects.count() == 0


@pytest.mark.parametrize("hostile", [BILLION_LAUGHS, EXTERNAL_ENTITY, b"not xml at all"])
def test_hostile_files_are_refused_as_the_command_refuses_them(client, team_manager, upload,
                                                               hostile):  # fmt: skip
    client.force_login(team_manager)
    text = upload(hostile, action="import")
    assert "Nothing was imported" in text
    assert Child.objects.count() == 0


def test_a_file_over_the_commands_size_limit_is_refused_at_once(client, team_manager, monkeypatch):
    monkeypatch.setattr("everychild.returns.forms.DEFAULT_MAX_BYTES", 100)
    client.force_login(team_manager)
    text = client.post(URL, {"file": _xml(a_file(a_person())), "dry_run": "check"}).content
    assert b"There is a problem" in text and b"The file must be smaller than" in text
    assert not JobRun.objects.exists()


def test_a_file_for_another_area_is_refused(client, team_manager, other_area, upload):
    client.force_login(team_manager)
    text = upload(a_file(a_person(), header=a_header(lea=other_area.old_la_code)), "import")
    assert "you can import only your own area" in text
    assert Child.objects.count() == 0


def test_choosing_nothing_is_an_error_with_a_summary(client, team_manager):
    client.force_login(team_manager)
    text = client.post(URL, {}).content.decode()
    assert "There is a problem" in text and "Choose the SEN2 file to upload." in text
    assert not JobRun.objects.exists()


def test_a_second_upload_while_one_runs_is_shown_the_first(client, team_manager):
    client.force_login(team_manager)
    first = client.post(URL, {"file": _xml(a_file(a_person())), "dry_run": "check"})
    second = client.post(URL, {"file": _xml(a_file(a_person())), "dry_run": "import"})
    assert first["Location"] == second["Location"] and JobRun.objects.count() == 1


@pytest.mark.parametrize(
    ("role", "allowed"),
    [(Role.TEAM_MANAGER, True), (Role.CASEWORKER, False), (Role.BOARD_MEMBER, False),
     (Role.SYSTEM_ADMINISTRATOR, False), (Role.PARENT, False)],
)  # fmt: skip
def test_only_the_las_managers_may_import(client, area, role, allowed):
    client.force_login(factories.make_user(role, area=area))
    assert client.get(URL).status_code == (200 if allowed else 403)


def test_another_areas_import_cannot_be_opened(client, team_manager, other_area, upload):
    client.force_login(team_manager)
    upload(a_file(a_person()))
    run = JobRun.objects.get()
    client.force_login(factories.make_user(Role.TEAM_MANAGER, area=other_area))
    assert client.get(f"{URL}{run.pk}/").status_code == 404
    assert client.post(f"{URL}{run.pk}/").status_code == 404


def test_the_checks_page_offers_the_import_to_managers_only(client, team_manager, caseworker):
    client.force_login(team_manager)
    assert f'href="{URL}"' in client.get("/returns/sen2/").content.decode()
    client.force_login(caseworker)
    assert f'href="{URL}"' not in client.get("/returns/sen2/").content.decode()
