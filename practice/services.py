"""Every operation that changes field practice, and the permission checks (PermissionDenied)."""

from django.core.exceptions import PermissionDenied

from lms import roles


def aggregates_check(*, user) -> None:
    """The network's counts and the partner export are for certifiers and admins (superusers) only: trainers see
    their cohorts' records in review, nobody sees another course's."""
    if not (user.is_authenticated and user.is_active and roles.is_certifier(user)):
        raise PermissionDenied
