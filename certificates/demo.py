# ruff: noqa: RUF001 - the Russian and Ukrainian texts use Cyrillic gender endings, which ruff takes for look-alike letters
"""Demo content: the default ladder, and progress for the demo learner (idempotent)."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from wagtail.models import Locale

from lms import roles
from lms.demo import demo_password

from .models import Level, LevelText, PracticeRecordKind, Requirement, RequirementKind

LADDER = [
    {
        "slug": "community-advocate",
        "name": "Community Advocate (Budget Advocacy)",
        "description": "Reads a public budget, sets advocacy goals and targets, and monitors harm-reduction services.",
        "certificate_text": "completed the budget advocacy training and took part in its live webinars.",
        "ru": {
            "name": "Общественный адвокат (бюджетная адвокация)",
            "description": "Читает государственный бюджет, ставит цели и задачи адвокации, отслеживает услуги "
            "снижения вреда.",
            "certificate_text": "прошёл(а) обучение по бюджетной адвокации и участвовал(а) в его живых вебинарах.",
        },
        "uk": {
            "name": "Громадський адвокат (бюджетна адвокація)",
            "description": "Читає державний бюджет, ставить цілі й завдання адвокації, відстежує послуги "
            "зменшення шкоди.",
            "certificate_text": "пройшов(-ла) навчання з бюджетної адвокації та взяв(-ла) участь у його живих "
            "вебінарах.",
        },
        "requires_approval": True,
    },
    {
        "slug": "street-lawyer",
        "name": "Street Lawyer",
        "description": "Documents rights violations and helps peers to defend their rights.",
        "certificate_text": "completed the street lawyer training and had a case documentation assignment approved.",
        "ru": {
            "name": "Уличный юрист",
            "description": "Документирует нарушения прав и помогает равным защищать свои права.",
            "certificate_text": "прошёл(а) обучение уличных юристов; его (её) задание по документированию случая "
            "принято.",
        },
        "uk": {
            "name": "Вуличний юрист",
            "description": "Документує порушення прав і допомагає рівним захищати свої права.",
            "certificate_text": "пройшов(-ла) навчання вуличних юристів; його (її) завдання з документування "
            "випадку прийнято.",
        },
        "requires_approval": True,
    },
    {
        "slug": "co-trainer",
        "name": "Co-trainer",
        "description": "Co-delivers webinars together with a certified trainer.",
        "certificate_text": "took part in the training of trainers and co-delivered a webinar.",
        "ru": {
            "name": "Со-тренер",
            "description": "Проводит вебинары вместе с сертифицированным тренером.",
            "certificate_text": "участвовал(а) в обучении тренеров и провёл(а) вебинар вместе с тренером.",
        },
        "uk": {
            "name": "Співтренер",
            "description": "Проводить вебінари разом із сертифікованим тренером.",
            "certificate_text": "взяв(-ла) участь у навчанні тренерів і провів(-ла) вебінар разом із тренером.",
        },
        "requires_approval": True,
    },
    {
        "slug": "certified-trainer",
        "name": "Certified Trainer",
        "description": "Trains other community leaders on their own.",
        "certificate_text": "is certified to train community leaders in budget advocacy and street-lawyer work.",
        "ru": {
            "name": "Сертифицированный тренер",
            "description": "Самостоятельно обучает других лидеров сообщества.",
            "certificate_text": "сертифицирован(а) для обучения лидеров сообщества бюджетной адвокации и работе "
            "уличного юриста.",
        },
        "uk": {
            "name": "Сертифікований тренер",
            "description": "Самостійно навчає інших лідерів спільноти.",
            "certificate_text": "сертифікований(-а) навчати лідерів спільноти бюджетної адвокації та роботи "
            "вуличного юриста.",
        },
        "requires_approval": True,
        "grants": roles.TRAINERS,
    },
]


def _course_key(track_slug: str):
    """The translation key of the first demo course of a track, if the courses demo made one."""
    from courses.models import CoursePage

    course = CoursePage.objects.filter(track__slug=track_slug).order_by("path").first()
    return course if course else None


def _track(slug: str):
    from courses.models import Track

    return Track.objects.filter(slug=slug).order_by("pk").first()


def _practice_requirement(street_course) -> dict:
    """Street lawyers document real cases: three case records accepted in the street-lawyer course's practice."""
    return {
        "kind": RequirementKind.PRACTICE_ACCEPTED,
        "record_kind": PracticeRecordKind.CASES,
        "count": 3,
        "course_page": street_course,
    }


def _requirements(levels: dict[str, Level]) -> dict[str, list[dict]]:
    budget, street = _track("budget-advocacy"), _track("street-lawyers")
    budget_course, street_course = _course_key("budget-advocacy"), _course_key("street-lawyers")
    course = RequirementKind.COURSE_COMPLETED
    attended = RequirementKind.WEBINARS_ATTENDED
    plan = {
        "community-advocate": [
            {"kind": attended, "count": 1, "min_share_percent": 75, "track": budget},
        ],
        "street-lawyer": [
            {"kind": attended, "count": 2, "min_share_percent": 75, "track": street},
            {"kind": RequirementKind.ASSIGNMENT_APPROVED, "count": 1},
            _practice_requirement(street_course),
        ],
        "co-trainer": [
            {"kind": RequirementKind.LEVEL_HELD, "required_level": levels["community-advocate"]},
            {"kind": attended, "count": 4, "min_share_percent": 75},
            {"kind": RequirementKind.WEBINARS_PRESENTED, "count": 1},
        ],
        "certified-trainer": [
            {"kind": RequirementKind.LEVEL_HELD, "required_level": levels["co-trainer"]},
            {"kind": RequirementKind.WEBINARS_PRESENTED, "count": 3},
        ],
    }
    if budget_course:
        plan["community-advocate"].insert(0, {"kind": course, "course_page": budget_course, "min_quiz_score": 70})
    if street_course:
        plan["street-lawyer"].insert(0, {"kind": course, "course_page": street_course, "min_quiz_score": 70})
    return plan


def _add_missing_texts(level: Level, spec: dict) -> None:
    """The level's texts in each enabled language the spec has and the level lacks, as translations of its
    default-language row (the same translation_key, as wagtail-localize makes them)."""
    source = LevelText.objects.get(level=level, locale=Locale.get_default())
    have = set(LevelText.objects.filter(level=level).values_list("locale__language_code", flat=True))
    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        if code in spec and code not in have:
            locale, _created = Locale.objects.get_or_create(language_code=code)
            text = LevelText(level=level, locale=locale, translation_key=source.translation_key, **spec[code])
            text.full_clean()
            text.save()


@transaction.atomic
def ensure_ladder() -> dict[str, Level]:
    """Create the default ladder if a level is missing; levels a certifier already edited are left alone."""
    levels = {}
    for position, spec in enumerate(LADDER, start=1):
        level = Level.objects.filter(slug=spec["slug"]).first()
        if level is None:
            level = Level(
                slug=spec["slug"],
                name=spec["name"],
                description=spec["description"],
                certificate_text=spec["certificate_text"],
                sort_order=position * 10,
                requires_approval=spec["requires_approval"],
                granted_group=Group.objects.get(name=spec["grants"]) if spec.get("grants") else None,
            )
            level.full_clean()
            level.save()  # writes its default-language LevelText
        _add_missing_texts(level, spec)
        levels[spec["slug"]] = level
    for slug, requirements in _requirements(levels).items():
        level = levels[slug]
        if level.requirements.exists():
            _add_practice_requirement(level)
            continue
        for order, fields in enumerate(requirements):
            requirement = Requirement(level=level, sort_order=order, **fields)
            requirement.full_clean()
            requirement.save()
    return levels


def _add_practice_requirement(level: Level) -> None:
    """A street-lawyer level made by a demo older than field practice gains its practice requirement on reload."""
    if level.slug != "street-lawyer" or level.requirements.filter(kind=RequirementKind.PRACTICE_ACCEPTED).exists():
        return
    requirement = Requirement(
        level=level, sort_order=level.requirements.count(), **_practice_requirement(_course_key("street-lawyers"))
    )
    requirement.full_clean()
    requirement.save()


DEMO_ADVOCATE = ("advocate", "Nurlan", "ru")  # username, display name, language
PAST_WEBINAR_SLUG = "demo-past-advocacy-targets"


def _complete_course(user, course, *, reviewer) -> None:
    """Finish a course the way a learner would: every lesson, right quiz answers, assignments approved."""
    from courses import selectors as course_selectors
    from courses import services as course_services
    from courses.models import Enrollment, LessonPage

    if Enrollment.objects.filter(user=user, course_key=course.translation_key, completed_at__isnull=False).exists():
        return
    course_services.enrollment_create(user=user, course=course)
    for lesson in LessonPage.objects.live().child_of(course).order_by("path"):
        course_services.lesson_complete(user=user, lesson=lesson)
        for block in lesson.body:
            if block.block_type == "quiz":
                questions = course_selectors.quiz_questions(block.value)
                answers = {q["id"]: [c["id"] for c in q["choices"] if c["correct"]] for q in questions}
                course_services.quiz_submit(user=user, lesson=lesson, quiz_key=block.id, answers=answers)
            elif block.block_type == "assignment":
                submission = course_services.assignment_submit(
                    user=user, lesson=lesson, assignment_key=block.id, text="Наш бюджетный анализ: см. таблицу."
                )
                course_services.assignment_review(reviewer=reviewer, submission=submission, approve=True)


def _attend_past_webinar(user, minutes_late: int) -> None:
    """Attendance in the finished demo webinar, through the webinars service, as if joined `minutes_late`."""
    from webinars import services as webinar_services
    from webinars.models import Attendance, WebinarPage

    webinar = WebinarPage.objects.filter(slug=PAST_WEBINAR_SLUG).first()
    if webinar is None or Attendance.objects.filter(user=user, webinar=webinar).exists():
        return
    interval = webinar_services.attendance_open(user=user, webinar=webinar)
    Attendance.objects.filter(pk=interval.pk).update(connected_at=webinar.start + timedelta(minutes=minutes_late))
    webinar_services.attendance_close(attendance_id=interval.pk)


def _advocate():
    from lms.services import User, user_create

    username, display_name, language = DEMO_ADVOCATE
    return User.objects.filter(username=username).first() or user_create(
        username=username, password=demo_password(username), display_name=display_name, preferred_language=language
    )


def load(context) -> None:
    """The ladder; the demo learner halfway to Community Advocate (one webinar attended, the course under way);
    a second learner, Nurlan, who finished both, waiting in the certifiers' queue."""
    from courses.models import CoursePage

    from .services import progression_refresh

    ensure_ladder()
    learner, trainer = context.users.get("learner"), context.users.get("trainer")
    advocate = _advocate()
    if learner is not None:
        _attend_past_webinar(learner, minutes_late=5)
    course = CoursePage.objects.filter(track__slug="budget-advocacy", locale__language_code="ru").first()
    if course is not None and trainer is not None:
        _complete_course(advocate, course, reviewer=trainer)
    _attend_past_webinar(advocate, minutes_late=2)
    progression_refresh(user_ids=[advocate.pk, *(user.pk for user in context.users.values())])
    if context.stdout:
        context.stdout.write(
            f"Certificates: the default ladder; {advocate.username} / {demo_password(advocate.username)} waits in the "
            "certifiers' queue."
        )
