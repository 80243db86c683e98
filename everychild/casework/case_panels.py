"""Panels other apps add to the caseworker's case page, beside the request.

Casework sits below the apps that hold the evidence behind a request (SEN support plans, for
one), so it cannot read them itself: an app registers a panel from its AppConfig.ready() — the
template to include and a function of (user, case, request=) giving the panel's context, or
None when it has nothing to show. The function checks access and audits its own reads."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    name: str
    template: str
    context: Callable  # (user, case, *, request=None) -> dict | None


@dataclass(frozen=True)
class Shown:
    template: str
    context: dict


_PANELS: dict[str, Panel] = {}


def register(panel: Panel) -> None:
    _PANELS[panel.name] = panel


def panels_for(user, case, *, request=None) -> list[Shown]:
    """The registered panels with something to show this user on this case, in the order they
    were registered."""
    shown = []
    for panel in _PANELS.values():
        context = panel.context(user, case, request=request)
        if context is not None:
            shown.append(Shown(panel.template, context))
    return shown
