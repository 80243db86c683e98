"""Numbers typed into a page are read only when written in the digits 0-9: a superscript or
another script's digit gets the page's ordinary answer, never a server error."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from everychild.core.digits import ascii_digits


@given(st.text(max_size=8))
def test_whatever_ascii_digits_accepts_int_reads_as_the_same_digits(text):
    if ascii_digits(text):
        assert str(int(text)).zfill(len(text)) == text


@pytest.mark.parametrize("typed", ["²", "0¹", "٣", "১২"])
def test_digits_from_other_scripts_and_superscripts_are_not_numbers(typed):
    assert typed.isdigit()  # what str.isdigit() alone would have let through
    assert not ascii_digits(typed)


@pytest.mark.django_db
def test_the_team_page_given_a_superscript_for_a_caseworker_shows_the_whole_team(
    client, team_manager
):
    client.force_login(team_manager)
    response = client.get("/cases/team/reallocate/", {"from": "²"})
    assert response.status_code == 200
