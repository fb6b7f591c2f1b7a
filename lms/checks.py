"""System checks (Django's checks framework, registered in LmsConfig.ready).

Private files (assignment uploads, the material library) live under PRIVATE_MEDIA_ROOT and are served only by views
that check access. MEDIA_ROOT and STATIC_ROOT are public: a web server or proxy may serve them straight from disk.
If one of these folders lies inside another (or is the same), a private file is one proxy rule away from the
public; and the other way round, collectstatic or a public upload would write into the private folder. An overlap
is an Error in production (DEBUG off: `manage.py check --deploy`, migrate and the server refuse to start) and a
Warning in development.

Wagtail's documents (a webinar's materials) are private too: the default storage (lms/storage.py) keeps them in
PRIVATE_MEDIA_ROOT/documents and Wagtail serves them only through its view, after the pages' and the collection's
restrictions (lms/wagtail_hooks.py). A second check (lms.E002, lms.W002 with DEBUG on) refuses a default storage
that would put them back in MEDIA_ROOT, a serve method other than Wagtail's view, and document files left in
MEDIA_ROOT/documents from before the move (docs/deploy.md).
"""

from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.core.files.storage import storages
from django.utils.module_loading import import_string

PRIVATE_OVERLAP_ID = "lms.E001"  # "lms.W001" when DEBUG is on
PUBLIC_DOCUMENTS_ID = "lms.E002"  # "lms.W002" when DEBUG is on


def _reported(problems: list[str], *, message: str, hint: str, error_id: str) -> list:
    """One Error (a Warning with DEBUG on, so development still starts) listing `problems`, or none."""
    if not problems:
        return []
    text = f"{message}: {'; '.join(problems)}."
    if settings.DEBUG:
        return [Warning(text, hint=hint, id=error_id.replace(".E", ".W"))]
    return [Error(text, hint=hint, id=error_id)]


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
    hint = (
        "Set PRIVATE_MEDIA_ROOT to a folder outside MEDIA_ROOT and STATIC_ROOT (and neither inside it), "
        "e.g. next to them; see docs/deploy.md."
    )
    message = "Private uploads would be reachable from a public folder"
    return _reported(problems, message=message, hint=hint, error_id=PRIVATE_OVERLAP_ID)


@register(Tags.security)
def check_document_storage(app_configs=None, **kwargs):
    """Wagtail's document files must live outside MEDIA_ROOT and be served only by Wagtail's view."""
    from .storage import DOCUMENTS_FOLDER, MediaStorage

    problems = []
    backend = storages.backends.get("default", {}).get("BACKEND", "")
    try:
        keeps_documents_private = issubclass(import_string(backend), MediaStorage)
    except ImportError:
        keeps_documents_private = False
    if not keeps_documents_private:
        problems.append(f'STORAGES["default"] is {backend!r}, which would store documents in public media')
    serve_method = getattr(settings, "WAGTAILDOCS_SERVE_METHOD", None)
    if serve_method != "serve_view":
        problems.append(f"WAGTAILDOCS_SERVE_METHOD is {serve_method!r}, which would link to the file itself")
    left = _resolved(settings.MEDIA_ROOT) / DOCUMENTS_FOLDER if getattr(settings, "MEDIA_ROOT", None) else None
    if left is not None and left.is_dir() and any(path.is_file() for path in left.rglob("*")):
        problems.append(f"{left} still holds document files stored before the move")
    hint = (
        'Keep STORAGES["default"] = lms.storage.MediaStorage (or a subclass) and WAGTAILDOCS_SERVE_METHOD = '
        '"serve_view", and move MEDIA_ROOT/documents to PRIVATE_MEDIA_ROOT/documents; see docs/deploy.md.'
    )
    message = "Wagtail's documents would be reachable without the pages' restrictions"
    return _reported(problems, message=message, hint=hint, error_id=PUBLIC_DOCUMENTS_ID)
