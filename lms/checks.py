"""System checks (Django's checks framework, registered in LmsConfig.ready).

Private files (assignment uploads, the material library) live under PRIVATE_MEDIA_ROOT and are served only by views
that check access. MEDIA_ROOT and STATIC_ROOT are public: a web server or proxy may serve them straight from disk.
If one of these folders lies inside another (or is the same), a private file is one proxy rule away from the
public; and the other way round, collectstatic or a public upload would write into the private folder. An overlap
is an Error in production (DEBUG off: `manage.py check --deploy`, migrate and the server refuse to start) and a
Warning in development.
"""

from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

PRIVATE_OVERLAP_ID = "lms.E001"  # "lms.W001" when DEBUG is on


def _resolved(value) -> Path | None:
    return Path(value).expanduser().resolve() if value else None


def _inside(inner: Path, outer: Path) -> bool:
    return inner == outer or outer in inner.parents


def private_storage_roots() -> list[Path]:
    """PRIVATE_MEDIA_ROOT and the folders of the storages that hold private files (their OPTIONS may move them)."""
    roots = [settings.PRIVATE_MEDIA_ROOT]
    roots += [
        config.get("OPTIONS", {}).get("location")
        for name, config in getattr(settings, "STORAGES", {}).items()
        if name == "private"
    ]
    roots += [config.get("OPTIONS", {}).get("location") for config in settings.FILER_STORAGES["private"].values()]
    return [path for path in (_resolved(root) for root in roots) if path is not None]


@register(Tags.security)
def check_private_media_root(app_configs=None, **kwargs):
    """PRIVATE_MEDIA_ROOT (and every private storage's folder) must not overlap MEDIA_ROOT or STATIC_ROOT."""
    public = {
        name: _resolved(getattr(settings, name, None))
        for name in ("MEDIA_ROOT", "STATIC_ROOT")
        if getattr(settings, name, None)
    }
    problems = []
    for private in dict.fromkeys(private_storage_roots()):
        for name, path in public.items():
            if _inside(private, path) or _inside(path, private):
                problems.append(f"the private folder {private} and {name} ({path}) overlap")
    if not problems:
        return []
    message = "Private uploads would be reachable from a public folder: " + "; ".join(problems) + "."
    hint = (
        "Set PRIVATE_MEDIA_ROOT to a folder outside MEDIA_ROOT and STATIC_ROOT (and neither inside it), "
        "e.g. next to them; see docs/deploy.md."
    )
    if settings.DEBUG:
        return [Warning(message, hint=hint, id="lms.W001")]
    return [Error(message, hint=hint, id=PRIVATE_OVERLAP_ID)]
