"""Dates, the one way: today in the service's time zone."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def today() -> dt.date:
    """Today in the service's time zone (Europe/London), not the server's."""
    return timezone.localdate()
