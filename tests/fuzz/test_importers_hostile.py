"""Hostile input to the importers: DfE statistics CSV files and uploaded documents. (SEN2 XML
has its own: everychild/returns/tests/test_hostile_files.py refuses DOCTYPEs, billion laughs,
external entities and oversized files before parsing, and test_import_properties.py feeds the
importer junk.) Whatever arrives, the result is a clear refusal naming the problem and nothing
written, or a record whose text is shown as text: never a crash, never markup that runs."""

import html
import io
import shutil

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from everychild.casework import services
from everychild.casework.models import CaseDocument
from everychild.casework.uploads import check_upload
from everychild.performance.dfe import ImportRefused, import_release
from everychild.performance.models import DfERelease, DfEStatistic
from everychild.performance.tests.dfe_files import write_release

pytestmark = pytest.mark.django_db

BCP = "E06000058"
SCRIPT = "<script>alert(1)</script>"
SQL = "'; DROP TABLE performance_dfestatistic; --"
HOSTILE_TEXT = st.one_of(
    st.sampled_from([SCRIPT, SQL, "1e3", "nan", "-", "1,000", "\x00", "٣", " 12 "]),
    st.text(min_size=1, max_size=50),
)


# --- DfE statistics ---------------------------------------------------------------------------


@pytest.fixture
def loaded(tmp_path_factory):
    """A release already loaded: a refused load must leave it exactly as it was."""
    import_release(write_release(tmp_path_factory.mktemp("good")))
    return DfEStatistic.objects.count()


def _refused_and_unchanged(directory, rows_before):
    with pytest.raises(ImportRefused) as refused:
        import_release(directory)
    assert DfERelease.objects.count() == 1
    assert DfEStatistic.objects.count() == rows_before
    return str(refused.value)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(cell=HOSTILE_TEXT.filter(lambda t: t.strip() not in {"x", "z"} and not t.isdecimal()))
def test_any_text_in_a_figure_is_refused_naming_its_column(tmp_path_factory, loaded, cell):
    directory = tmp_path_factory.mktemp("hostile")
    write_release(directory, values={("requests", "requests_rya", BCP, "2022"): cell})
    try:
        import_release(directory)
    except ImportRefused as refused:
        assert "column requests_rya" in str(refused)
        assert DfEStatistic.objects.count() == loaded
    else:
        # Only a number written otherwise (such as " 12 ") may be accepted, and as that number.
        assert cell.strip().replace(".", "", 1).isdecimal()
    shutil.rmtree(directory)


def test_a_cell_longer_than_the_csv_limit_is_refused_not_a_crash(tmp_path, loaded):
    write_release(tmp_path, values={("requests", "requests_rya", BCP, "2022"): "9" * 200_000})
    assert "requests.csv: cannot be read as CSV" in _refused_and_unchanged(tmp_path, loaded)


def test_a_file_that_is_not_utf8_text_is_refused_not_a_crash(tmp_path, loaded):
    write_release(tmp_path)
    (tmp_path / "requests.csv").write_bytes(b"\xff\xfe\x00\x80\x81 not a csv file")
    assert "requests.csv: is not UTF-8 text" in _refused_and_unchanged(tmp_path, loaded)


def test_a_script_in_a_column_name_is_refused_by_name(tmp_path, loaded):
    write_release(tmp_path, extra_columns={"requests": SCRIPT})
    assert f"unexpected column {SCRIPT!r}" in _refused_and_unchanged(tmp_path, loaded)


# --- Uploaded documents -----------------------------------------------------------------------

PDF = b"%PDF-1.7\n%...\n"
NAMES = st.one_of(
    st.sampled_from(
        [
            f"{SCRIPT}.pdf",
            "../../../etc/passwd.pdf",
            "..\\..\\windows\\win.ini.pdf",
            f"{SQL}.pdf",
            "x" * 5000 + ".pdf",
            ".pdf",
            "..",
            "\x00.pdf",
            "report.pdf\x00.exe",
        ]
    ),
    st.text(max_size=300),
)
CONTENTS = st.one_of(
    st.binary(max_size=2048),
    st.binary(max_size=512).map(lambda b: PDF + b),
    st.binary(max_size=512).map(lambda b: b"PK\x03\x04" + b),
    st.binary(max_size=512).map(lambda b: b"\x89PNG\r\n\x1a\n" + b),
)


@settings(max_examples=150, deadline=None)
@given(name=NAMES, content=CONTENTS)
def test_any_upload_is_accepted_as_what_it_is_or_refused_on_the_file_field(name, content):
    # The name as a browser may send it: Django's own cleaning of names is not relied upon.
    upload = io.BytesIO(content)
    upload.name, upload.size = name, len(content)
    try:
        checked = check_upload(upload)
    except ValidationError as error:
        assert set(error.error_dict) == {"file"}
        return
    # Accepted: its name is a plain file name, no path, no markup, a sensible length.
    assert "/" not in checked.original_name and "\\" not in checked.original_name
    assert "<" not in checked.original_name
    assert 0 < len(checked.original_name) <= 200
    assert checked.size == len(content)


@pytest.mark.parametrize(
    "name", [f"{SCRIPT}.pdf", "../../../etc/passwd.pdf", f"{SQL}.pdf", "x" * 5000 + ".pdf"]
)
def test_a_hostile_name_is_stored_inside_the_case_folder_and_shown_as_text(
    client, caseworker, area, settings, tmp_path, name
):
    from pathlib import Path

    from everychild.testing import factories

    settings.MEDIA_ROOT = tmp_path / "uploads"
    case = factories.AssessmentRequestFactory(area=area, caseworker=caseworker)
    document = services.upload_document(
        actor=caseworker, case=case, upload=SimpleUploadedFile(name, PDF), title=SCRIPT
    )
    assert Path(document.file.path).is_relative_to(tmp_path / "uploads" / "cases" / str(case.pk))
    client.force_login(caseworker)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert SCRIPT not in page
    assert html.escape(SCRIPT) in page  # the title, shown as the words typed
    assert CaseDocument.objects.filter(assessment_request=case).count() == 1
