"""Loading DfE's published statistics: a whole release set-wise, `x` and `z` kept as null with
their flag, a second load of the same release replacing the first, and anything unexpected
refused with the file, line and column named and the data already loaded left as it was."""

import shutil

import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from everychild.performance.dfe import DATASETS, ImportRefused, import_release
from everychild.performance.models import DfEDataset, DfERelease, DfEStatistic
from everychild.performance.tests.dfe_files import write_release

pytestmark = pytest.mark.django_db

BCP = "E06000058"


def value_of(dataset: str, column: str, la_code: str = BCP, period: int = 2022):
    row = DfEStatistic.objects.get(
        dataset__name=dataset, la_code=la_code, time_period=period, is_total=True
    )
    columns = DfEDataset.objects.get(pk=row.dataset_id).columns
    index = columns.index(column)
    return row.values[index], row.flags.get(column)


def test_a_release_loads_every_file(tmp_path):
    write_release(tmp_path)
    report = import_release(tmp_path)

    assert report.reporting_year == 2025
    assert set(report.rows) == set(DATASETS)
    release = DfERelease.objects.get()
    assert release.row_count == DfEStatistic.objects.count() == report.total_rows
    # 6 calendar years x 4 geographies x 2 breakdowns.
    assert report.rows["timeliness_20_week"] == 6 * 4 * 2
    assert report.rows["caseload"] == 7 * 4 * 2  # academic years 2018/19 to 2024/25
    assert DfEStatistic.objects.filter(is_total=True).count() == report.total_rows / 2


def test_x_and_z_are_stored_as_null_with_their_flag(tmp_path):
    write_release(
        tmp_path,
        values={
            ("requests", "request_not_assess_pc", BCP, "2022"): "x",
            ("requests", "requests_rya", BCP, "2022"): "z",
            ("requests", "request_assess_pc", BCP, "2022"): "77.5",
            ("requests", "requests_received_in_year", BCP, "2022"): "837",
        },
    )
    import_release(tmp_path)

    assert value_of("requests", "request_not_assess_pc") == (None, "x")
    assert value_of("requests", "requests_rya") == (None, "z")
    assert value_of("requests", "request_assess_pc") == (77.5, None)
    value, _ = value_of("requests", "requests_received_in_year")
    assert value == 837 and isinstance(value, int)


def test_loading_the_same_release_again_replaces_it(tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    cell = ("timeliness_20_week", "PC_plans_issued_20_weeks_ex", BCP, "2022")
    write_release(first, values={cell: "7.3"})
    write_release(second, values={cell: "8.1"})
    import_release(first)
    rows = DfEStatistic.objects.count()

    report = import_release(second)

    assert report.replaced
    assert DfERelease.objects.count() == 1
    assert DfEStatistic.objects.count() == rows
    assert value_of("timeliness_20_week", "PC_plans_issued_20_weeks_ex") == (8.1, None)


def test_another_release_is_kept_beside_it(tmp_path):
    import_release(write_release(tmp_path / "2025"))
    import_release(write_release(tmp_path / "2024", reporting_year=2024))
    assert list(DfERelease.objects.values_list("reporting_year", flat=True)) == [2025, 2024]


def _refused(directory, **kwargs) -> ImportRefused:
    with pytest.raises(ImportRefused) as caught:
        import_release(directory, **kwargs)
    return caught.value


@pytest.fixture
def loaded(tmp_path):
    """A release already loaded, whose figures must survive a refused load."""
    cell = ("timeliness_20_week", "PC_plans_issued_20_weeks_ex", BCP, "2022")
    import_release(write_release(tmp_path / "good", values={cell: "7.3"}))
    return DfEStatistic.objects.count()


def _unchanged(rows_before):
    assert DfERelease.objects.count() == 1
    assert DfEStatistic.objects.count() == rows_before
    assert value_of("timeliness_20_week", "PC_plans_issued_20_weeks_ex") == (7.3, None)


def test_an_unexpected_column_is_refused_by_name(tmp_path, loaded):
    bad = write_release(
        tmp_path / "bad",
        extra_columns={"caseload": "mystery_column"},
        values={("timeliness_20_week", "PC_plans_issued_20_weeks_ex", BCP, "2022"): "99.9"},
    )
    refused = _refused(bad)

    [problem] = refused.problems
    assert problem.file == "caseload.csv"
    assert problem.column == "mystery_column"
    assert "unexpected column 'mystery_column'" in str(problem)
    _unchanged(loaded)


def test_a_missing_column_is_refused_by_name(tmp_path, loaded):
    bad = write_release(tmp_path / "bad")
    path = bad / "requests.csv"
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    header = lines[0].split(",")
    index = header.index("requests_withdrawn")
    rows = [",".join(c for i, c in enumerate(line.split(",")) if i != index) for line in lines]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8-sig")

    refused = _refused(bad)
    assert [(p.file, p.column) for p in refused.problems] == [
        ("requests.csv", "requests_withdrawn")
    ]
    _unchanged(loaded)


def test_a_value_that_is_not_a_number_is_refused_with_its_line(tmp_path, loaded):
    bad = write_release(
        tmp_path / "bad", values={("newplans", "new_ehc_plans", BCP, "2021"): "12a"}
    )
    problems = _refused(bad).problems  # the total row and the breakdown row
    assert {(p.file, p.column) for p in problems} == {("newplans.csv", "new_ehc_plans")}
    problem = problems[0]
    assert problem.line is not None and problem.line > 1
    assert "'12a' is not a number" in problem.message
    _unchanged(loaded)


def test_a_file_from_another_release_is_refused(tmp_path, loaded):
    bad = write_release(tmp_path / "bad", shift={"caseload": 1})
    [problem] = _refused(bad).problems
    assert problem.file == "caseload.csv"
    assert "reporting year 2026, not 2025" in problem.message
    _unchanged(loaded)


def test_the_wrong_release_is_refused_when_one_is_asked_for(tmp_path, loaded):
    refused = _refused(write_release(tmp_path / "bad"), reporting_year=2024)
    assert {p.file for p in refused.problems} == {f"{name}.csv" for name in DATASETS}
    _unchanged(loaded)


def test_missing_and_unexpected_files_are_refused(tmp_path, loaded):
    bad = write_release(tmp_path / "bad", skip=("ceased_plans",))
    (bad / "notes.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    problems = {(p.file, p.message) for p in _refused(bad).problems}
    assert ("ceased_plans.csv", "the file is missing from the folder") in problems
    assert any(f == "notes.csv" and "unexpected file" in m for f, m in problems)
    _unchanged(loaded)


def test_the_command_reports_a_load(tmp_path, capsys):
    call_command("import_dfe_statistics", str(write_release(tmp_path)))
    out = capsys.readouterr().out
    assert "Loaded DfE EHC plan statistics, reporting year 2025" in out
    assert "timeliness_20_week.csv" in out


def test_the_command_names_the_column_it_refuses(tmp_path, capsys):
    bad = write_release(tmp_path, extra_columns={"requests": "surprise"})
    with pytest.raises(CommandError, match="Nothing was loaded"):
        call_command("import_dfe_statistics", str(bad))
    assert "requests.csv, line 1, column surprise" in capsys.readouterr().err
    assert DfEStatistic.objects.count() == 0


figures = st.one_of(
    st.integers(min_value=0, max_value=10**7).map(str),
    st.decimals(min_value=0, max_value=100, places=1, allow_nan=False).map(lambda d: f"{d:.1f}"),
    st.sampled_from(["x", "z"]),
)


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(cells=st.lists(figures, min_size=3, max_size=3))
def test_any_figure_round_trips(tmp_path_factory, cells):
    """Whatever DfE writes in a cell - a count, a percentage, x or z - is read back as the
    number it is, or as null with its flag."""
    columns = ["plans_issued_den", "pc_plans_issued_within_20_weeks", "plans_issued_gt_1_year"]
    directory = tmp_path_factory.mktemp("release")
    values = {
        ("timeliness_20_week", c, BCP, "2023"): v for c, v in zip(columns, cells, strict=True)
    }
    import_release(write_release(directory, values=values))
    for column, text in zip(columns, cells, strict=True):
        value, flag = value_of("timeliness_20_week", column, period=2023)
        if text in ("x", "z"):
            assert (value, flag) == (None, text)
        else:
            assert flag is None and value == (float(text) if "." in text else int(text))
    shutil.rmtree(directory)


def test_make_run_loads_a_folder_once(tmp_path, capsys):
    folder = write_release(tmp_path)
    call_command("import_dfe_statistics", str(folder), "--unless-loaded")
    loaded_at = DfERelease.objects.get().loaded_at
    call_command("import_dfe_statistics", str(folder), "--unless-loaded")
    assert "already loaded" in capsys.readouterr().out
    assert DfERelease.objects.get().loaded_at == loaded_at


def test_the_repeated_annual_reviews_column_must_agree(tmp_path):
    """annual_reviews.csv gives review_meeting_prior_24 twice; one copy is kept, so the two
    must say the same."""
    folder = write_release(tmp_path)
    path = folder / "annual_reviews.csv"
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    header = lines[0].split(",")
    second = [i for i, c in enumerate(header) if c == "review_meeting_prior_24"][1]
    row = lines[1].split(",")
    row[second] = str(int(row[second]) + 1)
    lines[1] = ",".join(row)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    [problem] = _refused(folder).problems
    assert (problem.file, problem.line, problem.column) == (
        "annual_reviews.csv",
        2,
        "review_meeting_prior_24",
    )
    assert "disagree" in problem.message
