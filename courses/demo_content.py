# ruff: noqa: RUF001, E501 - content: Russian and Ukrainian text in Cyrillic, table rows kept whole
"""The demo courses' text, in English, Russian and Ukrainian, written from the network's own description of its
training-of-trainers programme (budget advocacy; street lawyers). Plain data: demo.py turns it into pages.

Body items are (block type, value); quizzes are written with `quiz(...)`, materials name a library file key.
"""

TRACKS = {
    "budget": {
        "slug": "budget-advocacy",
        "en": ("Budget advocacy", "Reading public budgets and advocating for sustainable harm-reduction funding."),
        "ru": (
            "Бюджетная адвокация",
            "Чтение государственных бюджетов и адвокация устойчивого финансирования снижения вреда.",
        ),
        "uk": (
            "Бюджетна адвокація",
            "Читання державних бюджетів і адвокація сталого фінансування зменшення шкоди.",
        ),
    },
    "street": {
        "slug": "street-lawyers",
        "en": ("Street lawyers", "Human rights, documenting violations and using the evidence in advocacy."),
        "ru": (
            "Уличные юристы",
            "Права человека, документирование нарушений и использование доказательств в адвокации.",
        ),
        "uk": (
            "Вуличні юристи",
            "Права людини, документування порушень і використання доказів в адвокації.",
        ),
    },
}

INDEX = {
    "en": {
        "title": "Courses",
        "intro": "<p>Self-paced training-of-trainers courses for community leaders. Learn at your own pace, "
        "on your phone, and pass what you learn on to your community.</p>",
    },
    "ru": {
        "title": "Курсы",
        "intro": "<p>Курсы для подготовки тренеров из числа лидеров сообщества. Учитесь в своём темпе, "
        "с телефона, и передавайте знания своему сообществу.</p>",
    },
    "uk": {
        "title": "Курси",
        "intro": "<p>Курси з підготовки тренерів із числа лідерів спільноти. Навчайтеся у власному темпі, "
        "з телефона, і передавайте знання своїй спільноті.</p>",
    },
}

MATERIALS = {
    "letter-template": {
        "name": "Advocacy letter template",
        "filename": "advocacy-letter-template.txt",
        "content": (
            "ADVOCACY LETTER TEMPLATE / ШАБЛОН АДВОКАЦИОННОГО ПИСЬМА\n\n"
            "To: [name, position, institution]\nFrom: [organisation, contact person]\nDate: [date]\n\n"
            "1. Who we are (two sentences).\n"
            "2. The problem, with one number from your monitoring or from the budget.\n"
            "3. What exactly we ask for, by when (one request per letter).\n"
            "4. Why it is in the decision-maker's interest (public health, savings, obligations).\n"
            "5. What we offer: data, participation in a working group, a meeting.\n"
            "6. Contact for the answer.\n\n"
            "1. Кто мы (два предложения).\n"
            "2. Проблема, с одной цифрой из вашего мониторинга или бюджета.\n"
            "3. О чём именно мы просим и к какому сроку (одна просьба в письме).\n"
            "4. Почему это в интересах адресата (здоровье населения, экономия, обязательства).\n"
            "5. Что мы предлагаем: данные, участие в рабочей группе, встречу.\n"
            "6. Контакт для ответа.\n"
        ),
    },
    "case-form": {
        "name": "Case documentation form",
        "filename": "case-documentation-form.txt",
        "content": (
            "CASE DOCUMENTATION FORM / ФОРМА ДОКУМЕНТИРОВАНИЯ СЛУЧАЯ\n\n"
            "Case code (no names): ____   Documented by: ____   Date of interview: ____\n"
            "Consent to use the case (anonymously / with name / not at all): ____\n\n"
            "1. What happened? (in the person's words)\n"
            "2. When and where? (date, time, address or institution)\n"
            "3. Who was involved? (positions, badge numbers, institution; no guesses)\n"
            "4. Which right was violated? (health, liberty, protection from torture, privacy...)\n"
            "5. Evidence: medical records, photos, witnesses, documents (where kept).\n"
            "6. What has the person already done? (complaints, answers)\n"
            "7. What does the person want now?\n"
            "8. Risks for the person and how we reduce them.\n"
        ),
    },
}


def quiz(title, *, pass_mark, max_attempts, intro, questions):
    """questions: (text, [(choice, correct), ...], explanation); several correct choices make it multiple."""
    return {
        "title": title,
        "intro": intro,
        "pass_mark": pass_mark,
        "max_attempts": max_attempts,
        "questions": [
            {
                "text": text,
                "multiple": sum(1 for _c, ok in choices if ok) > 1,
                "choices": [{"text": choice, "correct": ok} for choice, ok in choices],
                "explanation": explanation,
            }
            for text, choices, explanation in questions
        ],
    }


BUDGET_EN = {
    "title": "Budget advocacy for community leaders",
    "slug": "budget-advocacy",
    "summary": (
        "How public money for harm reduction is planned, approved and spent, and how a community group can "
        "change those decisions: read the budget, set a goal, find the people who decide, choose methods, and "
        "use community monitoring as evidence."
    ),
    "outcomes": (
        "<ul><li>Explain the four stages of the budget cycle and who decides at each stage.</li>"
        "<li>Find harm-reduction lines in a national or regional budget.</li>"
        "<li>Write a specific, measurable advocacy goal.</li>"
        "<li>Map advocacy targets and allies.</li>"
        "<li>Choose methods, from meetings and letters to short videos.</li>"
        "<li>Plan community monitoring of service quality and use its results.</li></ul>"
    ),
    "hours": "4.0",
    "lessons": [
        {
            "title": "The budget cycle and where decisions are made",
            "slug": "budget-cycle",
            "summary": "Four stages, four windows for advocacy.",
            "minutes": 20,
            "body": [
                (
                    "rich_text",
                    "<p>When international donors leave a country, harm-reduction services survive only if the "
                    "state pays for them. That money is decided in the public budget, and the budget follows a "
                    "cycle that repeats every year. Community leaders who know the cycle know <b>when</b> to "
                    "speak and <b>to whom</b>.</p>"
                    "<h2>The four stages</h2>"
                    "<ol><li><b>Planning.</b> Ministries (health, social protection, interior) and regional "
                    "administrations prepare their requests, usually in the spring. This is the cheapest moment "
                    "to add a line for needles, syringes, naloxone or opioid substitution therapy.</li>"
                    "<li><b>Approval.</b> The ministry of finance combines the requests, the government sends "
                    "the draft budget law to parliament (or the regional council), and deputies amend and "
                    "vote on it, usually in the autumn.</li>"
                    "<li><b>Execution.</b> The money is spent through tenders and procurement. A line that exists "
                    "on paper can still buy the wrong syringes or arrive late.</li>"
                    "<li><b>Reporting and audit.</b> Agencies report what they spent; audit chambers and "
                    "parliamentary committees check it. Reports are public evidence for next year's planning.</li></ol>",
                ),
                (
                    "callout",
                    {
                        "kind": "tip",
                        "title": "Find your calendar",
                        "text": "<p>Ask the finance department of your city or region for the budget calendar: "
                        "the dates when requests are due and when the council votes. Put them in your group's "
                        "calendar now.</p>",
                    },
                ),
                (
                    "markdown",
                    "### Where decisions are made\n\n"
                    "| Stage | Who decides | What the community can do |\n"
                    "|---|---|---|\n"
                    "| Planning | ministry of health, regional health department, AIDS centre | give needs data, join planning groups |\n"
                    "| Approval | ministry of finance, parliament, budget committee | meet deputies, propose amendments |\n"
                    "| Execution | procurement units, tender commissions | monitor tenders and deliveries |\n"
                    "| Reporting | audit chamber, parliamentary committees | compare reports with monitoring results |\n",
                ),
            ],
        },
        {
            "title": "Reading a harm-reduction budget",
            "slug": "reading-a-budget",
            "summary": "Find the lines, compare them with needs, ask the right questions.",
            "minutes": 25,
            "body": [
                (
                    "rich_text",
                    "<p>A budget is a list of numbers with codes. You do not need to understand all of it. You "
                    "need to find the few lines that pay for HIV prevention among people who use drugs, and to "
                    "compare them with what the community needs.</p>"
                    "<h2>Three questions for every line</h2>"
                    "<ul><li><b>How much?</b> The amount this year and last year. Has it grown with prices?</li>"
                    "<li><b>For what?</b> Commodities (syringes, condoms, naloxone, tests), staff salaries, "
                    "rent, outreach. A line that pays only salaries does not put a syringe in anyone's hands.</li>"
                    "<li><b>For how many?</b> Divide the amount by the estimated number of people who inject "
                    "drugs in the region. Compare with international coverage targets: about 200 sterile "
                    "syringes per person per year.</li></ul>",
                ),
                (
                    "callout",
                    {
                        "kind": "example",
                        "title": "Example",
                        "text": "<p>A region budgets money for 150,000 syringes. The estimated number of people "
                        "who inject drugs is 6,000. That is 25 syringes per person per year: one eighth of the "
                        "target. This one division is a strong argument in a meeting.</p>",
                    },
                ),
                (
                    "callout",
                    {
                        "kind": "warning",
                        "title": "Public data only",
                        "text": "<p>Use published budget laws, procurement portals and official reports. Never "
                        "put a community member at risk to obtain a document.</p>",
                    },
                ),
                ("material", "letter-template"),
            ],
        },
        {
            "title": "Setting an advocacy goal",
            "slug": "advocacy-goal",
            "summary": "From a problem to a specific change that someone can decide.",
            "minutes": 25,
            "body": [
                (
                    "rich_text",
                    '<p>A problem is not yet a goal. "Harm reduction is underfunded" is a problem. An advocacy '
                    'goal names <b>a decision</b>, <b>who makes it</b> and <b>by when</b>: "By the regional '
                    "budget vote in November, the regional council adds a line for 300,000 syringes and 2,000 "
                    'naloxone kits."</p>'
                    "<h2>A good goal is</h2>"
                    "<ul><li><b>specific</b>: one decision, not a list of wishes;</li>"
                    "<li><b>measurable</b>: you will know whether it happened;</li>"
                    "<li><b>achievable</b> with your group's strength this year;</li>"
                    "<li><b>relevant</b> to what the community itself says it needs;</li>"
                    "<li><b>time-bound</b>: tied to a date in the budget cycle.</li></ul>"
                    "<p>The community decides its own goals. Ask the people who use the services what hurts "
                    "most, then choose the one change that would help most and can be won.</p>",
                ),
                (
                    "assignment",
                    {
                        "title": "Write your advocacy goal",
                        "prompt": "<p>Write one advocacy goal for your city or region. Say: the decision you want, "
                        "who makes it, by which date in the budget cycle, and how you will know it happened. "
                        "Add two sentences on why the community chose this goal. You may attach your group's "
                        "notes (PDF, Word or a photo).</p>",
                        "required": True,
                        "allow_file": True,
                    },
                ),
            ],
        },
        {
            "title": "Advocacy targets and allies",
            "slug": "targets-and-allies",
            "summary": "Who can say yes, who can influence them, and who stands with you.",
            "minutes": 20,
            "body": [
                (
                    "rich_text",
                    "<p>The <b>primary target</b> is the person or body that can make the decision in your goal: "
                    "the head of the regional health department, the budget committee, the tender commission. "
                    "<b>Secondary targets</b> are people the primary target listens to: deputies, the chief "
                    "narcologist, the AIDS centre, the Country Coordinating Mechanism (CCM) of the Global "
                    "Fund, journalists.</p>"
                    "<h2>Map them</h2>"
                    "<p>Draw two axes: how much influence each person has on the decision, and whether they "
                    "support you, oppose you or do not care yet. Spend your time on the influential people who "
                    "do not care yet: they can be moved.</p>"
                    "<h2>Allies</h2>"
                    "<p>Organisations of people living with HIV, TB patient groups, doctors, lawyers and human "
                    "rights NGOs share many of your goals. A joint letter signed by several organisations is "
                    "harder to ignore than one signature.</p>",
                ),
                (
                    "video",
                    {
                        "title": "Mapping targets: a short talk by a community trainer",
                        "url": "https://video.example.org/watch/targets-and-allies",
                        "duration": "6:40",
                        "caption": "Demo link: replace it with your own recording in the admin.",
                    },
                ),
            ],
        },
        {
            "title": "Methods: from meetings and letters to short videos",
            "slug": "methods",
            "summary": "Choose the method that fits the target and the moment.",
            "minutes": 20,
            "body": [
                (
                    "rich_text",
                    "<p>There is no best method, only the method that fits your target and the stage of the "
                    "budget cycle.</p>"
                    "<ul><li><b>Meetings</b> with officials: prepare one page with the problem, one number and "
                    "one request. Bring a community member who can speak from experience, if they choose to.</li>"
                    "<li><b>Letters and phone calls</b>: keep a copy and a date for every letter; an unanswered "
                    "letter is itself an argument later.</li>"
                    "<li><b>Working groups</b>: a seat for a community representative in the group that plans "
                    "procurement is worth more than many meetings.</li>"
                    "<li><b>Public events and the media</b>: use them when quiet methods did not work, and think "
                    "about the safety of everyone who appears.</li>"
                    "<li><b>Short videos</b>: two minutes, one story, one request. A phone is enough. Ask for "
                    "consent and blur faces where needed.</li></ul>",
                ),
                (
                    "callout",
                    {
                        "kind": "tip",
                        "title": "Combine methods",
                        "text": "<p>Results usually come from many small steps: letters, calls, a meeting, a "
                        "compromise, then another letter. Keep a simple log of every step.</p>",
                    },
                ),
            ],
        },
        {
            "title": "Community monitoring of service quality",
            "slug": "community-monitoring",
            "summary": "How a regional check of needle-and-syringe points opened a seat at the table.",
            "minutes": 30,
            "body": [
                (
                    "rich_text",
                    "<p>Community monitoring means that the people who use a service check whether it works: "
                    "whether it is open, whether it has supplies, whether clients know about it and are treated "
                    "with respect. Officials can argue with opinions; it is harder to argue with a careful "
                    "check.</p>"
                    "<h2>A case from Kazakhstan</h2>"
                    '<p>In 2014, within the regional programme "Harm reduction works - fund it!" supported by '
                    "the Global Fund, the community in Taldykorgan evaluated 9 needle-and-syringe points in "
                    "Almaty Region. <b>Only 4 of the 9 were functioning.</b> Clients did not even know that the "
                    "other 5 existed, and supplies did not meet their needs.</p>"
                    "<p>Throughout 2015 the group worked for one goal: a community representative in the state "
                    "working group that develops the budget for procurement of commodities for these points. "
                    "They presented the monitoring results during a supervisory visit of the CCM to the region, "
                    "and kept writing letters, calling and negotiating, through conflicts and compromises. The "
                    "community representative was included in the working group, and the next tender bought "
                    "materials that meet the community's needs.</p>",
                ),
                (
                    "markdown",
                    "### Plan your own monitoring\n\n"
                    "1. Choose what to check: opening hours, stock, staff attitude, confidentiality.\n"
                    "2. Agree a short checklist and train the monitors.\n"
                    "3. Visit every point, the same way, in the same weeks.\n"
                    "4. Write down facts, not impressions.\n"
                    "5. Present the results to the people who decide, with one clear request.\n",
                ),
                (
                    "quiz",
                    quiz(
                        "Check your understanding",
                        pass_mark=70,
                        max_attempts=3,
                        intro="Four questions about the whole course. You need 70% to pass.",
                        questions=[
                            (
                                "At which stage of the budget cycle is it cheapest to add a new line for syringes?",
                                [("Planning", True), ("Audit", False), ("Execution", False)],
                                "Requests are prepared during planning; later stages only change what is already there.",
                            ),
                            (
                                "Which of these is an advocacy goal rather than a problem?",
                                [
                                    ("Harm reduction is underfunded.", False),
                                    ("By the November vote, the council funds 300,000 syringes.", True),
                                    ("Officials do not listen to us.", False),
                                ],
                                "A goal names a decision, who makes it and when.",
                            ),
                            (
                                "How many of the 9 needle-and-syringe points in Almaty Region were functioning?",
                                [("All 9", False), ("4", True), ("None", False)],
                                "Only 4 of 9 were functioning; clients did not know the other 5 existed.",
                            ),
                            (
                                "Which are secondary targets: people the decision-maker listens to?",
                                [
                                    ("Deputies on the budget committee", True),
                                    ("Journalists", True),
                                    ("The tender commission that signs the contract", False),
                                ],
                                "The commission decides itself: it is a primary target.",
                            ),
                        ],
                    ),
                ),
            ],
        },
    ],
}

BUDGET_RU = {
    "title": "Бюджетная адвокация для лидеров сообщества",
    "slug": "budget-advocacy",
    "summary": (
        "Как планируются, утверждаются и расходуются государственные деньги на снижение вреда и как группа "
        "сообщества может повлиять на эти решения: прочитать бюджет, поставить цель, найти тех, кто решает, "
        "выбрать методы и использовать мониторинг сообщества как доказательство."
    ),
    "outcomes": (
        "<ul><li>Объяснить четыре этапа бюджетного цикла и кто принимает решения на каждом из них.</li>"
        "<li>Найти статьи на снижение вреда в национальном или региональном бюджете.</li>"
        "<li>Сформулировать конкретную измеримую цель адвокации.</li>"
        "<li>Составить карту целевых аудиторий и союзников.</li>"
        "<li>Выбрать методы: от встреч и писем до коротких видео.</li>"
        "<li>Спланировать мониторинг качества услуг силами сообщества и использовать его результаты.</li></ul>"
    ),
    "hours": "4.0",
    "lessons": [
        {
            "title": "Бюджетный цикл и где принимаются решения",
            "slug": "budget-cycle",
            "summary": "Четыре этапа — четыре окна для адвокации.",
            "minutes": 20,
            "body": [
                (
                    "rich_text",
                    "<p>Когда международные доноры уходят из страны, услуги снижения вреда выживают, только если "
                    "за них платит государство. Эти деньги определяются в бюджете, а бюджет проходит цикл, "
                    "который повторяется каждый год. Лидер сообщества, который знает цикл, знает, <b>когда</b> "
                    "говорить и <b>с кем</b>.</p>"
                    "<h2>Четыре этапа</h2>"
                    "<ol><li><b>Планирование.</b> Министерства (здравоохранения, социальной защиты, внутренних "
                    "дел) и областные администрации готовят свои заявки, обычно весной. Это самый дешёвый момент, "
                    "чтобы добавить статью на иглы, шприцы, налоксон или опиоидную заместительную терапию.</li>"
                    "<li><b>Утверждение.</b> Министерство финансов сводит заявки, правительство вносит проект "
                    "закона о бюджете в парламент (или областной совет), депутаты вносят поправки и голосуют, "
                    "обычно осенью.</li>"
                    "<li><b>Исполнение.</b> Деньги тратятся через тендеры и закупки. Статья, которая есть на "
                    "бумаге, всё равно может купить не те шприцы или прийти с опозданием.</li>"
                    "<li><b>Отчётность и аудит.</b> Ведомства отчитываются о расходах; счётные палаты и "
                    "парламентские комитеты их проверяют. Отчёты — открытое доказательство для планирования "
                    "следующего года.</li></ol>",
                ),
                (
                    "callout",
                    {
                        "kind": "tip",
                        "title": "Узнайте свой календарь",
                        "text": "<p>Запросите в финансовом управлении города или области бюджетный календарь: "
                        "сроки подачи заявок и дату голосования в совете. Внесите их в календарь своей группы "
                        "прямо сейчас.</p>",
                    },
                ),
                (
                    "markdown",
                    "### Где принимаются решения\n\n"
                    "| Этап | Кто решает | Что может сделать сообщество |\n"
                    "|---|---|---|\n"
                    "| Планирование | минздрав, областной департамент здравоохранения, СПИД-центр | дать данные о потребностях, войти в рабочие группы |\n"
                    "| Утверждение | минфин, парламент, бюджетный комитет | встретиться с депутатами, предложить поправки |\n"
                    "| Исполнение | отделы закупок, тендерные комиссии | следить за тендерами и поставками |\n"
                    "| Отчётность | счётная палата, комитеты парламента | сравнить отчёты с результатами мониторинга |\n",
                ),
            ],
        },
        {
            "title": "Как читать бюджет на снижение вреда",
            "slug": "reading-a-budget",
            "summary": "Найти статьи, сравнить их с потребностями, задать правильные вопросы.",
            "minutes": 25,
            "body": [
                (
                    "rich_text",
                    "<p>Бюджет — это список цифр с кодами. Понимать его целиком не нужно. Нужно найти несколько "
                    "статей, из которых оплачивается профилактика ВИЧ среди людей, употребляющих наркотики, и "
                    "сравнить их с тем, что нужно сообществу.</p>"
                    "<h2>Три вопроса к каждой статье</h2>"
                    "<ul><li><b>Сколько?</b> Сумма в этом году и в прошлом. Выросла ли она вместе с ценами?</li>"
                    "<li><b>На что?</b> Расходные материалы (шприцы, презервативы, налоксон, тесты), зарплаты, "
                    "аренда, аутрич. Статья, которая оплачивает только зарплаты, не даёт никому ни одного "
                    "шприца.</li>"
                    "<li><b>На скольких?</b> Разделите сумму на оценочное число людей, употребляющих наркотики "
                    "инъекционно, в регионе. Сравните с международными целями охвата: около 200 стерильных "
                    "шприцев на человека в год.</li></ul>",
                ),
                (
                    "callout",
                    {
                        "kind": "example",
                        "title": "Пример",
                        "text": "<p>Область закладывает деньги на 150 000 шприцев. Оценочное число людей, "
                        "употребляющих инъекционные наркотики, — 6 000. Это 25 шприцев на человека в год: одна "
                        "восьмая от цели. Одно это деление — сильный аргумент на встрече.</p>",
                    },
                ),
                (
                    "callout",
                    {
                        "kind": "warning",
                        "title": "Только открытые данные",
                        "text": "<p>Используйте опубликованные законы о бюджете, порталы госзакупок и "
                        "официальные отчёты. Никогда не подвергайте человека из сообщества риску ради "
                        "документа.</p>",
                    },
                ),
                ("material", "letter-template"),
            ],
        },
        {
            "title": "Как поставить цель адвокации",
            "slug": "advocacy-goal",
            "summary": "От проблемы к конкретному изменению, которое кто-то может принять.",
            "minutes": 25,
            "body": [
                (
                    "rich_text",
                    "<p>Проблема — ещё не цель. «Снижение вреда недофинансировано» — это проблема. Цель "
                    "адвокации называет <b>решение</b>, <b>кто его принимает</b> и <b>к какому сроку</b>: «К "
                    "голосованию по областному бюджету в ноябре областной совет добавляет статью на 300 000 "
                    "шприцев и 2 000 наборов налоксона».</p>"
                    "<h2>Хорошая цель</h2>"
                    "<ul><li><b>конкретная</b>: одно решение, а не список пожеланий;</li>"
                    "<li><b>измеримая</b>: вы узнаете, случилось ли это;</li>"
                    "<li><b>достижимая</b> силами вашей группы в этом году;</li>"
                    "<li><b>важная</b> для самого сообщества;</li>"
                    "<li><b>ограниченная сроком</b>: привязана к дате бюджетного цикла.</li></ul>"
                    "<p>Сообщество само определяет свои цели. Спросите тех, кто пользуется услугами, что болит "
                    "сильнее всего, и выберите одно изменение, которое поможет больше всего и которого можно "
                    "добиться.</p>",
                ),
                (
                    "assignment",
                    {
                        "title": "Сформулируйте свою цель адвокации",
                        "prompt": "<p>Напишите одну цель адвокации для вашего города или области. Укажите: "
                        "какое решение вы хотите, кто его принимает, к какой дате бюджетного цикла и как вы "
                        "поймёте, что оно принято. Добавьте два предложения о том, почему сообщество выбрало "
                        "эту цель. Можно приложить заметки группы (PDF, Word или фото).</p>",
                        "required": True,
                        "allow_file": True,
                    },
                ),
            ],
        },
        {
            "title": "Целевые аудитории и союзники",
            "slug": "targets-and-allies",
            "summary": "Кто может сказать «да», кто на них влияет и кто на вашей стороне.",
            "minutes": 20,
            "body": [
                (
                    "rich_text",
                    "<p><b>Основная целевая аудитория</b> — человек или орган, который может принять решение из "
                    "вашей цели: глава областного департамента здравоохранения, бюджетный комитет, тендерная "
                    "комиссия. <b>Вторичные аудитории</b> — те, к кому прислушивается основная: депутаты, "
                    "главный нарколог, СПИД-центр, Страновой координационный механизм (СКК) Глобального фонда, "
                    "журналисты.</p>"
                    "<h2>Составьте карту</h2>"
                    "<p>Нарисуйте две оси: насколько человек влияет на решение и поддерживает ли он вас, "
                    "противостоит или пока равнодушен. Тратьте время на влиятельных, но равнодушных: их можно "
                    "переубедить.</p>"
                    "<h2>Союзники</h2>"
                    "<p>Организации людей, живущих с ВИЧ, группы пациентов с туберкулёзом, врачи, юристы и "
                    "правозащитные НКО разделяют многие ваши цели. Совместное письмо за подписью нескольких "
                    "организаций сложнее проигнорировать, чем одну подпись.</p>",
                ),
                (
                    "video",
                    {
                        "title": "Карта целевых аудиторий: короткое выступление тренера сообщества",
                        "url": "https://video.example.org/watch/targets-and-allies-ru",
                        "duration": "6:40",
                        "caption": "Демонстрационная ссылка: замените её своей записью в админке.",
                    },
                ),
            ],
        },
        {
            "title": "Методы: от встреч и писем до коротких видео",
            "slug": "methods",
            "summary": "Выберите метод, который подходит аудитории и моменту.",
            "minutes": 20,
            "body": [
                (
                    "rich_text",
                    "<p>Лучшего метода нет — есть метод, который подходит вашей аудитории и этапу бюджетного "
                    "цикла.</p>"
                    "<ul><li><b>Встречи</b> с чиновниками: подготовьте одну страницу — проблема, одна цифра, "
                    "одна просьба. Возьмите с собой человека из сообщества, который может рассказать о своём "
                    "опыте, если он сам этого хочет.</li>"
                    "<li><b>Письма и звонки</b>: сохраняйте копию и дату каждого письма; письмо без ответа "
                    "потом само становится аргументом.</li>"
                    "<li><b>Рабочие группы</b>: место для представителя сообщества в группе, которая планирует "
                    "закупки, стоит больше многих встреч.</li>"
                    "<li><b>Публичные акции и СМИ</b>: используйте их, когда тихие методы не сработали, и "
                    "думайте о безопасности каждого, кто появляется публично.</li>"
                    "<li><b>Короткие видео</b>: две минуты, одна история, одна просьба. Телефона достаточно. "
                    "Спрашивайте согласие и размывайте лица, где нужно.</li></ul>",
                ),
                (
                    "callout",
                    {
                        "kind": "tip",
                        "title": "Сочетайте методы",
                        "text": "<p>Результат обычно складывается из многих маленьких шагов: письма, звонки, "
                        "встреча, компромисс, потом снова письмо. Ведите простой журнал каждого шага.</p>",
                    },
                ),
            ],
        },
        {
            "title": "Мониторинг качества услуг силами сообщества",
            "slug": "community-monitoring",
            "summary": "Как проверка пунктов обмена шприцев в области открыла место за столом переговоров.",
            "minutes": 30,
            "body": [
                (
                    "rich_text",
                    "<p>Мониторинг силами сообщества — это когда люди, пользующиеся услугой, сами проверяют, "
                    "работает ли она: открыт ли пункт, есть ли расходные материалы, знают ли о нём клиенты, "
                    "уважительно ли к ним относятся. С мнением чиновники спорят; с аккуратной проверкой спорить "
                    "труднее.</p>"
                    "<h2>Случай из Казахстана</h2>"
                    "<p>В 2014 году в рамках региональной программы «Снижение вреда работает — финансируй!» при "
                    "поддержке Глобального фонда сообщество в Талдыкоргане оценило 9 пунктов обмена шприцев в "
                    "Алматинской области. <b>Работали только 4 из 9.</b> Клиенты даже не знали о существовании "
                    "остальных 5, а расходные материалы не соответствовали их потребностям.</p>"
                    "<p>Весь 2015 год группа добивалась одной цели: включить представителя сообщества в "
                    "государственную рабочую группу, которая формирует бюджет на закупку расходных материалов "
                    "для этих пунктов. Результаты мониторинга прозвучали во время надзорного визита СКК в "
                    "область, а группа продолжала писать письма, звонить и договариваться — через конфликты и "
                    "компромиссы. Представителя сообщества включили в рабочую группу, и на следующем тендере "
                    "закупили материалы, которые отвечают потребностям сообщества.</p>",
                ),
                (
                    "markdown",
                    "### Спланируйте свой мониторинг\n\n"
                    "1. Выберите, что проверять: часы работы, запасы, отношение персонала, конфиденциальность.\n"
                    "2. Договоритесь о коротком чек-листе и обучите мониторов.\n"
                    "3. Посетите каждый пункт одинаковым образом и в одни и те же недели.\n"
                    "4. Записывайте факты, а не впечатления.\n"
                    "5. Представьте результаты тем, кто принимает решения, с одной ясной просьбой.\n",
                ),
                (
                    "quiz",
                    quiz(
                        "Проверьте себя",
                        pass_mark=70,
                        max_attempts=3,
                        intro="Четыре вопроса по всему курсу. Для зачёта нужно 70%.",
                        questions=[
                            (
                                "На каком этапе бюджетного цикла проще всего добавить новую статью на шприцы?",
                                [("Планирование", True), ("Аудит", False), ("Исполнение", False)],
                                "Заявки готовятся при планировании; позже меняется только то, что уже есть.",
                            ),
                            (
                                "Что из этого — цель адвокации, а не проблема?",
                                [
                                    ("Снижение вреда недофинансировано.", False),
                                    ("К голосованию в ноябре совет финансирует 300 000 шприцев.", True),
                                    ("Чиновники нас не слушают.", False),
                                ],
                                "Цель называет решение, кто его принимает и когда.",
                            ),
                            (
                                "Сколько из 9 пунктов обмена шприцев в Алматинской области работали?",
                                [("Все 9", False), ("4", True), ("Ни одного", False)],
                                "Работали только 4 из 9; о существовании остальных 5 клиенты не знали.",
                            ),
                            (
                                "Кто относится к вторичным аудиториям — к тем, кого слушает лицо, принимающее решение?",
                                [
                                    ("Депутаты бюджетного комитета", True),
                                    ("Журналисты", True),
                                    ("Тендерная комиссия, которая подписывает договор", False),
                                ],
                                "Комиссия решает сама: это основная аудитория.",
                            ),
                        ],
                    ),
                ),
            ],
        },
    ],
}

STREET_EN = {
    "title": "Street lawyers: human rights and drug policy",
    "slug": "street-lawyers",
    "summary": (
        "A practical course for community paralegals: the rights of people who use drugs, what to do at a police "
        "stop and in detention, how to document a violation so that it holds, and how documented cases change "
        "policy."
    ),
    "outcomes": (
        "<ul><li>Name the rights most often violated and where they are written.</li>"
        "<li>Explain a person's rights at a police stop and in detention.</li>"
        "<li>Document a case safely, with consent and evidence.</li>"
        "<li>Turn a set of documented cases into an advocacy appeal.</li></ul>"
    ),
    "hours": "3.0",
    "lessons": [
        {
            "title": "Rights of people who use drugs and drug policy in the region",
            "slug": "rights-and-drug-policy",
            "summary": "Why repressive drug policy drives HIV, and which rights protect people.",
            "minutes": 20,
            "body": [
                (
                    "rich_text",
                    "<p>Across Eastern Europe and Central Asia, drug policy is mostly repressive: possession of a "
                    'small amount can mean prison, registration as a "drug user" follows a person for years, '
                    "and fear of the police keeps people away from needle exchanges, HIV testing and treatment. "
                    "Repressive policy and limited access to treatment, including in AIDS and TB hospitals, feed "
                    "the HIV epidemic.</p>"
                    "<h2>Rights that belong to everyone, including people who use drugs</h2>"
                    "<ul><li>the right to health, including harm reduction and drug treatment of one's choice;</li>"
                    "<li>freedom from torture and cruel, inhuman or degrading treatment;</li>"
                    "<li>the right to liberty and to a fair trial;</li>"
                    "<li>the right to privacy, including medical confidentiality;</li>"
                    "<li>freedom from discrimination.</li></ul>"
                    "<p>These rights are written in your country's constitution and in international treaties "
                    "the state has signed. A street lawyer's job is not to win court cases alone, but to help "
                    "people know these rights, use them, and record when they are broken.</p>",
                ),
                (
                    "callout",
                    {
                        "kind": "tip",
                        "title": "Keep the sources close",
                        "text": "<p>Save on your phone the articles of the constitution and the criminal procedure "
                        "code on detention and on the right to a lawyer. Quote them exactly.</p>",
                    },
                ),
            ],
        },
        {
            "title": "Rights at police stops and in detention",
            "slug": "police-and-detention",
            "summary": "What the police may and may not do, and what to say.",
            "minutes": 25,
            "body": [
                (
                    "rich_text",
                    "<p>Most violations start in the street. Knowing a few rules calmly and exactly protects "
                    "people.</p>"
                    "<h2>At a stop</h2>"
                    "<ul><li>Ask the officer's name, rank and the reason for the stop. Remember the badge "
                    "number.</li>"
                    "<li>A search needs a legal basis and, in most countries of the region, witnesses and a "
                    "written record. Do not resist physically; say clearly that you do not agree.</li>"
                    '<li>Do not sign a record you have not read or that is wrong. Write "I do not agree" '
                    "and why.</li></ul>"
                    "<h2>In detention</h2>"
                    "<ul><li>You have the right to a lawyer from the moment of detention and to inform a "
                    "relative.</li>"
                    "<li>Withdrawal is a medical condition: ask for a doctor and for your treatment, including "
                    "opioid substitution therapy, to continue.</li>"
                    "<li>Any confession obtained under pressure or during withdrawal can be challenged: tell "
                    "the lawyer and the judge.</li></ul>",
                ),
                (
                    "callout",
                    {
                        "kind": "warning",
                        "title": "Safety first",
                        "text": "<p>Never put yourself or the person at greater risk to collect evidence at the "
                        "scene. Write everything down as soon as you are safe.</p>",
                    },
                ),
            ],
        },
        {
            "title": "Documenting violations: a practical exercise",
            "slug": "documenting-violations",
            "summary": "Consent, facts, evidence: a case that holds.",
            "minutes": 35,
            "body": [
                (
                    "rich_text",
                    "<p>A documented case is a story told in a way that others can check. One well-documented "
                    "case is worth more than ten rumours; twelve well-documented cases can open an "
                    "inspection.</p>"
                    "<h2>The rules</h2>"
                    "<ol><li><b>Consent first.</b> The person decides whether and how the case is used: "
                    "anonymously, with their name, or not at all.</li>"
                    "<li><b>Facts, not opinions.</b> Date, time, place, who did what, in the person's own "
                    "words.</li>"
                    "<li><b>Evidence.</b> Medical records, photos of injuries, names of witnesses, copies of "
                    "documents. Write down where each piece is kept.</li>"
                    "<li><b>Confidentiality.</b> Use a case code, not the name, in every file you share. Keep "
                    "the list that links codes to names separately and safely.</li></ol>",
                ),
                ("material", "case-form"),
                (
                    "assignment",
                    {
                        "title": "Document a case",
                        "prompt": "<p>Using the case documentation form, document one case: a real one with the "
                        "person's consent and no names, or an invented one based on situations you know. Fill "
                        "in every section, and say which right was violated and what evidence exists. Paste "
                        "the text below or attach the filled form.</p>",
                        "required": True,
                        "allow_file": True,
                    },
                ),
            ],
        },
        {
            "title": "From documented cases to advocacy",
            "slug": "cases-to-advocacy",
            "summary": "How documented abuses in private rehabilitation centres led to inspections.",
            "minutes": 30,
            "body": [
                (
                    "rich_text",
                    "<p>Documented cases become advocacy when they are collected, checked and brought to the "
                    "people who have the power to act.</p>"
                    "<h2>A case from Tatarstan</h2>"
                    "<p>With the support of the regional network and of the Eurasian Network of People who Use "
                    "Drugs, community organisations in Russia documented more than 40 cases of torture and "
                    'violence against people who use drugs under the pretext of "rehabilitation", some of '
                    "which ended in death. A community representative in Kazan documented 12 such stories in "
                    "six months.</p>"
                    "<p>The group appealed to the Public Chamber and to the Ombudsman of the Republic of "
                    "Tatarstan with the documented facts. At a meeting with the Ombudsman, the state addiction "
                    "services, lawyers and human rights NGOs, it was decided to set up a committee to monitor "
                    "organisations that offer rehabilitation. Its appeal to the President of the Republic led "
                    "to an order for the prosecutor's office to inspect: 35 private rehabilitation centres "
                    "were checked, serious violations were found, 18 administrative cases were opened, and "
                    "proceedings against 19 centres banned their operation until they fixed the "
                    "violations.</p>",
                ),
                (
                    "quiz",
                    quiz(
                        "Check your understanding",
                        pass_mark=75,
                        max_attempts=3,
                        intro="Four questions about the whole course. You need 75% to pass.",
                        questions=[
                            (
                                "Who decides whether a documented case may be used, and how?",
                                [
                                    ("The person it happened to", True),
                                    ("The street lawyer", False),
                                    ("The police", False),
                                ],
                                "Consent comes first: anonymously, with the name, or not at all.",
                            ),
                            (
                                "Which belong in a case record?",
                                [
                                    ("Date, time and place", True),
                                    ("The badge number of the officer", True),
                                    ("Your guess about why the officer did it", False),
                                ],
                                "Facts that others can check, not opinions.",
                            ),
                            (
                                "A detained person is in withdrawal. What should they ask for?",
                                [("A doctor and continued treatment", True), ("Nothing, to avoid trouble", False)],
                                "Withdrawal is a medical condition; treatment, including OST, should continue.",
                            ),
                            (
                                "What did the documented cases in Tatarstan lead to?",
                                [
                                    ("A monitoring committee and inspections by the prosecutor's office", True),
                                    ("Nothing: the appeals were ignored", False),
                                    ("A new criminal law on drug use", False),
                                ],
                                "35 centres were inspected and 19 were banned from operating until they fixed violations.",
                            ),
                        ],
                    ),
                ),
            ],
        },
    ],
}

STREET_RU = {
    "title": "Уличные юристы: права человека и наркополитика",
    "slug": "street-lawyers",
    "summary": (
        "Практический курс для параюристов из сообщества: права людей, употребляющих наркотики, что делать при "
        "задержании полицией и под стражей, как задокументировать нарушение так, чтобы оно выдержало проверку, "
        "и как задокументированные случаи меняют политику."
    ),
    "outcomes": (
        "<ul><li>Назвать права, которые нарушаются чаще всего, и где они записаны.</li>"
        "<li>Объяснить права человека при остановке полицией и под стражей.</li>"
        "<li>Безопасно задокументировать случай — с согласием и доказательствами.</li>"
        "<li>Превратить набор задокументированных случаев в адвокационное обращение.</li></ul>"
    ),
    "hours": "3.0",
    "lessons": [
        {
            "title": "Права людей, употребляющих наркотики, и наркополитика в регионе",
            "slug": "rights-and-drug-policy",
            "summary": "Почему репрессивная наркополитика подпитывает ВИЧ и какие права защищают людей.",
            "minutes": 20,
            "body": [
                (
                    "rich_text",
                    "<p>В Восточной Европе и Центральной Азии наркополитика в основном репрессивная: хранение "
                    "небольшого количества может означать тюрьму, учёт как «потребителя наркотиков» преследует "
                    "человека годами, а страх перед полицией удерживает людей от пунктов обмена шприцев, "
                    "тестирования на ВИЧ и лечения. Репрессивная политика и ограниченный доступ к лечению, в том "
                    "числе в СПИД-центрах и туберкулёзных больницах, подпитывают эпидемию ВИЧ.</p>"
                    "<h2>Права, которые есть у всех, включая людей, употребляющих наркотики</h2>"
                    "<ul><li>право на здоровье, включая снижение вреда и лечение зависимости по своему "
                    "выбору;</li>"
                    "<li>свобода от пыток и жестокого, бесчеловечного или унижающего достоинство "
                    "обращения;</li>"
                    "<li>право на свободу и справедливый суд;</li>"
                    "<li>право на частную жизнь, включая врачебную тайну;</li>"
                    "<li>свобода от дискриминации.</li></ul>"
                    "<p>Эти права записаны в конституции вашей страны и в международных договорах, которые "
                    "подписало государство. Задача уличного юриста — не выигрывать суды в одиночку, а помогать "
                    "людям знать эти права, пользоваться ими и фиксировать, когда их нарушают.</p>",
                ),
                (
                    "callout",
                    {
                        "kind": "tip",
                        "title": "Держите источники под рукой",
                        "text": "<p>Сохраните в телефоне статьи конституции и уголовно-процессуального кодекса о "
                        "задержании и о праве на адвоката. Цитируйте их дословно.</p>",
                    },
                ),
            ],
        },
        {
            "title": "Права при остановке полицией и под стражей",
            "slug": "police-and-detention",
            "summary": "Что полиция может и чего не может делать и что говорить.",
            "minutes": 25,
            "body": [
                (
                    "rich_text",
                    "<p>Большинство нарушений начинается на улице. Спокойное и точное знание нескольких правил "
                    "защищает людей.</p>"
                    "<h2>При остановке</h2>"
                    "<ul><li>Спросите фамилию, звание сотрудника и причину остановки. Запомните номер "
                    "жетона.</li>"
                    "<li>Для досмотра нужно законное основание и, в большинстве стран региона, понятые и "
                    "протокол. Не сопротивляйтесь физически; ясно скажите, что вы не согласны.</li>"
                    "<li>Не подписывайте протокол, который вы не прочитали или который неверен. Напишите «С "
                    "протоколом не согласен» и почему.</li></ul>"
                    "<h2>Под стражей</h2>"
                    "<ul><li>У вас есть право на адвоката с момента задержания и право сообщить "
                    "родственнику.</li>"
                    "<li>Абстиненция — это медицинское состояние: требуйте врача и продолжения лечения, "
                    "включая опиоидную заместительную терапию.</li>"
                    "<li>Признание, полученное под давлением или во время абстиненции, можно оспорить: "
                    "скажите об этом адвокату и судье.</li></ul>",
                ),
                (
                    "callout",
                    {
                        "kind": "warning",
                        "title": "Безопасность прежде всего",
                        "text": "<p>Никогда не подвергайте себя или человека большему риску ради сбора "
                        "доказательств на месте. Запишите всё, как только окажетесь в безопасности.</p>",
                    },
                ),
            ],
        },
        {
            "title": "Документирование нарушений: практическое упражнение",
            "slug": "documenting-violations",
            "summary": "Согласие, факты, доказательства: случай, который выдержит проверку.",
            "minutes": 35,
            "body": [
                (
                    "rich_text",
                    "<p>Задокументированный случай — это история, рассказанная так, что другие могут её "
                    "проверить. Один хорошо задокументированный случай стоит больше десяти слухов; двенадцать "
                    "хорошо задокументированных случаев могут открыть проверку.</p>"
                    "<h2>Правила</h2>"
                    "<ol><li><b>Сначала согласие.</b> Человек сам решает, использовать ли его случай и как: "
                    "анонимно, с именем или никак.</li>"
                    "<li><b>Факты, а не мнения.</b> Дата, время, место, кто что сделал — словами самого "
                    "человека.</li>"
                    "<li><b>Доказательства.</b> Медицинские документы, фото травм, имена свидетелей, копии "
                    "документов. Запишите, где хранится каждое.</li>"
                    "<li><b>Конфиденциальность.</b> В каждом файле, которым вы делитесь, используйте код "
                    "случая, а не имя. Список, связывающий коды с именами, храните отдельно и надёжно.</li></ol>",
                ),
                ("material", "case-form"),
                (
                    "assignment",
                    {
                        "title": "Задокументируйте случай",
                        "prompt": "<p>По форме документирования задокументируйте один случай: реальный — с "
                        "согласия человека и без имён — или придуманный на основе знакомых вам ситуаций. "
                        "Заполните все разделы и укажите, какое право нарушено и какие есть доказательства. "
                        "Вставьте текст ниже или приложите заполненную форму.</p>",
                        "required": True,
                        "allow_file": True,
                    },
                ),
            ],
        },
        {
            "title": "От задокументированных случаев к адвокации",
            "slug": "cases-to-advocacy",
            "summary": "Как задокументированные нарушения в частных реабилитационных центрах привели к проверкам.",
            "minutes": 30,
            "body": [
                (
                    "rich_text",
                    "<p>Задокументированные случаи становятся адвокацией, когда их собирают, проверяют и "
                    "приносят тем, у кого есть власть действовать.</p>"
                    "<h2>Случай из Татарстана</h2>"
                    "<p>При поддержке региональной сети и Евразийской сети людей, употребляющих наркотики, "
                    "организации сообщества в России задокументировали более 40 случаев пыток и насилия над "
                    "людьми, употребляющими наркотики, под предлогом «реабилитации»; некоторые закончились "
                    "смертью. Представитель сообщества в Казани за полгода задокументировал 12 таких "
                    "историй.</p>"
                    "<p>Группа обратилась в Общественную палату и к Уполномоченному по правам человека в "
                    "Республике Татарстан с задокументированными фактами. На встрече с Уполномоченным, "
                    "представителями государственной наркологической службы, юристами и правозащитными НКО "
                    "решили создать комитет по мониторингу организаций, оказывающих реабилитационные услуги. "
                    "Его обращение к Президенту Республики привело к поручению прокуратуре провести проверку: "
                    "проверили 35 частных реабилитационных центров, нашли серьёзные нарушения, возбудили 18 дел "
                    "об административных правонарушениях, а по 19 центрам начали производство, запретив им "
                    "работать до устранения нарушений.</p>",
                ),
                (
                    "quiz",
                    quiz(
                        "Проверьте себя",
                        pass_mark=75,
                        max_attempts=3,
                        intro="Четыре вопроса по всему курсу. Для зачёта нужно 75%.",
                        questions=[
                            (
                                "Кто решает, можно ли использовать задокументированный случай и как?",
                                [
                                    ("Человек, с которым это произошло", True),
                                    ("Уличный юрист", False),
                                    ("Полиция", False),
                                ],
                                "Сначала согласие: анонимно, с именем или никак.",
                            ),
                            (
                                "Что должно быть в записи о случае?",
                                [
                                    ("Дата, время и место", True),
                                    ("Номер жетона сотрудника", True),
                                    ("Ваша догадка о том, почему сотрудник так поступил", False),
                                ],
                                "Факты, которые другие могут проверить, а не мнения.",
                            ),
                            (
                                "У задержанного абстиненция. Что ему следует требовать?",
                                [("Врача и продолжения лечения", True), ("Ничего, чтобы не было проблем", False)],
                                "Абстиненция — медицинское состояние; лечение, включая ОЗТ, должно продолжаться.",
                            ),
                            (
                                "К чему привели задокументированные случаи в Татарстане?",
                                [
                                    ("К комитету по мониторингу и проверкам прокуратуры", True),
                                    ("Ни к чему: обращения проигнорировали", False),
                                    ("К новому уголовному закону об употреблении наркотиков", False),
                                ],
                                "Проверили 35 центров; 19 запретили работать до устранения нарушений.",
                            ),
                        ],
                    ),
                ),
            ],
        },
    ],
}

BUDGET_UK = {
    "title": "Бюджетна адвокація для лідерів спільноти",
    "slug": "budget-advocacy",
    "summary": (
        "Як державні кошти на зменшення шкоди плануються, затверджуються й витрачаються і як група спільноти "
        "може змінити ці рішення: прочитати бюджет, поставити мету, знайти тих, хто ухвалює рішення, обрати "
        "методи й використати моніторинг силами спільноти як доказ."
    ),
    "outcomes": (
        "<ul><li>Пояснити чотири етапи бюджетного циклу і хто ухвалює рішення на кожному з них.</li>"
        "<li>Знайти статті на зменшення шкоди в державному чи обласному бюджеті.</li>"
        "<li>Сформулювати конкретну, вимірювану мету адвокації.</li>"
        "<li>Скласти карту цільових аудиторій і союзників.</li>"
        "<li>Обрати методи: від зустрічей і листів до коротких відео.</li>"
        "<li>Спланувати моніторинг якості послуг силами спільноти й використати його результати.</li></ul>"
    ),
    "hours": "4.0",
    "lessons": [
        {
            "title": "Бюджетний цикл і де ухвалюються рішення",
            "slug": "budget-cycle",
            "summary": "Чотири етапи — чотири вікна для адвокації.",
            "minutes": 20,
            "body": [
                (
                    "rich_text",
                    "<p>Коли міжнародні донори йдуть із країни, послуги зменшення шкоди виживають, лише якщо за "
                    "них платить держава. Ці гроші розподіляються в державному бюджеті, а бюджет проходить цикл, "
                    "що повторюється щороку. Лідери спільноти, які знають цей цикл, знають, <b>коли</b> говорити "
                    "і <b>до кого</b>.</p>"
                    "<h2>Чотири етапи</h2>"
                    "<ol><li><b>Планування.</b> Міністерства (охорони здоров’я, соціальної політики, внутрішніх "
                    "справ) і обласні адміністрації готують свої запити, зазвичай навесні. Це найдешевший момент, "
                    "щоб додати статтю на голки, шприци, налоксон чи замісну підтримувальну терапію.</li>"
                    "<li><b>Затвердження.</b> Міністерство фінансів зводить запити, уряд вносить проєкт закону "
                    "про бюджет до парламенту (або до обласної ради), а депутати вносять поправки й голосують, "
                    "зазвичай восени.</li>"
                    "<li><b>Виконання.</b> Гроші витрачаються через тендери й закупівлі. Стаття, яка існує на "
                    "папері, все одно може купити не ті шприци або надійти із запізненням.</li>"
                    "<li><b>Звітність і аудит.</b> Відомства звітують про витрати; рахункові палати й "
                    "парламентські комітети це перевіряють. Звіти — публічний доказ для планування наступного "
                    "року.</li></ol>",
                ),
                (
                    "callout",
                    {
                        "kind": "tip",
                        "title": "Дізнайтеся свій календар",
                        "text": "<p>Попросіть фінансове управління вашого міста чи області бюджетний календар: "
                        "дати, коли подаються запити і коли голосує рада. Внесіть їх до календаря вашої групи "
                        "вже зараз.</p>",
                    },
                ),
                (
                    "markdown",
                    "### Де ухвалюються рішення\n\n"
                    "| Етап | Хто вирішує | Що може зробити спільнота |\n"
                    "|---|---|---|\n"
                    "| Планування | міністерство охорони здоров’я, обласний департамент охорони здоров’я, центр СНІДу | надати дані про потреби, увійти до робочих груп із планування |\n"
                    "| Затвердження | міністерство фінансів, парламент, бюджетний комітет | зустрічатися з депутатами, пропонувати поправки |\n"
                    "| Виконання | підрозділи закупівель, тендерні комісії | стежити за тендерами й поставками |\n"
                    "| Звітність | рахункова палата, парламентські комітети | порівнювати звіти з результатами моніторингу |\n",
                ),
            ],
        },
        {
            "title": "Як читати бюджет на зменшення шкоди",
            "slug": "reading-a-budget",
            "summary": "Знайдіть статті, порівняйте їх із потребами, поставте правильні запитання.",
            "minutes": 25,
            "body": [
                (
                    "rich_text",
                    "<p>Бюджет — це перелік чисел із кодами. Вам не треба розуміти його весь. Треба знайти кілька "
                    "статей, з яких оплачується профілактика ВІЛ серед людей, які вживають наркотики, і порівняти "
                    "їх із тим, що потрібно спільноті.</p>"
                    "<h2>Три запитання до кожної статті</h2>"
                    "<ul><li><b>Скільки?</b> Сума цього й минулого року. Чи зросла вона разом із цінами?</li>"
                    "<li><b>На що?</b> Витратні матеріали (шприци, презервативи, налоксон, тести), зарплати "
                    "персоналу, оренда, аутріч. Стаття, з якої платять лише зарплати, не дасть нікому в руки "
                    "жодного шприца.</li>"
                    "<li><b>На скільки людей?</b> Поділіть суму на оціночну кількість людей, які вживають "
                    "ін’єкційні наркотики в регіоні. Порівняйте з міжнародними цілями охоплення: близько 200 "
                    "стерильних шприців на людину на рік.</li></ul>",
                ),
                (
                    "callout",
                    {
                        "kind": "example",
                        "title": "Приклад",
                        "text": "<p>Область закладає в бюджет гроші на 150 000 шприців. Оціночна кількість людей, "
                        "які вживають ін’єкційні наркотики, — 6 000. Це 25 шприців на людину на рік: одна восьма "
                        "від цілі. Одне це ділення — сильний аргумент на зустрічі.</p>",
                    },
                ),
                (
                    "callout",
                    {
                        "kind": "warning",
                        "title": "Лише відкриті дані",
                        "text": "<p>Користуйтеся опублікованими законами про бюджет, порталами закупівель і "
                        "офіційними звітами. Ніколи не наражайте члена спільноти на ризик, щоб отримати "
                        "документ.</p>",
                    },
                ),
                ("material", "letter-template"),
            ],
        },
        {
            "title": "Як поставити мету адвокації",
            "slug": "advocacy-goal",
            "summary": "Від проблеми до конкретної зміни, яку хтось може ухвалити.",
            "minutes": 25,
            "body": [
                (
                    "rich_text",
                    "<p>Проблема — це ще не мета. «Зменшення шкоди недофінансоване» — це проблема. Мета адвокації "
                    "називає <b>рішення</b>, <b>хто його ухвалює</b> і <b>до якого терміну</b>: «До голосування "
                    "за обласний бюджет у листопаді обласна рада додає статтю на 300 000 шприців і 2 000 наборів "
                    "налоксону».</p>"
                    "<h2>Добра мета</h2>"
                    "<ul><li><b>конкретна</b>: одне рішення, а не перелік побажань;</li>"
                    "<li><b>вимірювана</b>: ви знатимете, чи це сталося;</li>"
                    "<li><b>досяжна</b> силами вашої групи цього року;</li>"
                    "<li><b>доречна</b>: відповідає тому, що сама спільнота називає своєю потребою;</li>"
                    "<li><b>обмежена в часі</b>: прив’язана до дати бюджетного циклу.</li></ul>"
                    "<p>Спільнота сама визначає свої цілі. Запитайте людей, які користуються послугами, що болить "
                    "найбільше, а тоді оберіть одну зміну, яка допоможе найбільше й якої можна домогтися.</p>",
                ),
                (
                    "assignment",
                    {
                        "title": "Сформулюйте свою мету адвокації",
                        "prompt": "<p>Напишіть одну мету адвокації для вашого міста чи області. Укажіть: яке "
                        "рішення ви хочете, хто його ухвалює, до якої дати бюджетного циклу і як ви дізнаєтеся, "
                        "що воно відбулося. Додайте два речення про те, чому спільнота обрала саме цю мету. "
                        "Можна додати нотатки вашої групи (PDF, Word або фото).</p>",
                        "required": True,
                        "allow_file": True,
                    },
                ),
            ],
        },
        {
            "title": "Цільові аудиторії та союзники",
            "slug": "targets-and-allies",
            "summary": "Хто може сказати «так», хто може на них вплинути і хто на вашому боці.",
            "minutes": 20,
            "body": [
                (
                    "rich_text",
                    "<p><b>Основна цільова аудиторія</b> — людина чи орган, що може ухвалити рішення з вашої мети: "
                    "керівник обласного департаменту охорони здоров’я, бюджетний комітет, тендерна комісія. "
                    "<b>Вторинні аудиторії</b> — ті, кого слухає основна: депутати, головний нарколог, центр "
                    "СНІДу, Національна координаційна рада (Country Coordinating Mechanism, CCM) Глобального "
                    "фонду, журналісти.</p>"
                    "<h2>Складіть карту</h2>"
                    "<p>Накресліть дві осі: наскільки кожна людина впливає на рішення і чи вона вас підтримує, "
                    "протидіє чи поки байдужа. Витрачайте час на впливових, але байдужих: їх можна "
                    "переконати.</p>"
                    "<h2>Союзники</h2>"
                    "<p>Організації людей, які живуть із ВІЛ, групи пацієнтів із туберкульозом, лікарі, юристи "
                    "та правозахисні НУО поділяють багато ваших цілей. Спільний лист за підписами кількох "
                    "організацій важче проігнорувати, ніж один підпис.</p>",
                ),
                (
                    "video",
                    {
                        "title": "Карта цільових аудиторій: короткий виступ тренера спільноти",
                        "url": "https://video.example.org/watch/targets-and-allies-uk",
                        "duration": "6:40",
                        "caption": "Демонстраційне посилання: замініть його своїм записом в адмінці.",
                    },
                ),
            ],
        },
        {
            "title": "Методи: від зустрічей і листів до коротких відео",
            "slug": "methods",
            "summary": "Оберіть метод, що пасує до аудиторії й моменту.",
            "minutes": 20,
            "body": [
                (
                    "rich_text",
                    "<p>Найкращого методу немає, є лише метод, що пасує до вашої аудиторії та етапу бюджетного "
                    "циклу.</p>"
                    "<ul><li><b>Зустрічі</b> з посадовцями: підготуйте одну сторінку з проблемою, однією цифрою "
                    "й одним проханням. Візьміть із собою члена спільноти, який може розповісти з власного "
                    "досвіду, якщо він сам цього хоче.</li>"
                    "<li><b>Листи й телефонні дзвінки</b>: зберігайте копію й дату кожного листа; лист без "
                    "відповіді згодом сам стає аргументом.</li>"
                    "<li><b>Робочі групи</b>: місце для представника спільноти в групі, що планує закупівлі, "
                    "варте більше, ніж багато зустрічей.</li>"
                    "<li><b>Публічні заходи та медіа</b>: вдавайтеся до них, коли тихі методи не спрацювали, і "
                    "думайте про безпеку кожного, хто з’являється публічно.</li>"
                    "<li><b>Короткі відео</b>: дві хвилини, одна історія, одне прохання. Телефону достатньо. "
                    "Попросіть згоди й розмийте обличчя, де треба.</li></ul>",
                ),
                (
                    "callout",
                    {
                        "kind": "tip",
                        "title": "Поєднуйте методи",
                        "text": "<p>Результат зазвичай складається з багатьох маленьких кроків: листи, дзвінки, "
                        "зустріч, компроміс, потім ще один лист. Ведіть простий журнал кожного кроку.</p>",
                    },
                ),
            ],
        },
        {
            "title": "Моніторинг якості послуг силами спільноти",
            "slug": "community-monitoring",
            "summary": "Як обласна перевірка пунктів обміну шприців дала місце за столом переговорів.",
            "minutes": 30,
            "body": [
                (
                    "rich_text",
                    "<p>Моніторинг силами спільноти означає, що люди, які користуються послугою, перевіряють, чи "
                    "вона працює: чи відкрита, чи є витратні матеріали, чи знають про неї клієнти і чи ставляться "
                    "до них із повагою. З думками посадовці можуть сперечатися; із ретельною перевіркою "
                    "сперечатися важче.</p>"
                    "<h2>Випадок із Казахстану</h2>"
                    "<p>У 2014 році в межах регіональної програми «Зменшення шкоди працює — фінансуйте!» за "
                    "підтримки Глобального фонду спільнота в Талдикоргані оцінила 9 пунктів обміну голок і "
                    "шприців в Алматинській області. <b>Працювали лише 4 з 9.</b> Клієнти навіть не знали, що "
                    "інші 5 існують, а витратні матеріали не відповідали їхнім потребам.</p>"
                    "<p>Протягом 2015 року група працювала на одну мету: представник спільноти в державній "
                    "робочій групі, що розробляє бюджет на закупівлю витратних матеріалів для цих пунктів. "
                    "Вони представили результати моніторингу під час наглядового візиту CCM до області й далі "
                    "писали листи, телефонували й домовлялися — крізь конфлікти й компроміси. Представника "
                    "спільноти включили до робочої групи, і на наступному тендері закупили матеріали, які "
                    "відповідають потребам спільноти.</p>",
                ),
                (
                    "markdown",
                    "### Сплануйте власний моніторинг\n\n"
                    "1. Оберіть, що перевіряти: години роботи, запаси, ставлення персоналу, конфіденційність.\n"
                    "2. Погодьте короткий контрольний список і навчіть моніторів.\n"
                    "3. Відвідайте кожен пункт однаково, в ті самі тижні.\n"
                    "4. Записуйте факти, а не враження.\n"
                    "5. Представте результати тим, хто ухвалює рішення, з одним чітким проханням.\n",
                ),
                (
                    "quiz",
                    quiz(
                        "Перевірте себе",
                        pass_mark=70,
                        max_attempts=3,
                        intro="Чотири запитання за всім курсом. Для заліку потрібно 70%.",
                        questions=[
                            (
                                "На якому етапі бюджетного циклу найдешевше додати нову статтю на шприци?",
                                [("Планування", True), ("Аудит", False), ("Виконання", False)],
                                "Запити готують під час планування; пізніші етапи лише змінюють те, що вже є.",
                            ),
                            (
                                "Що з цього — мета адвокації, а не проблема?",
                                [
                                    ("Зменшення шкоди недофінансоване.", False),
                                    ("До голосування в листопаді рада фінансує 300 000 шприців.", True),
                                    ("Посадовці нас не слухають.", False),
                                ],
                                "Мета називає рішення, хто його ухвалює і коли.",
                            ),
                            (
                                "Скільки з 9 пунктів обміну голок і шприців в Алматинській області працювали?",
                                [("Усі 9", False), ("4", True), ("Жоден", False)],
                                "Працювали лише 4 з 9; про існування інших 5 клієнти не знали.",
                            ),
                            (
                                "Хто належить до вторинних аудиторій — тих, кого слухає особа, що ухвалює рішення?",
                                [
                                    ("Депутати бюджетного комітету", True),
                                    ("Журналісти", True),
                                    ("Тендерна комісія, яка підписує договір", False),
                                ],
                                "Комісія вирішує сама: це основна аудиторія.",
                            ),
                        ],
                    ),
                ),
            ],
        },
    ],
}

STREET_UK = {
    "title": "Вуличні юристи: права людини та наркополітика",
    "slug": "street-lawyers",
    "summary": (
        "Практичний курс для параюристів зі спільноти: права людей, які вживають наркотики, що робити під час "
        "зупинки поліцією і під вартою, як задокументувати порушення так, щоб це мало вагу, і як "
        "задокументовані випадки змінюють політику."
    ),
    "outcomes": (
        "<ul><li>Назвати права, які порушують найчастіше, і де вони записані.</li>"
        "<li>Пояснити права людини під час зупинки поліцією і під вартою.</li>"
        "<li>Безпечно задокументувати випадок — зі згодою та доказами.</li>"
        "<li>Перетворити низку задокументованих випадків на адвокаційне звернення.</li></ul>"
    ),
    "hours": "3.0",
    "lessons": [
        {
            "title": "Права людей, які вживають наркотики, і наркополітика в регіоні",
            "slug": "rights-and-drug-policy",
            "summary": "Чому репресивна наркополітика живить ВІЛ і які права захищають людей.",
            "minutes": 20,
            "body": [
                (
                    "rich_text",
                    "<p>У Східній Європі та Центральній Азії наркополітика переважно репресивна: зберігання "
                    "невеликої кількості може означати в’язницю, облік як «споживача наркотиків» переслідує "
                    "людину роками, а страх перед поліцією відштовхує людей від обміну шприців, тестування на "
                    "ВІЛ і лікування. Репресивна політика й обмежений доступ до лікування, зокрема в лікарнях "
                    "для людей із ВІЛ і туберкульозом, підживлюють епідемію ВІЛ.</p>"
                    "<h2>Права, які належать усім, зокрема людям, які вживають наркотики</h2>"
                    "<ul><li>право на здоров’я, зокрема на зменшення шкоди й лікування залежності за власним "
                    "вибором;</li>"
                    "<li>свобода від катувань і жорстокого, нелюдського чи такого, що принижує гідність, "
                    "поводження;</li>"
                    "<li>право на свободу та на справедливий суд;</li>"
                    "<li>право на приватність, зокрема на лікарську таємницю;</li>"
                    "<li>свобода від дискримінації.</li></ul>"
                    "<p>Ці права записані в конституції вашої країни та в міжнародних договорах, які підписала "
                    "держава. Завдання вуличного юриста — не вигравати суди самотужки, а допомагати людям знати "
                    "ці права, користуватися ними й фіксувати, коли їх порушують.</p>",
                ),
                (
                    "callout",
                    {
                        "kind": "tip",
                        "title": "Тримайте джерела під рукою",
                        "text": "<p>Збережіть у телефоні статті конституції та кримінального процесуального "
                        "кодексу про затримання й право на адвоката. Цитуйте їх дослівно.</p>",
                    },
                ),
            ],
        },
        {
            "title": "Права під час зупинки поліцією і під вартою",
            "slug": "police-and-detention",
            "summary": "Що поліція може і чого не може робити і що казати.",
            "minutes": 25,
            "body": [
                (
                    "rich_text",
                    "<p>Більшість порушень починається на вулиці. Кілька правил, знаних спокійно й точно, "
                    "захищають людей.</p>"
                    "<h2>Під час зупинки</h2>"
                    "<ul><li>Запитайте ім’я, звання поліцейського і причину зупинки. Запам’ятайте номер "
                    "жетона.</li>"
                    "<li>Для обшуку потрібна законна підстава, а в більшості країн регіону — ще й поняті та "
                    "письмовий протокол. Не чиніть фізичного опору; чітко скажіть, що ви не згодні.</li>"
                    "<li>Не підписуйте протокол, якого ви не прочитали або який неправильний. Напишіть «Не "
                    "згоден / не згодна» і чому.</li></ul>"
                    "<h2>Під вартою</h2>"
                    "<ul><li>Ви маєте право на адвоката з моменту затримання і право повідомити родича.</li>"
                    "<li>Абстинентний синдром — це медичний стан: попросіть лікаря і продовження вашого "
                    "лікування, зокрема замісної підтримувальної терапії.</li>"
                    "<li>Будь-яке зізнання, отримане під тиском або під час абстиненції, можна оскаржити: "
                    "скажіть про це адвокатові й судді.</li></ul>",
                ),
                (
                    "callout",
                    {
                        "kind": "warning",
                        "title": "Безпека понад усе",
                        "text": "<p>Ніколи не наражайте себе чи людину на більший ризик, щоб зібрати докази на "
                        "місці. Запишіть усе, щойно будете в безпеці.</p>",
                    },
                ),
            ],
        },
        {
            "title": "Документування порушень: практична вправа",
            "slug": "documenting-violations",
            "summary": "Згода, факти, докази: випадок, який має вагу.",
            "minutes": 35,
            "body": [
                (
                    "rich_text",
                    "<p>Задокументований випадок — це історія, розказана так, що інші можуть її перевірити. Один "
                    "добре задокументований випадок вартий більше, ніж десять чуток; дванадцять добре "
                    "задокументованих випадків можуть відкрити перевірку.</p>"
                    "<h2>Правила</h2>"
                    "<ol><li><b>Спершу згода.</b> Людина вирішує, чи і як використовувати випадок: анонімно, з "
                    "її ім’ям або взагалі ні.</li>"
                    "<li><b>Факти, а не думки.</b> Дата, час, місце, хто що зробив — словами самої "
                    "людини.</li>"
                    "<li><b>Докази.</b> Медичні документи, фото травм, імена свідків, копії документів. "
                    "Запишіть, де зберігається кожен доказ.</li>"
                    "<li><b>Конфіденційність.</b> У кожному файлі, яким ви ділитеся, використовуйте код "
                    "випадку, а не ім’я. Список, що пов’язує коди з іменами, зберігайте окремо й надійно.</li></ol>",
                ),
                ("material", "case-form"),
                (
                    "assignment",
                    {
                        "title": "Задокументуйте випадок",
                        "prompt": "<p>За формою документування випадку задокументуйте один випадок: справжній — "
                        "зі згоди людини й без імен — або вигаданий на основі ситуацій, які ви знаєте. Заповніть "
                        "кожен розділ і вкажіть, яке право порушено і які є докази. Вставте текст нижче або "
                        "додайте заповнену форму.</p>",
                        "required": True,
                        "allow_file": True,
                    },
                ),
            ],
        },
        {
            "title": "Від задокументованих випадків до адвокації",
            "slug": "cases-to-advocacy",
            "summary": "Як задокументовані зловживання в приватних реабілітаційних центрах привели до перевірок.",
            "minutes": 30,
            "body": [
                (
                    "rich_text",
                    "<p>Задокументовані випадки стають адвокацією, коли їх зібрано, перевірено й донесено до "
                    "тих, хто має владу діяти.</p>"
                    "<h2>Випадок із Татарстану</h2>"
                    "<p>За підтримки регіональної мережі та Євразійської мережі людей, які вживають наркотики, "
                    "організації спільноти в Росії задокументували понад 40 випадків катувань і насильства щодо "
                    "людей, які вживають наркотики, під приводом «реабілітації»; деякі з них закінчилися "
                    "смертю. Представник спільноти в Казані за пів року задокументував 12 таких історій.</p>"
                    "<p>Група звернулася із задокументованими фактами до Громадської палати й Уповноваженого з "
                    "прав людини в Республіці Татарстан. На зустрічі з Уповноваженим, державною наркологічною "
                    "службою, юристами й правозахисними НУО вирішили створити комітет для моніторингу "
                    "організацій, що пропонують реабілітацію. Його звернення до Президента Республіки привело до "
                    "доручення прокуратурі провести перевірку: перевірили 35 приватних реабілітаційних центрів, "
                    "виявили серйозні порушення, відкрили 18 адміністративних справ, а провадження щодо 19 "
                    "центрів заборонили їм працювати, доки вони не усунуть порушень.</p>",
                ),
                (
                    "quiz",
                    quiz(
                        "Перевірте себе",
                        pass_mark=75,
                        max_attempts=3,
                        intro="Чотири запитання за всім курсом. Для заліку потрібно 75%.",
                        questions=[
                            (
                                "Хто вирішує, чи можна використати задокументований випадок і як?",
                                [
                                    ("Людина, з якою це сталося", True),
                                    ("Вуличний юрист", False),
                                    ("Поліція", False),
                                ],
                                "Спершу згода: анонімно, з ім’ям або взагалі ні.",
                            ),
                            (
                                "Що має бути в записі про випадок?",
                                [
                                    ("Дата, час і місце", True),
                                    ("Номер жетона поліцейського", True),
                                    ("Ваша здогадка, чому поліцейський так учинив", False),
                                ],
                                "Факти, які інші можуть перевірити, а не думки.",
                            ),
                            (
                                "У затриманої людини абстиненція. Про що їй слід попросити?",
                                [("Лікаря й продовження лікування", True), ("Ні про що, щоб уникнути проблем", False)],
                                "Абстиненція — це медичний стан; лікування, зокрема ЗПТ, має тривати.",
                            ),
                            (
                                "До чого привели задокументовані випадки в Татарстані?",
                                [
                                    ("До комітету з моніторингу й перевірок прокуратури", True),
                                    ("Ні до чого: звернення проігнорували", False),
                                    ("До нового кримінального закону про вживання наркотиків", False),
                                ],
                                "Перевірили 35 центрів, а 19 заборонили працювати, доки вони не усунуть порушень.",
                            ),
                        ],
                    ),
                ),
            ],
        },
    ],
}

COURSES = {
    "budget": {"track": "budget", "en": BUDGET_EN, "ru": BUDGET_RU, "uk": BUDGET_UK},
    "street": {"track": "street", "en": STREET_EN, "ru": STREET_RU, "uk": STREET_UK},
}
