"""DfE's "Special educational needs in England" table (sen_phase_type.csv): the importer, all
or nothing with a report naming row, column and value, and the SEN support measure pages
showing England's and the local authority's published share beside the area's own figure.
Issue 22, decision 0255."""

from __future__ import annotations

import shutil

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from everychild.accounts.models import Role
from everychild.performance import sen_in_england
from everychild.performance.models import SENInEnglandLoad, SENPupils
from everychild.performance.sen_in_england import ImportRefused, import_table
from everychild.performance.tests.sen_in_england_files import (
    HEADER,
    sen_row,
    sen_rows,
    write_sen_phase_type,
)
from everychild.testing import factories

pytestmark = pytest.mark.django_db
LA = ("E06000058", "839", "Bournemouth, Christchurch and Poole")


def _refused(path) -> ImportRefused:
    with pytest.raises(ImportRefused) as refused:
        import_table(path)
    return refused.value


def test_england_and_local_authority_rows_are_loaded(tmp_path, capsys):
    path = write_sen_phase_type(tmp_path / "sen_phase_type.csv", sen_rows(LA))
    call_command("import_dfe_sen_in_england", str(path))
    out = capsys.readouterr().out
    assert "12 rows of England and local authorities, latest year 2024/25" in out
    assert "6 regional rows checked, not kept" in out and "country_code" in out
    load = SENInEnglandLoad.objects.get()
    assert load.latest_period == 202425 and load.row_count == 12
    la_total = SENPupils.objects.get(la_code=LA[0], time_period=202425, phase_type_grouping="Total")
    assert (la_total.sen_support_percent, la_total.old_la_code, la_total.total_pupils) == (
        31.0,
        "839",
        1000,
    )
    assert not SENPupils.objects.filter(geographic_level="Regional").exists()


def test_a_figure_dfe_did_not_give_is_kept_as_its_symbol(tmp_path):
    rows = [sen_row(support="c", pupils="x"), sen_row(level="Local authority", la=LA)]
    import_table(write_sen_phase_type(tmp_path / "t.csv", rows))
    england = SENPupils.objects.get(geographic_level="National")
    assert england.sen_support_percent is None and england.total_pupils is None
    assert england.flags == {"sen_support_percent": "c", "total_pupils": "x"}


def test_a_wrong_cell_refuses_the_whole_file_exit_2_and_keeps_the_earlier_load(tmp_path, capsys):
    good = write_sen_phase_type(tmp_path / "good.csv", sen_rows(LA))
    call_command("import_dfe_sen_in_england", str(good))
    rows = sen_rows(LA)
    rows[4]["sen_support_percent"] = "12,5"
    bad = write_sen_phase_type(tmp_path / "bad.csv", rows)
    with pytest.raises(CommandError, match="Nothing was loaded: 1 problem") as error:
        call_command("import_dfe_sen_in_england", str(bad))
    assert error.value.returncode == 2
    err = capsys.readouterr().err
    assert "row 6, column sen_support_percent, value '12,5': should be a percentage" in err
    assert SENInEnglandLoad.objects.get().source == str(good.resolve())
    assert SENPupils.objects.count() == 12


def test_a_missing_column_is_named(tmp_path):
    header = tuple(c for c in HEADER if c != "sen_support_percent")
    path = write_sen_phase_type(tmp_path / "t.csv", sen_rows(LA), header=header)
    [problem] = _refused(path).problems
    assert (problem.row, problem.column) == (1, "sen_support_percent")


def test_a_repeated_row_is_refused(tmp_path):
    rows = [sen_row(), sen_row(support="13.0")]
    [problem] = _refused(write_sen_phase_type(tmp_path / "t.csv", rows)).problems
    assert problem.row == 3 and "as row 2" in problem.message


def test_hostile_files_are_refused_before_they_are_read_whole(tmp_path, monkeypatch):
    path = write_sen_phase_type(tmp_path / "t.csv", sen_rows(LA))
    monkeypatch.setattr(sen_in_england, "MAX_ROWS", 5)
    assert "more than 5 rows" in str(_refused(path).problems[0])
    monkeypatch.setattr(sen_in_england, "MAX_BYTES", 100)
    assert "MB" in str(_refused(path).problems[0])
    (tmp_path / "latin1.csv").write_bytes(b"time_period\n\xff\n")
    assert "not UTF-8" in str(_refused(tmp_path / "latin1.csv").problems[0])
    assert SENInEnglandLoad.objects.count() == 0


def test_make_run_loads_a_file_once(tmp_path, capsys):
    path = write_sen_phase_type(tmp_path / "t.csv", sen_rows(LA))
    call_command("import_dfe_sen_in_england", str(path), "--unless-loaded")
    loaded_at = SENInEnglandLoad.objects.get().loaded_at
    call_command("import_dfe_sen_in_england", str(path), "--unless-loaded")
    assert "already loaded" in capsys.readouterr().out
    assert SENInEnglandLoad.objects.get().loaded_at == loaded_at
    call_command("import_dfe_sen_in_england", str(path))
    assert SENInEnglandLoad.objects.count() == 1 and SENPupils.objects.count() == 12


percent = st.decimals(min_value=0, max_value=100, places=1).map(lambda d: f"{d:.1f}")
figure_or_symbol = st.one_of(percent, st.sampled_from(sorted(sen_in_england.NOT_GIVEN)))
valid_rows = st.lists(
    st.tuples(
        st.sampled_from(["202223", "202324", "202425"]),
        st.sampled_from(["Total", "State-funded primary", "Special school"]),
        st.booleans(),
        st.integers(min_value=0, max_value=10**7).map(str),
        figure_or_symbol,
        figure_or_symbol,
    ),
    min_size=1,
    max_size=12,
    unique_by=lambda t: (t[0], t[1], t[2]),
)
# A cell and a value it must not take.
corruptions = st.sampled_from(
    [
        ("time_period", "2024"),
        ("time_period", "202426"),
        ("time_identifier", "Calendar year"),
        ("geographic_level", "Ward"),
        ("phase_type_grouping", ""),
        ("hospital_school", "x" * 101),
        ("total_pupils", "-3"),
        ("total_pupils", "1.5"),
        ("sen_support_percent", "100.1"),
        ("sen_support_percent", "nan"),
        ("ehc_plan_percent", "1e3"),
        ("ehc_plan_percent", ""),
    ]
)


def _rows_of(drawn):
    rows = []
    for period, phase, local, pupils, support, ehc in drawn:
        level, la = ("Local authority", LA) if local else ("National", None)
        rows.append(
            sen_row(period, level, la=la, phase=phase, pupils=pupils, support=support, ehc=ehc)
        )
    return rows


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(drawn=valid_rows)
def test_valid_rows_round_trip(tmp_path_factory, drawn):
    folder = tmp_path_factory.mktemp("sen")
    rows = _rows_of(drawn)
    import_table(write_sen_phase_type(folder / "t.csv", rows))
    assert SENPupils.objects.count() == len(rows)
    for row in rows:
        stored = SENPupils.objects.get(
            time_period=int(row["time_period"]),
            la_code=row["new_la_code"],
            phase_type_grouping=row["phase_type_grouping"],
        )
        for column in ("sen_support_percent", "ehc_plan_percent"):
            text = row[column]
            if text in sen_in_england.NOT_GIVEN:
                assert getattr(stored, column) is None and stored.flags[column] == text
            else:
                assert getattr(stored, column) == float(text)
        assert stored.total_pupils == int(row["total_pupils"])
    shutil.rmtree(folder)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(drawn=valid_rows, corruption=corruptions, data=st.data())
def test_any_single_corrupted_cell_refuses_the_whole_file_naming_its_row(
    tmp_path_factory, drawn, corruption, data
):
    folder = tmp_path_factory.mktemp("sen")
    import_table(write_sen_phase_type(folder / "before.csv", [sen_row()]))
    rows = _rows_of(drawn)
    index = data.draw(st.integers(min_value=0, max_value=len(rows) - 1))
    column, value = corruption
    rows[index][column] = value
    refused = _refused(write_sen_phase_type(folder / "t.csv", rows))
    assert [(p.row, p.column) for p in refused.problems] == [(index + 2, column)]
    assert SENPupils.objects.count() == 1 and SENInEnglandLoad.objects.count() == 1
    shutil.rmtree(folder)


def _manager_page(client, area, measure_id):
    manager = factories.make_user(Role.TEAM_MANAGER, factories.LocalAuthorityFactory(area=area))
    client.force_login(manager)
    page = client.get(f"/performance/measures/{measure_id}/")
    assert page.status_code == 200
    return page.content.decode()


@pytest.mark.parametrize("measure_id", ["sen_support_by_phase", "sen_support_by_need"])
def test_the_measure_page_says_plainly_when_england_is_not_loaded(client, area, measure_id):
    text = _manager_page(client, area, measure_id)
    assert (
        "England&#x27;s figures are not loaded" in text
        or "England's figures are not loaded" in text
    )
    assert "Not yet loaded for comparison" not in text


def test_the_phase_measure_shows_england_and_the_la_beside_the_area(client, area, tmp_path):
    la = (area.la_code, area.old_la_code, "BCP as DfE names it")
    import_table(write_sen_phase_type(tmp_path / "t.csv", sen_rows(la)))
    text = _manager_page(client, area, "sen_support_by_phase")
    assert "not loaded" not in text
    assert "January census 2024/25" in text
    assert "Special educational needs in England, 2024/25" in text
    assert "explore-education-statistics.service.gov.uk" in text
    assert "BCP as DfE names it (published)" in text
    # 2024/25: England 11.0 (all pupils), 12.1 (primary); the LA 31.0, 32.1.
    for figure in ("11.0%", "12.1%", "31.0%", "32.1%", "State-funded secondary"):
        assert figure in text
    assert "20.0%" not in text  # the region's rows are not kept


def test_the_need_measure_shows_all_pupils_and_says_dfe_has_no_need(client, area, tmp_path):
    rows = sen_rows(("E09000001", "201", "Another place"))
    import_table(write_sen_phase_type(tmp_path / "t.csv", rows))
    text = _manager_page(client, area, "sen_support_by_need")
    assert "11.0%" in text and "State-funded primary" not in text
    assert "the share is of all pupils" in text
    assert "has no row for" in text and "not published" in text
