from django.apps import AppConfig


class HomeConfig(AppConfig):
    """The home page, the navigation by role and the service's own public pages (health
    check, accessibility statement, privacy notice): the pages that know every app."""

    name = "everychild.home"
    label = "home"
    verbose_name = "Home pages and navigation"
