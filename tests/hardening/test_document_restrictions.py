"""A webinar's documents are as private as the webinar (security review of issue 18).

A Wagtail document in a webinar's materials is served by Wagtail's own `/documents/<id>/<filename>` view. It must
answer as the page does: with the webinar restricted to a group ("Circle"), a member downloads the handout, an
outsider and an anonymous visitor get a 404 (lms.restrictions.document_viewable, asked by the `before_serve_document`
hook in lms/wagtail_hooks.py). A document of a public page, or of no page, is served to anyone as before, and the
collection's privacy setting still holds. The file itself lives in PRIVATE_MEDIA_ROOT/documents, never in
MEDIA_ROOT, which a proxy rule on /media/ could serve (lms/storage.py, checked by lms.E002 in lms/checks.py).
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.checks import Error, Warning, run_checks
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.documents.models import Document
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction, ReferenceIndex

from lms.checks import check_document_storage
from lms.restrictions import document_viewable
from lms.testing import make_user
from tests.webinars.factories import make_webinar, webinar_admin_form
from webinars.models import WebinarIndexPage, WebinarPage

HANDOUT = b"%PDF-1.4 the circle's handout"


def make_document(**fields) -> Document:
    return Document.objects.create(title="Circle handout", file=ContentFile(HANDOUT, name="circle.pdf"), **fields)


def materials(document) -> list:
    return [("document", {"title": "Handout", "document": document})]


def restrict_to(page, group) -> None:
    restriction = PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.set([group])


def download(document, user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client.get(document.url)


def content(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.fixture
def circle(db, roots):
    """A webinar restricted to the group "Circle", with a handout in its materials; a member and an outsider."""
    group = Group.objects.create(name="Circle")
    document = make_document()
    webinar = make_webinar(materials=materials(document))
    restrict_to(webinar, group)
    member, outsider = make_user(username="member"), make_user(username="outsider")
    member.groups.add(group)
    return document, webinar, member, outsider


@pytest.mark.django_db
class TestServing:
    def test_an_outsider_and_an_anonymous_visitor_get_a_404_for_a_restricted_webinars_document(self, circle):
        document, _webinar, _member, outsider = circle
        assert document.url == f"/documents/{document.pk}/circle.pdf"
        for response in (download(document, outsider), download(document)):
            assert response.status_code == 404
            assert HANDOUT not in response.content

    def test_a_member_of_the_group_and_a_superuser_download_it(self, circle):
        document, _webinar, member, _outsider = circle
        admin = make_user(username="root", role="admin")
        for person in (member, admin):
            response = download(document, person)
            assert response.status_code == 200
            assert content(response) == HANDOUT

    def test_a_document_of_a_public_webinar_or_of_no_page_is_served_to_anyone(self, roots):
        Group.objects.create(name="Elsewhere")
        restrict_to(make_webinar(), Group.objects.get(name="Elsewhere"))  # some page is restricted, not this one
        public = make_document()
        make_webinar(materials=materials(public))
        loose = make_document()
        for document in (public, loose):
            response = download(document)
            assert response.status_code == 200
            assert content(response) == HANDOUT

    def test_a_document_also_used_by_a_public_page_stays_closed_to_outsiders(self, circle):
        document, _webinar, member, outsider = circle
        make_webinar(materials=materials(document))  # the same handout, on a public webinar too
        assert download(document, outsider).status_code == 404
        assert download(document, member).status_code == 200

    def test_a_restriction_on_the_webinar_index_covers_its_webinars_documents(self, roots):
        group = Group.objects.create(name="Circle")
        document = make_document()
        webinar = make_webinar(materials=materials(document))
        restrict_to(webinar.get_parent(), group)
        assert download(document, make_user()).status_code == 404

    def test_the_collections_privacy_still_holds_for_a_public_pages_document(self, roots):
        private = Collection.get_first_root_node().add_child(name="Staff only")
        CollectionViewRestriction.objects.create(collection=private, restriction_type=CollectionViewRestriction.LOGIN)
        document = make_document(collection=private)
        make_webinar(materials=materials(document))
        assert download(document).status_code == 302  # Wagtail's own hook sends the visitor to sign in
        assert download(document, make_user()).status_code == 200

    def test_the_rule_costs_a_fixed_number_of_queries(self, circle):
        document, _webinar, _member, outsider = circle
        document_viewable(outsider, document)  # fills the kept look-ups (content types, "any restriction?")
        with CaptureQueriesContext(connection) as one_page:
            assert not document_viewable(outsider, document)
        for _ in range(5):
            make_webinar(materials=materials(document))
        with CaptureQueriesContext(connection) as six_pages:
            assert not document_viewable(outsider, document)
        assert len(six_pages) == len(one_page) <= 4  # restrictions, references, their pages, the person's groups


DEFERRED_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # as db_worker, not yet run


@pytest.mark.django_db
class TestIndexIsCurrentAtOnce:
    """Wagtail records which pages use a document through a background task (django-tasks: `db_worker` in
    production). The rule must not wait for it: a document an editor has just published on a restricted webinar is
    refused to outsiders right away, even while (or if) the worker has not run."""

    @pytest.fixture
    def restricted(self, roots):
        group = Group.objects.create(name="Circle")
        webinar = make_webinar()
        restrict_to(webinar, group)
        member = make_user(username="member")
        member.groups.add(group)
        return webinar, member, make_user(username="outsider"), make_user(username="editor", role="admin")

    def test_a_document_published_in_the_admin_is_refused_to_an_outsider_right_after(self, restricted):
        webinar, member, outsider, editor = restricted
        document = make_document()
        assert download(document, outsider).status_code == 200  # on no page yet: open, as before
        with override_settings(TASKS=DEFERRED_TASKS):
            client = Client()
            client.force_login(editor)
            edit = reverse("wagtailadmin_pages:edit", args=[webinar.pk])
            response = client.post(edit, webinar_admin_form(webinar, documents=[document]))
            assert response.status_code == 302
            assert WebinarPage.objects.get(pk=webinar.pk).materials[0].value["document"] == document
            for person in (outsider, None):
                response = download(document, person)
                assert response.status_code == 404  # before the fix: 200, the handout to anyone
                assert HANDOUT not in response.content
            assert content(download(document, member)) == HANDOUT

    def test_a_document_in_a_draft_only_is_not_on_the_page_yet(self, restricted):
        webinar, _member, outsider, editor = restricted
        document = make_document()
        with override_settings(TASKS=DEFERRED_TASKS):
            client = Client()
            client.force_login(editor)
            edit = reverse("wagtailadmin_pages:edit", args=[webinar.pk])
            assert (
                client.post(edit, webinar_admin_form(webinar, documents=[document], action="save")).status_code == 302
            )
            assert download(document, outsider).status_code == 200  # the live webinar does not show it
            assert client.post(edit, webinar_admin_form(webinar, documents=[document])).status_code == 302
            assert download(document, outsider).status_code == 404  # published: now it does

    def test_a_document_published_by_the_scheduler_is_refused_at_once(self, restricted):
        webinar, _member, outsider, editor = restricted
        document = make_document()
        with override_settings(TASKS=DEFERRED_TASKS):
            draft = WebinarPage.objects.get(pk=webinar.pk)
            draft.materials = materials(document)
            draft.save_revision(user=editor, approved_go_live_at=timezone.now() - timedelta(minutes=1))
            assert download(document, outsider).status_code == 200  # scheduled, not yet on the page
            call_command("publish_scheduled")
            assert WebinarPage.objects.get(pk=webinar.pk).materials[0].value["document"] == document
            assert download(document, outsider).status_code == 404

    def test_a_public_webinar_copied_under_a_restricted_index_takes_its_documents_along(self, restricted):
        _webinar, member, outsider, _editor = restricted
        document = make_document()
        public = make_webinar(materials=materials(document))
        home = public.get_parent().get_parent()
        private = home.add_child(instance=WebinarIndexPage(title="Circle webinars", slug="circle-webinars"))
        restrict_to(private, Group.objects.get(name="Circle"))
        with override_settings(TASKS=DEFERRED_TASKS):
            public.copy(to=private, update_attrs={"slug": "circle-copy"}, keep_live=True)
            assert download(document, outsider).status_code == 404  # now on a restricted page too
            assert download(document, member).status_code == 200

    def test_a_document_removed_and_published_is_no_longer_the_webinars(self, restricted):
        webinar, _member, outsider, editor = restricted
        document = make_document()
        with override_settings(TASKS=DEFERRED_TASKS):
            client = Client()
            client.force_login(editor)
            edit = reverse("wagtailadmin_pages:edit", args=[webinar.pk])
            assert client.post(edit, webinar_admin_form(webinar, documents=[document])).status_code == 302
            assert download(document, outsider).status_code == 404
            assert client.post(edit, webinar_admin_form(webinar)).status_code == 302
            assert not ReferenceIndex.get_references_to(document).exists()
            assert download(document, outsider).status_code == 200  # on no page any more: open, as any such


@pytest.mark.django_db
class TestStorage:
    def test_a_documents_file_lands_in_the_private_root_not_in_media_root(self, roots):
        document = make_document()
        assert document.file.name.startswith("documents/")
        stored = roots / "private_media" / document.file.name
        assert stored.read_bytes() == HANDOUT
        assert not (roots / "media" / "documents").exists()
        with pytest.raises(NotImplementedError):
            document.file.url  # noqa: B018 - no /media/ URL: only Wagtail's view serves it
        assert document.url == f"/documents/{document.pk}/circle.pdf"

    def test_a_document_uploaded_in_the_admin_lands_in_the_private_root_and_its_edit_page_opens(self, roots, client):
        client.force_login(make_user(role="admin"))
        upload = SimpleUploadedFile("notes.pdf", HANDOUT, content_type="application/pdf")
        response = client.post(
            reverse("wagtaildocs:add"),
            {"title": "Notes", "file": upload, "collection": Collection.get_first_root_node().pk},
        )
        assert response.status_code == 302
        document = Document.objects.get(title="Notes")
        assert (roots / "private_media" / document.file.name).read_bytes() == HANDOUT
        assert not (roots / "media" / "documents").exists()
        edit = client.get(reverse("wagtaildocs:edit", args=[document.pk]))
        assert edit.status_code == 200
        assert document.url in edit.content.decode()

    def test_other_public_uploads_stay_in_media_root(self, roots):
        name = default_storage.save("original_images/photo.txt", ContentFile(b"public"))
        assert (roots / "media" / name).read_bytes() == b"public"
        assert default_storage.url(name) == f"/media/{name}"

    def test_deleting_a_document_removes_its_file_from_the_private_root(
        self, roots, django_capture_on_commit_callbacks
    ):
        document = make_document()
        stored = roots / "private_media" / document.file.name
        with django_capture_on_commit_callbacks(execute=True):
            document.delete()
        assert not stored.exists()


class TestCheck:
    def test_the_settings_as_shipped_pass(self, roots):
        assert check_document_storage() == []

    @pytest.mark.parametrize(
        "change",
        ["plain storage", "direct links", "files left in media"],
    )
    def test_documents_reachable_from_public_media_are_an_error_in_production(self, settings, roots, change):
        if change == "plain storage":
            settings.STORAGES = {
                **settings.STORAGES,
                "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            }
        elif change == "direct links":
            settings.WAGTAILDOCS_SERVE_METHOD = "direct"
        else:
            (roots / "media" / "documents").mkdir(parents=True)
            (roots / "media" / "documents" / "old.pdf").write_bytes(HANDOUT)
        settings.DEBUG = False
        [error] = check_document_storage()
        assert isinstance(error, Error) and error.id == "lms.E002"
        assert "docs/deploy.md" in error.hint
        assert "lms.E002" in [message.id for message in run_checks()]
        settings.DEBUG = True
        [warning] = check_document_storage()
        assert isinstance(warning, Warning) and warning.id == "lms.W002"
