import re

import pytest

from everychild.accounts.models import Role
from everychild.notifications.models import Message
from everychild.notifications.services import deliver
from everychild.testing import factories, inbox

STAFF_LINK = re.compile(r"/staff/invitation/([^\s/]+)/")


def sent_link(invitation) -> str:
    """Send the invitation's (or reset's) message now (the test's transaction never commits)
    and return the link's token as the recipient received it."""
    message = Message.objects.get(key__endswith=f":{invitation.pk}", template__startswith="staff_")
    deliver(message.pk)
    return STAFF_LINK.search(inbox.last_sent_to(invitation.user.email).body).group(1)


@pytest.fixture
def council_admin(la):
    return factories.make_user(Role.STAFF_ADMINISTRATOR, la, full_name="Stella Admore")


@pytest.fixture
def ep_service(area):
    return factories.EPServiceFactory(area=area)


@pytest.fixture
def ep_admin(ep_service):
    return factories.make_user(Role.STAFF_ADMINISTRATOR, ep_service, full_name="Eden Pallister")


@pytest.fixture
def other_la(other_area):
    return factories.LocalAuthorityFactory(area=other_area)


@pytest.fixture
def other_admin(other_la):
    return factories.make_user(Role.STAFF_ADMINISTRATOR, other_la, full_name="Otto Elsewhere")
