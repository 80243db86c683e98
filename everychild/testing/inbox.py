"""What recipients received, for tests: the local backend's memory of sent messages.

The messages table keeps no usable invitation link (issue 17), so a test reads a link where a
person would, in what was sent to them."""

import re

from everychild.notifications.backends import LocalBackend
from everychild.notifications.models import Message
from everychild.notifications.services import deliver

INVITATION_LINK = re.compile(r"/family/invitation/([^\s/]+)/")


def last_sent_to(email: str):
    """The newest message sent to `email`, as the recipient got it."""
    for message in reversed(LocalBackend.outbox):
        if message.to == email:
            return message
    raise AssertionError(f"Nothing was sent to {email}")


def invitation_token(invitation) -> str:
    """Send the invitation's message now (the tests' transaction never commits, so it is still
    waiting) and return the token in the link the invitee received."""
    message = Message.objects.get(key=f"family-invitation:{invitation.pk}")
    deliver(message.pk)
    return INVITATION_LINK.search(last_sent_to(invitation.email).body).group(1)


PASSWORD_RESET_LINK = re.compile(r"/account/reset-password/[^\s/]+/[^\s/]+/")


def password_reset_link(email: str) -> str:
    """Send the newest reset message to `email` now if it is still waiting, and return the
    link's path as the recipient received it."""
    message = Message.objects.filter(template="password_reset", to=email).first()
    if message is None:
        raise AssertionError(f"No password reset message was made for {email}")
    deliver(message.pk)
    return PASSWORD_RESET_LINK.search(last_sent_to(email).body).group(0)
