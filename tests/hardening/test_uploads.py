"""Material-library uploads (django-filer, trainers): only the allow-listed types, checked on content; SVG and
HTML refused; files in the library are downloaded as attachments with nosniff (tests/courses covers those)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from filer.models import File

from lms import roles
from lms.testing import make_site, make_user

pytestmark = pytest.mark.django_db
UPLOAD = "/django-admin/filer/clipboard/operations/upload/no_folder/"


@pytest.fixture
def trainer_client(client):
    make_site()
    client.force_login(make_user(role=roles.TRAINERS))
    return client


def upload(client, name: str, content: bytes):
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, content)})


def test_a_real_pdf_enters_the_library(trainer_client):
    response = upload(trainer_client, "budget-template.pdf", b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
    assert response.status_code == 200, response.content
    assert File.objects.filter(original_filename="budget-template.pdf").exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("handout.pdf", b"<script>alert(1)</script>"),  # a script named .pdf
        ("slides.html", b"<html><script>alert(1)</script></html>"),
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'),
        ("tool.exe", b"MZ\x90\x00"),
        ("notes.txt", b"\xff\xfe\x00\x00not utf-8 \x00\x00"),
    ],
)
def test_anything_else_is_refused_and_nothing_is_stored(trainer_client, name, content):
    response = upload(trainer_client, name, content)
    assert b"error" in response.content.lower() or response.status_code >= 400
    assert not File.objects.exists()
