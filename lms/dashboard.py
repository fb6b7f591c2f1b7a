"""The dashboard registry: apps add panels to /dashboard/ without the core app knowing them.

A panel is a template and a function that builds its context from the request. Each panel
function must run a fixed number of queries whatever the user's data size.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class DashboardPanel:
    key: str
    template_name: str
    get_context: Callable[[HttpRequest], dict[str, Any] | None]  # None hides the panel
    order: int = 100


_panels: dict[str, DashboardPanel] = {}


def register_panel(key: str, *, template_name: str, get_context, order: int = 100) -> None:
    _panels[key] = DashboardPanel(key=key, template_name=template_name, get_context=get_context, order=order)


def panels() -> list[DashboardPanel]:
    return sorted(_panels.values(), key=lambda p: (p.order, p.key))
