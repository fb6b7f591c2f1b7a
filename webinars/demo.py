# ruff: noqa: RUF001 - the Russian and Ukrainian texts are in Cyrillic, which ruff takes for look-alike letters
"""Demo webinars: one live whenever the demo is loaded, one upcoming, one past with Q&A and a closed poll.

Idempotent: pages are found by slug; the live one is moved to "now" on every load.
"""

from datetime import timedelta

from django.utils import timezone

from .models import Poll, PollChoice, PollVote, Question, Registration, WebinarIndexPage, WebinarPage

INDEX = {
    "en": {"title": "Webinars", "intro": "<p>Live sessions with trainers of the network. Ask questions, "
           "anonymously if you prefer, vote on the questions of others and take part in polls.</p>"},
    "ru": {"title": "Вебинары", "intro": "<p>Живые занятия с тренерами сети. Задавайте вопросы, можно "
           "анонимно, голосуйте за вопросы других и участвуйте в опросах.</p>"},
    "uk": {"title": "Вебінари", "intro": "<p>Живі заняття з тренерами мережі. Ставте запитання, можна "
           "анонімно, голосуйте за запитання інших і беріть участь в опитуваннях.</p>"},
}  # fmt: skip

WEBINARS = [
    {
        "slug": "demo-live-budget-questions",
        "title": "Live: reading your city's harm-reduction budget",
        "description": "<p>We open a real city budget together and find the lines that pay for needle "
        "exchange, opioid agonist therapy and outreach. Bring your questions.</p>",
        "language": "ru",
        "when": (timedelta(minutes=-5), timedelta(minutes=85)),
        "capacity": None,
        "qa_mode": WebinarPage.QAMode.MODERATED,
        "stream_url": "https://meet.jit.si/demo-community-learning-budget",
        "track": "budget-advocacy",
    },
    {
        "slug": "demo-upcoming-street-lawyer",
        "title": "Documenting a rights violation: a street lawyer's first hour",
        "description": "<p>What to write down, what to photograph, and what never to put on paper when police "
        "detain someone at a harm-reduction site.</p>",
        "language": "en",
        "when": (timedelta(days=3), timedelta(days=3, minutes=90)),
        "capacity": 40,
        "qa_mode": WebinarPage.QAMode.OPEN,
        "stream_url": "https://meet.jit.si/demo-community-learning-street-lawyers",
        "track": "street-lawyers",
    },
    {
        "slug": "demo-past-advocacy-targets",
        "title": "Setting advocacy goals and targets",
        "description": "<p>From a problem to a goal, and from a goal to targets a city official can say yes to.</p>",
        "language": "ru",
        "when": (timedelta(days=-7), timedelta(days=-7, minutes=90)),
        "capacity": None,
        "qa_mode": WebinarPage.QAMode.OPEN,
        "stream_url": "",
        "recording_url": "https://example.org/recordings/advocacy-targets",
        "track": "budget-advocacy",
    },
]

# The webinars' pages in the other languages: one session each (WebinarPage.session), its page translated.
TRANSLATIONS = {
    "demo-live-budget-questions": {
        "ru": (
            "Прямой эфир: читаем бюджет вашего города на снижение вреда",
            "<p>Вместе открываем настоящий городской бюджет и находим строки, из которых оплачиваются обмен игл, "
            "опиоидная заместительная терапия и аутрич. Приходите с вопросами.</p>",
        ),
        "uk": (
            "Наживо: читаємо бюджет вашого міста на зменшення шкоди",
            "<p>Разом відкриваємо справжній міський бюджет і знаходимо рядки, з яких оплачуються обмін голок, "
            "замісна підтримувальна терапія та аутріч. Приходьте з питаннями.</p>",
        ),
    },
    "demo-upcoming-street-lawyer": {
        "ru": (
            "Документирование нарушения прав: первый час уличного юриста",
            "<p>Что записать, что сфотографировать и чего никогда не доверять бумаге, когда полиция задерживает "
            "человека у пункта снижения вреда.</p>",
        ),
        "uk": (
            "Документування порушення прав: перша година вуличного юриста",
            "<p>Що записати, що сфотографувати і чого ніколи не писати на папері, коли поліція затримує людину "
            "біля пункту зменшення шкоди.</p>",
        ),
    },
    "demo-past-advocacy-targets": {
        "ru": (
            "Цели и задачи адвокации",
            "<p>От проблемы к цели, от цели к задачам, на которые городской чиновник может ответить «да».</p>",
        ),
        "uk": (
            "Цілі та завдання адвокації",
            "<p>Від проблеми до мети, від мети до завдань, на які міський посадовець може сказати «так».</p>",
        ),
    },
}

PAST_QA = [
    # text, anonymous, answer, votes (counts only: who voted is not demo data)
    ("How do we pick a target when the city refuses to publish the budget at all?", True,
     "Start with a freedom-of-information request and make the refusal itself your first target.", 7),
    ("Can a target be about **naloxone** only, or is that too small?", False,
     "Small is good: one clear target you can win builds trust for the next one.", 3),
]  # fmt: skip


def _track(slug: str, language: str = "en"):
    from courses.models import Track

    return Track.objects.filter(slug=slug, locale__language_code=language).first()


def _ensure_translations(context, page: WebinarPage) -> None:
    """The webinar's page in each language of the demo that has its texts (the same session: its times follow
    the source's, as a wagtail-localize sync would copy them)."""
    for code, (title, description) in TRANSLATIONS.get(page.slug, {}).items():
        if code not in context.home_pages:
            continue
        translated = page.get_translation_or_none(context.locale(code))
        if translated is None:
            translated = page.copy_for_translation(context.locale(code)).specific
            translated.title, translated.description = title, description
            translated.track = _track(page.track.slug, code) if page.track else None
        elif (translated.start, translated.end) == (page.start, page.end):
            continue
        translated.start, translated.end = page.start, page.end
        translated.save_revision().publish()


def _ensure_index(context) -> WebinarIndexPage:
    home = context.home_pages["en"]
    index = WebinarIndexPage.objects.child_of(home).first()
    if index is None:
        index = home.add_child(instance=WebinarIndexPage(slug="webinars", show_in_menus=True, **INDEX["en"]))
    for code, home_page in context.home_pages.items():
        if code == "en" or WebinarIndexPage.objects.child_of(home_page).exists():
            continue
        translated = index.copy_for_translation(context.locale(code)).specific
        for attr, value in INDEX.get(code, INDEX["en"]).items():
            setattr(translated, attr, value)
        translated.save_revision().publish()
    return index


def load(context) -> None:
    trainer = context.users["trainer"]
    learner = context.users.get("learner")
    index = _ensure_index(context)
    now = timezone.now().replace(second=0, microsecond=0)
    pages = {}
    for spec in WEBINARS:
        start_offset, end_offset = spec["when"]
        page = WebinarPage.objects.child_of(index).filter(slug=spec["slug"]).first()
        fields = {
            "title": spec["title"],
            "description": spec["description"],
            "language": spec["language"],
            "start": now + start_offset,
            "end": now + end_offset,
            "capacity": spec["capacity"],
            "qa_mode": spec["qa_mode"],
            "stream_url": spec["stream_url"],
            "recording_url": spec.get("recording_url", ""),
            "track": _track(spec["track"]),
        }
        if page is None:
            page = WebinarPage(slug=spec["slug"], **fields)
            page.presenters = [trainer]
            index.add_child(instance=page)
            created = True
        else:
            created = False
            if spec["slug"].startswith("demo-live"):
                page.start, page.end = fields["start"], fields["end"]
                page.save()
        _ensure_translations(context, page)
        pages[spec["slug"]] = (page, created)
        if learner is not None:
            Registration.objects.get_or_create(webinar=page, user=learner)
    past, created = pages["demo-past-advocacy-targets"]
    if created:
        _past_room(past, trainer=trainer, learner=learner)


def _past_room(webinar: WebinarPage, *, trainer, learner) -> None:
    """A finished room as the services would have left it (they refuse changes once a webinar is over)."""
    asked_at = webinar.start + timedelta(minutes=20)
    for text, anonymous, answer, votes in PAST_QA:
        question = Question(
            webinar=webinar, author=learner or trainer, anonymous=anonymous, text=text, answer=answer,
            answered_at=asked_at + timedelta(minutes=5), created_at=asked_at, vote_count=votes,
        )  # fmt: skip
        question.full_clean()
        question.save()
    poll = Poll(
        webinar=webinar, question="Which target will your group work on first?", status=Poll.Status.CLOSED,
        created_by=trainer, created_at=webinar.start + timedelta(minutes=60),
        closed_at=webinar.start + timedelta(minutes=65),
    )  # fmt: skip
    poll.full_clean()
    poll.save()
    choices = [
        PollChoice.objects.create(poll=poll, text=text, position=i, vote_count=count)
        for i, (text, count) in enumerate(
            [("OAT in prisons", 6), ("Naloxone at pharmacies", 9), ("Outreach funding", 4)]
        )
    ]
    if learner is not None:
        PollVote.objects.create(poll=poll, choice=choices[1], user=learner)
