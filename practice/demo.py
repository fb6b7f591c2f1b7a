# ruff: noqa: RUF001 - the Russian texts use Cyrillic letters, which ruff takes for look-alikes
"""Demo field practice (idempotent): a case-documentation practice on the street-lawyer course and a monitoring
round on the budget-advocacy course, with records in every state (draft, waiting for review, returned with a
comment, accepted), in Russian and English, made and reviewed through the services.

The cases are invented. They follow what the programme's material describes (police stops and extortion, OST
refused, forced "rehabilitation", discrimination in clinics) and name no person and no place finer than a city.
Registered after courses (it needs their courses and trainer) and before certificates (whose street-lawyer level
counts accepted case records, so the learner's progression shows them).
"""

from datetime import date

from django.db import transaction

from lms.demo import demo_password

from . import services
from .models import CaseRecord, ChecklistItem, MonitoredService, MonitoringVisit, Practice

SECOND_TRAINEE = ("streetlawyer", "Daniel", "en")  # username, display name, language

CASES_PRACTICE = {
    "title": "Documenting rights violations",
    "instructions": (
        "Record each case within a few days, with the person's consent. Write what happened in their words, "
        "without their name. Name an officer only if the person asks you to and it is needed for the complaint. "
        "Give the city, not the street."
    ),
}
MONITORING_PRACTICE = {
    "title": "Monitoring round: harm-reduction services of the region",
    "instructions": (
        "Visit each service as a client would, at the hours it states. Score each question from 0 (not at all) "
        "to 3 (fully), or mark it “not observed”. Write down what you saw, not who you talked to."
    ),
}
SERVICES = [
    {"name": "NSP at the city AIDS centre", "kind": "nsp", "country": "KZ", "city": "Taldykorgan",
     "stated_hours": "Mon–Fri 9:00–17:00"},
    {"name": "Mobile NSP point", "kind": "nsp", "country": "KZ", "city": "Taldykorgan",
     "stated_hours": "Tue, Thu 18:00–21:00"},
    {"name": "OST site at the narcology dispensary", "kind": "ost", "country": "KZ", "city": "Almaty",
     "stated_hours": "Every day 8:00–12:00"},
    {"name": "TB clinic, outpatient department", "kind": "tb", "country": "KZ", "city": "Almaty",
     "stated_hours": "Mon–Sat 8:00–18:00"},
]  # fmt: skip
CHECKLIST = [
    "Open at the stated hours?",
    "Syringes, needles and naloxone in stock?",
    "Staff respectful to clients who use drugs?",
    "Confidentiality respected (no names asked, no police nearby)?",
]

ACCEPTED, SUBMITTED, RETURNED, DRAFT = "accepted", "submitted", "returned", "draft"

# (state, fields, the trainer's comment when returned). Russian for the demo learner, English for Daniel.
LEARNER_CASES = [
    (
        ACCEPTED,
        {
            "incident_date": date(2026, 9, 12),
            "country": "KZ",
            "city": "Алматы",
            "violation_type": "police_violence",
            "actor_kind": "police",
            "help_given": "lawyer",
            "narrative": "Мужчину остановили у аптеки двое сотрудников полиции. Обыскали без понятых, ударили "
            "по почкам, когда он попросил показать документы, и продержали в машине два часа. Протокол не составили.",
            "referral_note": "Связали с юристом программы; он помог написать жалобу в прокуратуру.",
            "consent_note": "Устное согласие при встрече, записано в присутствии аутрич-работника.",
            "consent_given": True,
        },
        "",
    ),
    (
        ACCEPTED,
        {
            "incident_date": date(2026, 10, 3),
            "country": "KZ",
            "city": "Талдыкорган",
            "violation_type": "denial_of_treatment",
            "actor_kind": "health_worker",
            "help_given": "medical",
            "narrative": "Женщине отказали в приёме на заместительную терапию: врач сказал, что «мест нет», хотя "
            "очереди не было, и потребовал справку, которой нет в правилах программы.",
            "referral_note": "Направили к координатору ОЗТ в области; её приняли через неделю.",
            "consent_note": "Согласие по телефону, подтверждено сообщением.",
            "consent_given": True,
        },
        "",
    ),
    (
        RETURNED,
        {
            "incident_date": date(2026, 10, 20),
            "country": "KZ",
            "city": "Алматы",
            "violation_type": "discrimination_health",
            "actor_kind": "health_worker",
            "help_given": "social",
            "narrative": "В поликлинике клиенту отказались делать перевязку, пока он «не пройдёт нарколога», и "
            "громко обсуждали его диагноз в коридоре.",
            "consent_given": True,
        },
        "Опишите, как было получено согласие, и укажите, какая помощь была предложена.",
    ),
    (
        SUBMITTED,
        {
            "incident_date": date(2026, 11, 8),
            "country": "RU",
            "city": "Казань",
            "violation_type": "forced_rehabilitation",
            "actor_kind": "rehabilitation_centre",
            "help_given": "lawyer",
            "narrative": "Родственники по договорённости с частным «реабилитационным центром» увезли мужчину "
            "силой. Три недели его не выпускали, отобрали телефон; после побега он обратился к нам.",
            "consent_note": "Письменное согласие, хранится у юриста.",
            "consent_given": True,
        },
        "",
    ),
    (
        DRAFT,
        {
            "incident_date": date(2026, 11, 25),
            "country": "KZ",
            "city": "Алматы",
            "violation_type": "extortion",
            "narrative": "Сотрудник требовал деньги, угрожая подбросить…",
        },
        "",
    ),
]
SECOND_TRAINEE_CASES = [
    (
        ACCEPTED,
        {
            "incident_date": date(2026, 8, 30),
            "country": "KZ",
            "city": "Almaty",
            "violation_type": "extortion",
            "actor_kind": "police",
            "help_given": "lawyer",
            "narrative": "Two officers stopped a client leaving the NSP, found syringes and said they would "
            "'find something else' unless he paid. He paid what he had and was let go.",
            "referral_note": "Referred to the programme's lawyer; the client decided not to complain for now.",
            "consent_note": "Verbal consent at the drop-in, noted by the outreach worker.",
            "consent_given": True,
        },
        "",
    ),
    (
        ACCEPTED,
        {
            "incident_date": date(2026, 9, 21),
            "country": "KZ",
            "city": "Almaty",
            "violation_type": "police_violence",
            "actor_kind": "police",
            "help_given": "medical",
            "narrative": "A woman was held at the station overnight without a record of detention and was "
            "refused her OST dose in the morning. She had bruises on her arms when released.",
            "referral_note": "Medical examination arranged to record the injuries.",
            "consent_note": "Written consent.",
            "consent_given": True,
        },
        "",
    ),
    (
        ACCEPTED,
        {
            "incident_date": date(2026, 10, 14),
            "country": "KZ",
            "city": "Taldykorgan",
            "violation_type": "discrimination_work",
            "actor_kind": "employer",
            "help_given": "social",
            "narrative": "A warehouse worker was dismissed after his employer learned he was on OST. No written "
            "reason was given.",
            "referral_note": "Referred to a social worker for help with the labour inspectorate.",
            "consent_note": "Verbal consent by phone.",
            "consent_given": True,
        },
        "",
    ),
    (
        ACCEPTED,
        {
            "incident_date": date(2026, 10, 28),
            "country": "UA",
            "city": "Odesa",
            "violation_type": "denial_of_treatment",
            "actor_kind": "health_worker",
            "help_given": "medical",
            "narrative": "An internally displaced client was refused take-home OST doses although the site's "
            "rules allow them for people in his situation.",
            "referral_note": "The community organisation raised it with the site's head physician.",
            "consent_note": "Written consent.",
            "consent_given": True,
        },
        "",
    ),
]
# (state, service index, scores per checklist question (None: not observed), notes, comment when returned)
LEARNER_VISITS = [
    (ACCEPTED, 0, [3, 1, 2, 3], "Открыто вовремя; налоксона нет уже месяц, шприцы только 2 мл.", ""),
    (ACCEPTED, 2, [2, None, 1, 0], "Очередь на улице; охранник переписывает фамилии в журнал.", ""),
    (RETURNED, 1, [0, 0, None, None], "Машины не было.", "Укажите, сколько раз вы приходили и в какие дни."),
    (SUBMITTED, 3, [3, 2, 2, 2], "Приняли без направления, объяснили порядок обследования.", ""),
    (DRAFT, 0, [3, None, None, None], "Второй визит: ", ""),
]
SECOND_TRAINEE_VISITS = [
    (ACCEPTED, 1, [1, 2, 3, 3], "Came 40 minutes late; friendly staff, full stock.", ""),
    (ACCEPTED, 3, [3, None, 2, 2], "Clear signs in Russian and Kazakh; waiting time about an hour.", ""),
]


def _trainee(username: str, display_name: str, language: str):
    from lms.services import User, user_create

    return User.objects.filter(username=username).first() or user_create(
        username=username, password=demo_password(username), display_name=display_name, preferred_language=language
    )


def _enrol(user, course) -> None:
    from courses import services as course_services
    from courses.models import Enrollment

    if not Enrollment.objects.filter(user=user, course_key=course.translation_key).exists():
        course_services.enrollment_create(user=user, course=course)


def _practice(*, trainer, course, kind: str, spec: dict) -> Practice:
    practice = Practice.objects.filter(course_key=course.translation_key, kind=kind).first()
    return practice or services.practice_create(user=trainer, course=course, kind=kind, **spec)


def _checklist(practice: Practice) -> tuple[list[MonitoredService], list[ChecklistItem]]:
    """The trainer's list of services and checklist (kept by the trainer on the practice's page)."""
    for fields in SERVICES:
        if not MonitoredService.objects.filter(practice=practice, name=fields["name"]).exists():
            service = MonitoredService(practice=practice, **fields)
            service.full_clean()
            service.save()
    for order, text in enumerate(CHECKLIST):
        if not ChecklistItem.objects.filter(practice=practice, text=text).exists():
            item = ChecklistItem(practice=practice, text=text, order=order)
            item.full_clean()
            item.save()
    names = [s["name"] for s in SERVICES]
    found = {s.name: s for s in MonitoredService.objects.filter(practice=practice, name__in=names)}
    return [found[name] for name in names], list(ChecklistItem.objects.filter(practice=practice, text__in=CHECKLIST))


def _finish(record, state: str, comment: str, *, trainer) -> None:
    """Take a submitted record to its demo state through the review service."""
    if state == ACCEPTED:
        services.record_review(reviewer=trainer, record=record, accept=True)
    elif state == RETURNED:
        services.record_review(reviewer=trainer, record=record, accept=False, comment=comment)


def _cases(author, practice, plan, *, trainer) -> None:
    if CaseRecord.objects.filter(author=author, practice=practice).exists():
        return  # made by an earlier load_demo
    for state, fields, comment in plan:
        record = services.case_save(user=author, data=fields, practice=practice, submit=state != DRAFT)
        _finish(record, state, comment, trainer=trainer)


def _visits(author, practice, plan, *, trainer, services_list, items) -> None:
    if MonitoringVisit.objects.filter(author=author, practice=practice).exists():
        return
    for state, service_index, scores, notes, comment in plan:
        answers = {item.pk: score for item, score in zip(items, scores, strict=True)}
        if state == DRAFT:
            answers = {pk: score for pk, score in answers.items() if score is not None}
        data = {
            "service": services_list[service_index],
            "visit_date": date(2026, 11, 2 + service_index),
            "notes": notes,
        }
        record = services.visit_save(user=author, data=data, scores=answers, practice=practice, submit=state != DRAFT)
        _finish(record, state, comment, trainer=trainer)


@transaction.atomic
def load(context) -> None:
    courses = context.extra.get("courses") or {}
    trainer, learner = context.users.get("trainer"), context.users.get("learner")
    street, budget = courses.get("street", {}).get("en"), courses.get("budget", {}).get("en")
    if trainer is None or learner is None or street is None or budget is None:
        return
    daniel = _trainee(*SECOND_TRAINEE)
    for person in (learner, daniel):
        _enrol(person, street)
        _enrol(person, budget)
    cases = _practice(trainer=trainer, course=street, kind=Practice.Kind.CASES, spec=CASES_PRACTICE)
    _cases(learner, cases, LEARNER_CASES, trainer=trainer)
    _cases(daniel, cases, SECOND_TRAINEE_CASES, trainer=trainer)
    monitoring = _practice(trainer=trainer, course=budget, kind=Practice.Kind.MONITORING, spec=MONITORING_PRACTICE)
    services_list, items = _checklist(monitoring)
    for person, plan in ((learner, LEARNER_VISITS), (daniel, SECOND_TRAINEE_VISITS)):
        _visits(person, monitoring, plan, trainer=trainer, services_list=services_list, items=items)
    if context.stdout:
        context.stdout.write(
            f"Field practice: case records and a monitoring round in every state; {daniel.username} / "
            f"{demo_password(daniel.username)} is a second trainee."
        )
