"""Private uploads have their own root outside MEDIA_ROOT, and a system check refuses a configuration where the private
folder and a public one (MEDIA_ROOT, STATIC_ROOT) overlap."""

from pathlib import Path

import pytest
from django.core.checks import Error, Warning, run_checks
from django.urls import reverse

from courses import services
from courses.models import AssignmentSubmission
from lms import roles
from lms.checks import check_private_media_root
from lms.testing import make_user
from tests.courses.factories import assignment_block, lessons_of, make_course, pdf_upload


def ids(messages) -> list[str]:
    return [message.id for message in messages]


def test_separate_folders_pass_the_check(roots):
    assert check_private_media_root() == []


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("PRIVATE_MEDIA_ROOT", "media/private"),  # the old layout: private files inside MEDIA_ROOT
        ("PRIVATE_MEDIA_ROOT", "media"),  # the same folder
        ("MEDIA_ROOT", "private_media/public"),  # public uploads written into the private folder
        ("PRIVATE_MEDIA_ROOT", "static/private"),
        ("STATIC_ROOT", "private_media/static"),
    ],
)
def test_an_overlap_is_an_error_in_production_and_a_warning_in_development(settings, roots, setting, value):
    setattr(settings, setting, roots / value)
    settings.DEBUG = False
    [error] = check_private_media_root()
    assert isinstance(error, Error) and error.id == "lms.E001"
    assert "PRIVATE_MEDIA_ROOT" in error.hint
    settings.DEBUG = True
    [warning] = check_private_media_root()
    assert isinstance(warning, Warning) and warning.id == "lms.W001"


def test_the_check_is_registered_and_sees_a_path_written_differently(settings, roots):
    """`manage.py check` (and so migrate and the server) runs it; `..` and a trailing slash do not hide an overlap."""
    settings.DEBUG = False
    settings.PRIVATE_MEDIA_ROOT = f"{roots}/static/../media/private/"
    assert "lms.E001" in ids(run_checks())


def test_a_private_storage_moved_into_media_by_its_options_is_caught(settings, roots):
    settings.DEBUG = False
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "courses.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": str(roots / "media" / "p")},
        },
    }
    assert ids(check_private_media_root()) == ["lms.E001"]


@pytest.mark.django_db
def test_an_uploaded_assignment_lands_outside_media_root_and_its_owner_and_trainer_still_get_it(client, roots):
    trainer = make_user(role=roles.TRAINERS)
    learner = make_user()
    course = make_course(lessons=1, assignment=assignment_block(), trainers=[trainer])
    services.enrollment_create(user=learner, course=course)
    client.force_login(learner)
    response = client.post(
        reverse("courses:assignment_submit", args=[lessons_of(course)[0].pk, "assignment-1"]),
        {"text": "My goal", "file": pdf_upload("goal.pdf")},
    )
    assert response.status_code == 302

    submission = AssignmentSubmission.objects.get()
    stored = Path(submission.file.path)
    assert stored.is_file()
    assert stored.is_relative_to(roots / "private_media")
    media = roots / "media"
    assert not media.exists() or not any(path.is_file() for path in media.rglob("*"))
    assert "goal" not in submission.file.name  # a random name, relative to the private root
    with pytest.raises(ValueError, match="private file"):
        submission.file.url  # noqa: B018 - no URL to leak into a template

    url = reverse("courses:submission_file", args=[submission.pk])
    for person in (learner, trainer):
        client.force_login(person)
        download = client.get(url)
        assert download.status_code == 200
        assert b"".join(download.streaming_content).startswith(b"%PDF-")
    client.force_login(make_user(role=roles.TRAINERS))  # a trainer of another course
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_erasure_deletes_the_file_from_the_private_root(roots, django_capture_on_commit_callbacks):
    learner = make_user()
    course = make_course(lessons=1, assignment=assignment_block())
    services.enrollment_create(user=learner, course=course)
    submission = services.assignment_submit(
        user=learner, lesson=lessons_of(course)[0], assignment_key="assignment-1", text="x", upload=pdf_upload()
    )
    stored = Path(submission.file.path)
    assert stored.is_relative_to(roots / "private_media") and stored.exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.privacy_erase(learner)
    assert not stored.exists()
