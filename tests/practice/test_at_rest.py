"""What a database dump or a copy of the private files reveals: nothing written in a record, and no photo's EXIF.
The rows are read with raw SQL and the files from disk, not through the models."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from PIL import Image

from practice import crypto, services
from practice.models import Attachment

from .factories import SECRET, SECRET_NAME, jpeg_with_gps, pdf_with_metadata, png_with_text, submitted_case

pytestmark = pytest.mark.django_db

PRACTICE_TABLES = (
    "practice_caserecord",
    "practice_monitoringvisit",
    "practice_attachment",
    "practice_checklistanswer",
)


def _dump() -> str:
    """Every practice row as the database holds it."""
    lines = []
    with connection.cursor() as cursor:
        for table in PRACTICE_TABLES:
            cursor.execute(f"SELECT * FROM {table}")
            lines.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(lines)


def _stored_files(root) -> list[bytes]:
    return [path.read_bytes() for path in root.rglob("*") if path.is_file()]


def test_a_dump_and_the_stored_files_reveal_no_text_and_no_exif(world, private_root):
    record = submitted_case(world)
    services.record_review(reviewer=world.trainer, record=record, accept=False, comment="Ask Sasha again")
    draft = services.case_save(user=world.learner, record=record, data={})
    for upload in (jpeg_with_gps(f"{SECRET_NAME}-beaten.jpg"), png_with_text(), pdf_with_metadata()):
        services.attachment_add(user=world.learner, record=draft, upload=upload)

    dump = _dump()
    for plaintext in (SECRET, SECRET_NAME, "Lenina", "Petrenko", "Verbal consent", "Ask Sasha", "beaten"):
        assert plaintext not in dump
    assert "Odesa" in dump and "police_violence" in dump  # aggregate fields stay readable for the counts

    files = _stored_files(private_root)
    assert len(files) == 3
    for data in files:
        for marker in (b"Exif", b"GPS", b"Secretauthor", b"PhoneMaker", b"ScanApp", b"Statement", b"%PDF", b"JFIF"):
            assert marker not in data
        assert data.startswith(b"gAAAA")  # a Fernet token

    # Decrypted, the files are clean: the photo has no EXIF at all, the PNG no text, the PDF no document info.
    plain = {
        a.content_type: services.attachment_read(user=world.learner, attachment=a) for a in Attachment.objects.all()
    }
    with Image.open(io.BytesIO(plain["image/jpeg"])) as photo:
        assert not photo.getexif() and "exif" not in photo.info and photo.size == (64, 48)
    assert b"Secretauthor" not in plain["image/png"] and b"GPS" not in plain["image/png"]
    with Image.open(io.BytesIO(plain["image/png"])) as png:
        assert not {"Author", "Comment"} & set(png.info)
    assert b"Secretauthor" not in plain["application/pdf"] and b"ScanApp" not in plain["application/pdf"]
    from pypdf import PdfReader

    assert len(PdfReader(io.BytesIO(plain["application/pdf"])).pages) == 1
    names = sorted(a.original_name for a in Attachment.objects.all())
    assert f"{SECRET_NAME}-beaten.jpg" in names


def test_a_photo_keeps_its_orientation_when_its_exif_goes(world, private_root):
    image = Image.new("RGB", (40, 20))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotated 90°: the picture stands 20 x 40
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    draft = services.case_save(user=world.learner, practice=world.cases, data={})
    attachment = services.attachment_add(
        user=world.learner, record=draft, upload=SimpleUploadedFile("p.jpg", out.getvalue())
    )
    with Image.open(io.BytesIO(services.attachment_read(user=world.learner, attachment=attachment))) as photo:
        assert photo.size == (20, 40)


@pytest.mark.parametrize(
    ("upload", "code"),
    [
        (SimpleUploadedFile("photo.jpg", b"<html><script>alert(1)</script></html>"), "bad_type"),
        (SimpleUploadedFile("doc.docx", b"PK\x03\x04 a word file"), "bad_type"),
        (SimpleUploadedFile("broken.jpg", b"\xff\xd8\xff\xe0 truncated"), "bad_file"),
        (SimpleUploadedFile("broken.pdf", b"%PDF-1.4 garbage"), "bad_file"),
        (SimpleUploadedFile("empty.png", b""), "empty"),
    ],
)
def test_a_bad_file_gets_a_clear_error_and_stores_nothing(world, private_root, upload, code):
    draft = services.case_save(user=world.learner, practice=world.cases, data={})
    with pytest.raises(ValidationError) as error:
        services.attachment_add(user=world.learner, record=draft, upload=upload)
    assert error.value.code == code and error.value.messages[0]
    assert not Attachment.objects.exists()
    assert _stored_files(private_root) == []


def test_size_and_count_limits(world, private_root, settings):
    draft = services.case_save(user=world.learner, practice=world.cases, data={})
    settings.PRACTICE_MAX_UPLOAD_BYTES = 100
    with pytest.raises(ValidationError) as error:
        services.attachment_add(user=world.learner, record=draft, upload=jpeg_with_gps())
    assert error.value.code == "too_large"
    settings.PRACTICE_MAX_UPLOAD_BYTES = 10 * 1024 * 1024
    settings.PRACTICE_MAX_ATTACHMENTS = 2
    for _ in range(2):
        services.attachment_add(user=world.learner, record=draft, upload=png_with_text())
    with pytest.raises(ValidationError) as error:
        services.attachment_add(user=world.learner, record=draft, upload=png_with_text())
    assert error.value.code == "too_many"
    assert Attachment.objects.count() == 2 and len(_stored_files(private_root)) == 2


def test_files_can_be_added_only_while_the_author_may_change_the_record(world, private_root):
    record = submitted_case(world)
    with pytest.raises(ValidationError):
        services.attachment_add(user=world.learner, record=record, upload=png_with_text())
    draft = services.case_save(user=world.learner, practice=world.cases, data={})
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.attachment_add(user=world.other, record=draft, upload=png_with_text())
    assert _stored_files(private_root) == []


def test_a_wrong_key_cannot_read_and_says_nothing_of_the_content(world, settings):
    record = submitted_case(world)
    settings.PRACTICE_ENCRYPTION_KEYS = [crypto.derive_key("another secret")]
    from practice.models import CaseRecord

    with pytest.raises(crypto.InvalidToken) as error:
        CaseRecord.objects.get(pk=record.pk)
    assert SECRET not in str(error.value) and SECRET not in repr(error.value)
