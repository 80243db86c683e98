from django.apps import AppConfig


class TimelinesConfig(AppConfig):
    """The statutory clock's Django face: the command, the API endpoint and the public
    timeline calculator. The rules themselves are in everychild.statutory (no Django)."""

    name = "everychild.timelines"
    label = "timelines"
