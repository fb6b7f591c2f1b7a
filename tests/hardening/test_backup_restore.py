"""Backup and restore on PostgreSQL, with the commands of docs/operations.md: users, progress, questions and
certificates survive a pg_dump / pg_restore into a fresh database, and a certificate still verifies there."""

import subprocess
import urllib.request
import uuid

import psycopg
import pytest
from django.db import connection

from certificates import services as certificate_services
from courses import services as course_services
from courses.models import LessonPage
from lms import roles
from lms.testing import make_user
from tests.certificates.conftest import make_level
from tests.courses.factories import make_course
from tests.servers import start_asgi
from tests.webinars.factories import make_webinar
from webinars import services as webinar_services

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.xdist_group("restore"),
    # Committed rows (pg_dump reads them); serialized_rollback restores the migrations' data (groups, content
    # types) for the tests that follow, as the other transactional tests do.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TABLES = [
    "lms_user",
    "courses_enrollment",
    "courses_lessonprogress",
    "webinars_question",
    "certificates_certificate",
]


def counts(dsn: str) -> dict[str, int]:
    with psycopg.connect(dsn) as conn:
        return {table: conn.execute(f"select count(*) from {table}").fetchone()[0] for table in TABLES}


def test_dump_restore_keeps_everything_and_certificates_still_verify(signing_key, tmp_path):
    learner = make_user(display_name="Aigerim")
    trainer = make_user(role=roles.TRAINERS)
    certifier = make_user(role=roles.CERTIFIERS)
    course = make_course(lessons=2, trainers=[trainer])
    course_services.enrollment_create(user=learner, course=course)
    course_services.lesson_complete(user=learner, lesson=LessonPage.objects.child_of(course).first())
    webinar = make_webinar(presenters=[trainer])
    webinar_services.question_ask(user=learner, webinar=webinar, text="How do we read the budget?", anonymous=True)
    certificate = certificate_services.certificate_issue(
        actor=certifier, user=learner, level=make_level(), outside_rules_reason="Restore drill"
    )

    settings_dict = connection.settings_dict
    server = f"postgres://{settings_dict['USER']}@{settings_dict['HOST']}:{settings_dict['PORT']}"
    source = f"{server}/{settings_dict['NAME']}"
    before = counts(source)
    assert all(before.values()), before

    dump = tmp_path / "lms.dump"
    restored_name = f"lms_restored_{uuid.uuid4().hex[:8]}"
    subprocess.run(
        ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={dump}", source], check=True
    )
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{restored_name}"')
    try:
        restored = f"{server}/{restored_name}"
        subprocess.run(["pg_restore", "--no-owner", "--no-privileges", f"--dbname={restored}", str(dump)], check=True)
        assert counts(restored) == before
        env = {
            "DJANGO_SETTINGS_MODULE": "lms.settings.test",
            "DATABASE_URL": restored,
            "CERTIFICATES_SIGNING_KEY_FILE": str(signing_key),
        }
        with (
            start_asgi(env=env) as process,
            urllib.request.urlopen(f"{process.url}/verify/{certificate.verification_code}/") as response,
        ):
            page = response.read().decode()
        assert "This certificate was issued by us and has not been revoked." in page
        assert certificate.serial in page
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{restored_name}" WITH (FORCE)')
