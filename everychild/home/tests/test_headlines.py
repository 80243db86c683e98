"""Issue 20: the board, finance, leader and administrator home pages lead with their headline
figures and links, and say what each role sees; the casework roles' home is not theirs."""

import re
from html import unescape

import pytest

from everychild.accounts.models import Role
from everychild.testing import factories

pytestmark = pytest.mark.django_db


def _headings(html: str) -> list[str]:
    return [
        unescape(re.sub(r"<[^>]+>", "", h)).strip()
        for h in re.findall(r"<h2[^>]*>(.*?)</h2>", html)
    ]


@pytest.fixture
def people(area):
    la = factories.LocalAuthorityFactory(area=area)
    forum = factories.ParentCarerForumFactory(area=area)
    return {
        Role.BOARD_MEMBER: factories.make_user(Role.BOARD_MEMBER, forum),
        Role.FINANCE_OFFICER: factories.make_user(Role.FINANCE_OFFICER, la),
        Role.SENIOR_LEADER: factories.make_user(Role.SENIOR_LEADER, la),
        Role.SYSTEM_ADMINISTRATOR: factories.make_user(Role.SYSTEM_ADMINISTRATOR, la),
        Role.STAFF_ADMINISTRATOR: factories.make_user(Role.STAFF_ADMINISTRATOR, la),
        Role.DATA_PROTECTION_OFFICER: factories.make_user(Role.DATA_PROTECTION_OFFICER, la),
        Role.CASEWORKER: factories.make_user(Role.CASEWORKER, la),
    }


# Each role's first heading, and a link and a sentence of what it sees that it must have.
LEADS = {
    Role.BOARD_MEMBER: ("the last 12 months", "/performance/", "fewer than 5"),
    Role.FINANCE_OFFICER: ("High-needs finance", "/finance/", "You keep the cost table"),
    Role.SENIOR_LEADER: ("High-needs finance", "/performance/", "finance officers keep them"),
    Role.SYSTEM_ADMINISTRATOR: (
        "Messages the service sends",
        "/messages/",
        "messages the service has sent",
    ),
    Role.STAFF_ADMINISTRATOR: ("Staff", "/staff/", "The staff of the organisations you administer"),
    Role.DATA_PROTECTION_OFFICER: (
        "Data protection",
        "/data-protection/",
        "Subject access exports",
    ),
}


@pytest.mark.parametrize("role", list(LEADS))
def test_the_home_page_leads_with_the_roles_figures_and_says_what_it_sees(client, people, role):
    client.force_login(people[role])
    html = client.get("/").content.decode()
    first, link, sees = LEADS[role]
    headings = _headings(html)
    assert first in headings[0], headings
    assert "What your role lets you see" in headings
    assert f'href="{link}' in html
    assert sees in unescape(html)
    # The old one-line catch-all ("figures for the whole area") is gone for them.
    assert "Your role shows figures for the whole area" not in html


def test_the_board_sees_the_dates_of_its_figures(client, people):
    client.force_login(people[Role.BOARD_MEMBER])
    html = unescape(client.get("/").content.decode())
    assert re.search(r"for \d+ \w+ \d{4} to \d+ \w+ \d{4}\.", html)
    assert "Plans issued within 20 weeks" in html or "20 weeks" in html


def test_the_caseworkers_home_is_left_alone(client, people):
    client.force_login(people[Role.CASEWORKER])
    html = client.get("/").content.decode()
    assert "What your role lets you see" not in html
