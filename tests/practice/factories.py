"""A practice world for tests: a course with its trainer and an enrolled learner, a case practice and a monitoring
practice with services and a checklist, built through the services."""

import io
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from courses import services as course_services
from lms import roles
from lms.testing import make_user
from practice import services
from practice.models import ChecklistItem, MonitoredService, Practice
from tests.courses.factories import make_course

SECRET = "Officer Ivanov beat Sasha behind the pharmacy on Lenina street"
SECRET_NAME = "Ivanov"


@dataclass
class World:
    course: object
    learner: object
    other: object
    trainer: object
    trainer2: object
    certifier: object
    admin: object
    cases: Practice
    monitoring: Practice
    service: MonitoredService
    items: list


def make_world() -> World:
    trainer = make_user(role=roles.TRAINERS)
    trainer2 = make_user(role=roles.TRAINERS)
    course = make_course(lessons=1, trainers=[trainer])
    learner, other = make_user(), make_user()
    course_services.enrollment_create(user=learner, course=course)
    cases = services.practice_create(user=trainer, course=course, kind=Practice.Kind.CASES, title="Street lawyers")
    monitoring = services.practice_create(
        user=trainer, course=course, kind=Practice.Kind.MONITORING, title="NSP monitoring"
    )
    service = MonitoredService.objects.create(
        practice=monitoring, name="NSP Vokzal", kind="nsp", country="UA", city="Odesa"
    )
    items = [
        ChecklistItem.objects.create(practice=monitoring, text="Open at the stated hours?", order=1),
        ChecklistItem.objects.create(practice=monitoring, text="Supplies in stock?", order=2),
    ]
    return World(
        course=course,
        learner=learner,
        other=other,
        trainer=trainer,
        trainer2=trainer2,
        certifier=make_user(role=roles.CERTIFIERS),
        admin=make_user(role="admin"),
        cases=cases,
        monitoring=monitoring,
        service=service,
        items=items,
    )


def complete_case_data(**overrides) -> dict:
    import datetime

    data = {
        "incident_date": datetime.date(2026, 3, 14),
        "country": "UA",
        "city": "Odesa",
        "violation_type": "police_violence",
        "actor_kind": "police",
        "help_given": "lawyer",
        "narrative": SECRET,
        "actor_name": SECRET_NAME,
        "place_detail": "Lenina street 5",
        "referral_note": "Referred to the network's lawyer Petrenko",
        "consent_given": True,
        "consent_note": "Verbal consent on 15 March",
    }
    data.update(overrides)
    return data


def submitted_case(world: World, *, author=None, **overrides):
    record = services.case_save(
        user=author or world.learner, practice=world.cases, data=complete_case_data(**overrides)
    )
    return services.case_save(user=author or world.learner, record=record, data={}, submit=True)


def accepted_case(world: World, **overrides):
    record = submitted_case(world, **overrides)
    return services.record_review(reviewer=world.trainer, record=record, accept=True)


def jpeg_with_gps(name: str = "photo.jpg") -> SimpleUploadedFile:
    """A JPEG carrying EXIF with GPS coordinates, a camera and an author, as a phone writes it."""
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x013B] = "Sasha Secretauthor"  # Artist
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (46.0, 28.0, 59.0)
    gps[3] = "E"
    gps[4] = (30.0, 43.0, 12.0)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def png_with_text(name: str = "scan.png") -> SimpleUploadedFile:
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Sasha Secretauthor")
    info.add_text("Comment", "GPS 46.48 30.72")
    out = io.BytesIO()
    Image.new("RGBA", (20, 20), (0, 0, 255, 128)).save(out, format="PNG", pnginfo=info)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def pdf_with_metadata(name: str = "statement.pdf") -> SimpleUploadedFile:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Author": "Sasha Secretauthor", "/Title": "Statement of Sasha", "/Producer": "ScanApp"})
    out = io.BytesIO()
    writer.write(out)
    return SimpleUploadedFile(name, out.getvalue(), content_type="application/pdf")
