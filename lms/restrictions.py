"""Wagtail's view restrictions, asked off the page: one rule for every route that serves something of a page.

An editor restricts a page with Wagtail's privacy setting (a `PageViewRestriction`: signed-in people only, some
groups only, or a shared password). Wagtail checks it when it serves the page, for the page and its ancestors.
Everything else that serves something of a page (a webinar's room, its websocket and calendar file, registration,
enrolment, a lesson's actions and downloads, the catalogue, the webinar list, the dashboards, the calendar feeds)
asks the same question here, for a person instead of a request:

* a restriction on the page **or any ancestor** applies (a course's restriction covers its lessons);
* "login": any signed-in person passes;
* "groups": superusers and members of one of the restriction's groups pass. Nobody else: Wagtail lets no editor,
  trainer or presenter through on the site either (they see the page in the admin);
* "password": only superusers pass off the page. The page checks the shared password against the person's session;
  a websocket, a calendar app or a listing has no session that could answer, and Wagtail itself warns that a
  shared password must not protect sensitive content. Restrict a private course or webinar to a group instead.
  (Superusers pass here, unlike on the page, because they can open and change the page in the admin anyway.)

`page_viewable(user, page)` answers for one page; `only_viewable(queryset, user)` drops from a listing, in the
database, the subtrees the person may not view (so pagination and counts stay right). `document_viewable(user,
document)` answers for a Wagtail document (a webinar's material): it must be viewable on every page that uses it.

Cost: while no page anywhere is restricted, nothing: the cached answer to "is any page view-restricted?"
(lms/caching/wagtail.py, invalidated when a restriction is saved or deleted) answers. Otherwise one query reads
every restriction with its groups, and one more reads the person's groups when a group restriction is involved:
a fixed number, whatever the number of pages or restrictions (`document_viewable`: two more, for the pages that use
the document). Nothing of this is cached between calls (a group's members and a restriction's groups change without
invalidating the cache).
"""

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from wagtail.models import Page, PageViewRestriction, ReferenceIndex
from wagtail.signal_handlers import reference_index_auto_update_disabled

from .caching.wagtail import any_view_restriction


@dataclass(frozen=True)
class Restriction:
    path: str  # the restricted page's tree path: it and every page below it
    kind: str  # PageViewRestriction.LOGIN, GROUPS, PASSWORD (or NONE)
    group_ids: frozenset[int]


def restrictions() -> list[Restriction]:
    """Every view restriction of the site with its groups: none and no query while no page is restricted, else one
    query."""
    if not any_view_restriction():
        return []
    found: dict[int, tuple[str, str, set[int]]] = {}
    rows = PageViewRestriction.objects.values_list("pk", "page__path", "restriction_type", "groups").order_by("pk")
    for pk, path, kind, group_id in rows:
        entry = found.setdefault(pk, (path, kind, set()))
        if group_id is not None:
            entry[2].add(group_id)
    return [Restriction(path, kind, frozenset(groups)) for path, kind, groups in found.values()]


def _is_superuser(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_superuser)


def _refused(user, applying: list[Restriction]) -> list[Restriction]:
    """The restrictions among `applying` that `user` does not pass (one query for the user's groups, if needed)."""
    if not applying or _is_superuser(user):
        return []
    signed_in = bool(user and user.is_authenticated and user.is_active)
    group_ids: set[int] | None = None
    refused = []
    for restriction in applying:
        if restriction.kind == PageViewRestriction.LOGIN:
            passes = signed_in
        elif restriction.kind == PageViewRestriction.GROUPS:
            if signed_in and group_ids is None:
                group_ids = set(user.groups.values_list("pk", flat=True))
            passes = signed_in and bool(group_ids & restriction.group_ids)
        elif restriction.kind == PageViewRestriction.PASSWORD:
            passes = False  # a shared password is answered on the page only (module docstring)
        else:
            passes = True
        if not passes:
            refused.append(restriction)
    return refused


def page_viewable(user, page) -> bool:
    """May `user` view `page` (any page with a tree path: a course, a lesson, a webinar)? Wagtail's answer on the
    page, for a person: every restriction on the page and its ancestors must let them through."""
    applying = [r for r in restrictions() if page.path.startswith(r.path)]
    return not _refused(user, applying)


def document_viewable(user, document) -> bool:
    """May `user` download `document` (a Wagtail document)? Only if they may view every page that uses it, as
    Wagtail's reference index records it (a chooser in a page's StreamField or a link in its rich text; the index
    follows a page's published content). A document no page uses, or only pages open to everyone, is open to
    everyone, as before: an editor keeps such a document private with its collection's privacy setting, which
    Wagtail checks too. No query while no page is restricted; else one for the restrictions, two for the pages
    using the document, and one for the person's groups if a group restriction applies. The index is current as
    soon as a page is saved (`index_page_references` below), not only when Wagtail's background task has run."""
    found = restrictions()
    if not found:
        return True
    # The index keeps ids as text (for every model): read them, then the pages (no cast in SQL, which PostgreSQL
    # might apply to another model's non-numeric ids).
    page_ids = {
        int(object_id)
        for object_id in ReferenceIndex.get_references_to(document)
        .filter(base_content_type__app_label="wagtailcore", base_content_type__model="page")
        .values_list("object_id", flat=True)
        if object_id.isdigit()
    }
    paths = list(Page.objects.filter(pk__in=page_ids).values_list("path", flat=True)) if page_ids else []
    applying = [r for r in found if any(path.startswith(r.path) for path in paths)]
    return not _refused(user, applying)


def _may_refer(model, name: str) -> bool:
    """Could a save of the field `name` of `model` change what it refers to, as Wagtail's reference index reads it
    (a StreamField, a rich text, a foreign key Wagtail does not ignore)? Unknown names answer yes."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return True
    if hasattr(field, "extract_references"):
        return True
    if not field.is_relation:
        return False
    return not (
        getattr(field, "wagtail_reference_index_ignore", False)
        or getattr(field.related_model, "wagtail_reference_index_ignore", False)
    )


def index_page_references(sender, instance, raw=False, update_fields=None, **kwargs):
    """`post_save` receiver (connected in lms/apps.py): brings the reference index of a page up to date in the
    save itself, so that `document_viewable` knows a document as the page's from the moment the page is saved.

    Wagtail leaves this to a background task (`update_reference_index_task`, django-tasks: run by `db_worker` in
    production, some time later or never if the worker is down); until it ran, a document just published on a
    restricted page was served to anyone. Every path that changes a page's own content saves the page: publishing
    in the admin (the revision's content is saved onto the page), scheduled publishing (`publish_scheduled`), a
    workflow's approval, a revert, a copy, code. A draft saves only a revision and the page's bookkeeping fields
    (`latest_revision`...): nothing to index, as the draft is not on the page yet. Wagtail's task still runs
    afterwards and finds the index already current.

    Indexed from the page as saved (with the child objects it holds, not yet in the database when the page's row is
    saved); only a specific page (a `WebinarPage`, not a bare `Page`, whose index would drop the references of the
    specific fields). Cost: nothing for a draft; else a select of the page's references and an insert or a delete
    when they changed. An error here fails the save (the index is never left behind knowingly)."""
    if raw or getattr(reference_index_auto_update_disabled, "value", False):
        return
    if not isinstance(instance, Page) or not ReferenceIndex.is_indexed(type(instance)):
        return
    if instance.specific_class is not type(instance):
        return
    if update_fields is not None and not any(_may_refer(type(instance), name) for name in update_fields):
        return
    with transaction.atomic():
        ReferenceIndex.create_or_update_for_object(instance)


def require_viewable(user, page) -> None:
    """PermissionDenied unless `user` may view `page` (for services)."""
    if not page_viewable(user, page):
        raise PermissionDenied(_("This page is not open to you."))


def refused_paths(user) -> list[str]:
    """The tree paths of the subtrees `user` may not view (outermost first, none inside another)."""
    paths = sorted(r.path for r in _refused(user, restrictions()))
    outermost: list[str] = []
    for path in paths:
        if not any(path.startswith(kept_path) for kept_path in outermost):
            outermost.append(path)
    return outermost


def only_viewable(queryset, user, *, path_field: str = "path"):
    """`queryset` without the rows whose page (at `path_field`: "path" for pages, "course__path" for a model that
    points to one) `user` may not view. No condition is added while nothing is refused."""
    return without_paths(queryset, refused_paths(user), path_field=path_field)


def without_paths(queryset, paths: list[str], *, path_field: str = "path"):
    """`queryset` without the rows whose page is in one of the subtrees at `paths` (from `refused_paths`, asked
    once for several listings of one person)."""
    if not paths:
        return queryset
    return queryset.exclude(reduce(or_, (Q(**{f"{path_field}__startswith": path}) for path in paths)))
