"""The pluggable "Download my data" and "Delete my account" registries.

Each app registers, from its AppConfig.ready, a contributor: how to export what it holds on a user
(JSON-serialisable) and how to erase or anonymise it. The core app never imports the others.

Erasure runs wherever a user row disappears: "Delete my account", Wagtail's and Django's user admins,
`User.objects.filter(...).delete()`, a shell. The one place all of them pass is the row's `pre_delete`
signal, so `erase_before_delete` (connected in LmsConfig.ready) runs every app's erase hook there, inside the
deletion's transaction. Erase hooks must therefore be idempotent and must not create rows pointing at the user.
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


ACCOUNT = "account"


def register_account_contributor() -> None:
    from . import services

    register(ACCOUNT, export=services.user_export_account, erase=services.user_erase_account, order=1000)


def erase_personal_data(user) -> None:
    """Every app's erase hook, in order, but not the account's own (deleting the row is what calls this)."""
    for contributor in contributors():
        if contributor.key != ACCOUNT:
            contributor.erase(user)


def erase_before_delete(sender, instance, **kwargs) -> None:
    """pre_delete receiver for the user model: whatever deletes the row, the person's data goes with it."""
    erase_personal_data(instance)
