"""The pluggable "Download my data" and "Delete my account" registries.

Each app registers, from its AppConfig.ready, a contributor: how to export what it holds on a user
(JSON-serialisable) and how to erase or anonymise it. The core app never imports the others.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

ExportFn = Callable[[Any], Any]
EraseFn = Callable[[Any], None]


@dataclass(frozen=True)
class PrivacyContributor:
    key: str
    export: ExportFn
    erase: EraseFn
    order: int = 100  # erase runs in ascending order; the account row itself goes last


_contributors: dict[str, PrivacyContributor] = {}


def register(key: str, *, export: ExportFn, erase: EraseFn, order: int = 100) -> None:
    """Register (or replace, so that autoreload stays idempotent) an app's contributor."""
    _contributors[key] = PrivacyContributor(key=key, export=export, erase=erase, order=order)


def contributors() -> list[PrivacyContributor]:
    return sorted(_contributors.values(), key=lambda c: (c.order, c.key))


def register_account_contributor() -> None:
    from . import services

    register("account", export=services.user_export_account, erase=services.user_erase_account, order=1000)
