# ruff: noqa: RUF001 - the Russian texts use Cyrillic gender endings, which ruff takes for look-alike letters
"""Demo content: the default ladder, and progress for the demo learner (idempotent)."""

from django.contrib.auth.models import Group
from django.db import transaction

from lms import roles

from .models import Level, LevelTranslation, Requirement, RequirementKind

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


def _requirements(levels: dict[str, Level]) -> dict[str, list[dict]]:
    budget, street = _track("budget-advocacy"), _track("street-lawyers")
    budget_course, street_course = _course_key("budget-advocacy"), _course_key("street-lawyers")
    course = RequirementKind.COURSE_COMPLETED
    attended = RequirementKind.WEBINARS_ATTENDED
    plan = {
        "community-advocate": [
            {"kind": attended, "count": 2, "min_share_percent": 75, "track": budget},
        ],
        "street-lawyer": [
            {"kind": attended, "count": 2, "min_share_percent": 75, "track": street},
            {"kind": RequirementKind.ASSIGNMENT_APPROVED, "count": 1},
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
            level.save()
            LevelTranslation.objects.create(level=level, language="ru", **spec["ru"])
        levels[spec["slug"]] = level
    for slug, requirements in _requirements(levels).items():
        level = levels[slug]
        if level.requirements.exists():
            continue
        for order, fields in enumerate(requirements):
            requirement = Requirement(level=level, sort_order=order, **fields)
            requirement.full_clean()
            requirement.save()
    return levels


def load(context) -> None:
    ensure_ladder()
    from .services import progression_refresh

    progression_refresh(user_ids=[user.pk for user in context.users.values()])
