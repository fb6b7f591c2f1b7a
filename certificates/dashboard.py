"""The certificates panel on /dashboard/: current level, the next level's checklist, my certificates."""

from . import selectors


def panel_context(request) -> dict:
    certificates = selectors.certificates_of(request.user)
    return {
        "progress": selectors.user_progress(request.user, certificates),
        "certificates": [(c, selectors.linkedin_url(c)) for c in certificates],
    }
