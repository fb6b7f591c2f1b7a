"""The eligibility engine: for each user and level, each requirement met or not, with progress and evidence.

It reads only the bulk selectors of courses, webinars and practice plus this app's own tables, so evaluating one
user or ten thousand costs the same fixed number of queries (one more per distinct course scope of the ladder's
field-practice requirements, which the ladder fixes, not the number of people or records). The source of
progress data is injectable only so that the engine's rules can be unit-tested in isolation; everything else
uses `SelectorSource`.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from django.contrib.auth import get_user_model
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lms.caching import cached

from .models import Certificate, Level, PracticeRecordKind, Requirement, RequirementKind, texts_prefetch


class ProgressSource(Protocol):
    def course_completions(self, *, user_ids: list[int] | None) -> dict[int, list]: ...
    def approved_assignments(self, *, user_ids: list[int] | None) -> dict[int, list]: ...
    def webinar_attendance(self, *, user_ids: list[int] | None) -> dict[int, list]: ...
    def webinars_presented(self, *, user_ids: list[int] | None) -> dict[int, list]: ...
    def accepted_practice(
        self, *, user_ids: list[int] | None, course_keys: list | None
    ) -> dict[int, dict[str, int]]: ...


class SelectorSource:
    """The real source: the courses, webinars and practice apps' bulk selectors."""

    def course_completions(self, *, user_ids):
        from courses.selectors import course_completions

        return course_completions(user_ids=user_ids)

    def approved_assignments(self, *, user_ids):
        from courses.selectors import approved_assignments

        return approved_assignments(user_ids=user_ids)

    def webinar_attendance(self, *, user_ids):
        from webinars.selectors import webinar_attendance

        return webinar_attendance(user_ids=user_ids)

    def webinars_presented(self, *, user_ids):
        from webinars.selectors import webinars_presented

        return webinars_presented(user_ids=user_ids)

    def accepted_practice(self, *, user_ids, course_keys):
        from practice.selectors import accepted_record_counts

        return accepted_record_counts(user_ids=user_ids, course_keys=course_keys)


@dataclass(slots=True)
class Evidence:
    """One fact that counts toward a requirement (a course, a webinar, a certificate held)."""

    title: str
    date: datetime | None = None
    detail: str = ""

    def as_json(self) -> dict[str, Any]:
        return {"title": self.title, "date": self.date.isoformat() if self.date else None, "detail": self.detail}


@dataclass(slots=True)
class RequirementProgress:
    requirement: Requirement
    label: str
    done: int
    needed: int
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def met(self) -> bool:
        return self.done >= self.needed

    @property
    def percent(self) -> int:
        return 100 if self.needed == 0 else min(100, round(100 * self.done / self.needed))


@dataclass
class LevelProgress:
    level: Level
    requirements: list[RequirementProgress]
    certificate: Certificate | None  # the valid certificate held for this level, if any

    @property
    def held(self) -> bool:
        return self.certificate is not None

    @property
    def complete(self) -> bool:
        """Every requirement met. A level without requirements is never complete: a certifier decides, issuing
        it outside the rules with a reason (otherwise such a level would go to everyone, or be issued to everyone
        automatically)."""
        return bool(self.requirements) and all(r.met for r in self.requirements)

    @property
    def eligible(self) -> bool:
        """Every requirement met and no valid certificate yet: ready to be issued."""
        return self.complete and not self.held

    @property
    def percent(self) -> int:
        if not self.requirements:
            return 0
        return round(sum(r.percent for r in self.requirements) / len(self.requirements))

    @property
    def latest_evidence_at(self) -> datetime | None:
        dates = [e.date for r in self.requirements for e in r.evidence if e.date]
        return max(dates) if dates else None

    def evidence_json(self) -> list[dict[str, Any]]:
        return [
            {
                "requirement": r.label,
                "met": r.met,
                "done": r.done,
                "needed": r.needed,
                "evidence": [e.as_json() for e in r.evidence],
            }
            for r in self.requirements
        ]


@dataclass
class UserProgress:
    user_id: int
    levels: list[LevelProgress]

    @property
    def current(self) -> LevelProgress | None:
        """The highest level on the ladder that the user holds."""
        held = [lp for lp in self.levels if lp.held]
        return held[-1] if held else None

    @property
    def next(self) -> LevelProgress | None:
        """The first level on the ladder that the user does not hold yet and can work toward: a level without
        requirements is given by a certifier's decision, so it has no checklist to show as "next"."""
        return next((lp for lp in self.levels if not lp.held and lp.requirements), None)

    def for_level(self, level_id: int) -> LevelProgress | None:
        return next((lp for lp in self.levels if lp.level.pk == level_id), None)


def ladder() -> list[Level]:
    """Levels in ladder order with requirements and translations (three queries)."""
    return list(
        Level.objects.prefetch_related(
            Prefetch("requirements", queryset=Requirement.objects.select_related("required_level")),
            texts_prefetch(),
        )
    )


def display_ladder(language: str) -> tuple[list[Level], dict[int, str]]:
    """The ladder and its requirement labels for *showing* progress (dashboard, my progression), kept in each
    process until levels, requirements, their translations, tracks or course titles change (lms/caching):
    five queries fewer per page. Deciding (issuance, the certifiers' queue) always reads them fresh."""

    def read():
        levels = ladder()
        return levels, requirement_labels(levels, language)

    return cached(f"certificates:display-ladder:{language}", read)


def level_names(language: str) -> dict[int, str]:
    """Every level's name in `language` by id, kept like the display ladder, for pages that show a certificate's
    level (the verification page): a small entry, cheap to read on every check."""
    return cached(
        f"certificates:level-names:{language}",
        lambda: {level.pk: level.localized_name(language) for level in display_ladder(language)[0]},
    )


def _names_by_key(keys: set, queryset, language: str, field_name: str) -> dict:
    """Localised names of translatable rows by translation_key, preferring `language` (one query)."""
    names: dict = {}
    if not keys:
        return names
    for key, lang, name in queryset.filter(translation_key__in=keys).values_list(
        "translation_key", "locale__language_code", field_name
    ):
        if key not in names or lang == language:
            names[key] = name
    return names


def requirement_labels(levels: Iterable[Level], language: str) -> dict[int, str]:
    """A readable sentence per requirement, in `language` (two queries: course titles, track names)."""
    from wagtail.models import Page

    from courses.models import Track

    requirements = [r for level in levels for r in level.requirements.all()]
    courses = _names_by_key({r.course_key for r in requirements if r.course_key}, Page.objects, language, "title")
    tracks = _names_by_key({r.track_key for r in requirements if r.track_key}, Track.objects, language, "name")
    labels = {}
    for r in requirements:
        course = courses.get(r.course_key, _("a course that no longer exists"))
        track = tracks.get(r.track_key)
        if r.kind == RequirementKind.COURSE_COMPLETED:
            label = _("Complete the course “%(course)s”") % {"course": course}
            if r.min_quiz_score is not None:
                label += " " + _("with a quiz score of at least %(score)s%%") % {"score": r.min_quiz_score}
        elif r.kind == RequirementKind.WEBINARS_ATTENDED:
            label = ngettext("Attend %(count)s webinar", "Attend %(count)s webinars", r.count) % {"count": r.count}
            if track:
                label += " " + _("of the track “%(track)s”") % {"track": track}
            if r.min_share_percent:
                label += " " + _("(present at least %(share)s%% of the time)") % {"share": r.min_share_percent}
        elif r.kind == RequirementKind.WEBINARS_PRESENTED:
            label = ngettext("Present %(count)s webinar", "Present %(count)s webinars", r.count) % {"count": r.count}
            if track:
                label += " " + _("of the track “%(track)s”") % {"track": track}
        elif r.kind == RequirementKind.ASSIGNMENT_APPROVED:
            label = ngettext("Have %(count)s assignment approved", "Have %(count)s assignments approved", r.count) % {
                "count": r.count
            }
            if r.course_key:
                label += " " + _("in the course “%(course)s”") % {"course": course}
        elif r.kind == RequirementKind.PRACTICE_ACCEPTED:
            if r.record_kind == PracticeRecordKind.VISITS:
                label = ngettext(
                    "Have %(count)s monitoring visit accepted", "Have %(count)s monitoring visits accepted", r.count
                ) % {"count": r.count}
            else:
                label = ngettext(
                    "Have %(count)s case record accepted", "Have %(count)s case records accepted", r.count
                ) % {"count": r.count}
            if r.course_key:
                label += " " + _("in the practice of the course “%(course)s”") % {"course": course}
        else:
            name = r.required_level.localized_name(language) if r.required_level else "?"
            label = _("Hold the level “%(level)s”") % {"level": name}
        labels[r.pk] = label
    return labels


@dataclass(frozen=True)
class _Texts:
    """Translated evidence details, looked up once per evaluation rather than once per item."""

    score: str
    attended: str

    @classmethod
    def current(cls) -> "_Texts":
        return cls(score=_("quiz score %(score)s%%"), attended=_("%(share)s%% attended"))


def _evaluate(
    requirement: Requirement,
    *,
    completions: list,
    assignments: list,
    attendance: list,
    presented: list,
    practice: dict,
    held: dict[int, Certificate],
    language: str,
    texts: _Texts,
) -> tuple[int, int, list[Evidence]]:
    """(done, needed, evidence) of one requirement for one user."""
    kind = requirement.kind
    if kind == RequirementKind.COURSE_COMPLETED:
        minimum = requirement.min_quiz_score
        matching = [
            c
            for c in completions
            if c.course_key == requirement.course_key
            and (minimum is None or (c.quiz_score is not None and c.quiz_score >= minimum))
        ]
        evidence = [
            Evidence(
                c.course_title,
                c.completed_at,
                texts.score % {"score": round(c.quiz_score)} if c.quiz_score is not None else "",
            )
            for c in matching[:1]
        ]
        return len(evidence), 1, evidence
    if kind == RequirementKind.WEBINARS_ATTENDED:
        minimum_share = requirement.min_share_percent / 100
        seen: dict = {}
        for a in attendance:
            if a.share + 1e-9 >= minimum_share and (not requirement.track_key or a.track_key == requirement.track_key):
                seen.setdefault(a.webinar_id, a)
        evidence = [
            Evidence(a.webinar_title, a.start, texts.attended % {"share": round(a.share * 100)})
            for a in sorted(seen.values(), key=lambda a: a.start)
        ]
        return min(len(evidence), requirement.count), requirement.count, evidence
    if kind == RequirementKind.WEBINARS_PRESENTED:
        seen = {}
        for p in presented:
            if not requirement.track_key or p.track_key == requirement.track_key:
                seen.setdefault(p.webinar_id, p)
        evidence = [Evidence(p.webinar_title, p.start) for p in sorted(seen.values(), key=lambda p: p.start)]
        return min(len(evidence), requirement.count), requirement.count, evidence
    if kind == RequirementKind.ASSIGNMENT_APPROVED:
        matching = [a for a in assignments if not requirement.course_key or a.course_key == requirement.course_key]
        evidence = [Evidence(a.course_title, a.approved_at) for a in sorted(matching, key=lambda a: a.approved_at)]
        return min(len(evidence), requirement.count), requirement.count, evidence
    if kind == RequirementKind.PRACTICE_ACCEPTED:
        # Counts only: no record's title, date or place is shown as evidence (records stay with their author and
        # reviewers; a certificate's evidence is read by certifiers).
        accepted = practice.get(requirement.course_key, {}).get(requirement.record_kind, 0)
        return min(accepted, requirement.count), requirement.count, []
    certificate = held.get(requirement.required_level_id)
    if certificate is None:
        return 0, 1, []
    name = certificate.level.localized_name(language)
    return 1, 1, [Evidence(name, certificate.issued_at, certificate.serial)]


def evaluate(
    *,
    user_ids: list[int] | None = None,
    source: ProgressSource | None = None,
    language: str = "en",
    ladder_and_labels: tuple[list[Level], dict[int, str]] | None = None,
    certificates: list[Certificate] | None = None,
) -> dict[int, UserProgress]:
    """Progress of the given users (all active users when None) on every level, in a fixed number of queries.
    A caller that already holds the ladder (`display_ladder`) or these users' certificates (with their levels'
    translations) passes them in."""
    source = source or SelectorSource()
    if ladder_and_labels is None:
        levels = ladder()
        ladder_and_labels = (levels, requirement_labels(levels, language))
    levels, labels = ladder_and_labels
    texts = _Texts.current()
    plan = [(level, list(level.requirements.all())) for level in levels]
    if user_ids is None:
        ids = list(get_user_model().objects.filter(is_active=True).values_list("pk", flat=True))
        selector_ids = None
    else:
        ids = selector_ids = list(user_ids)
    if certificates is None:
        certificates = Certificate.objects.filter(revoked_at__isnull=True, holder__isnull=False).select_related("level")
        if selector_ids is not None:
            certificates = certificates.filter(holder_id__in=selector_ids)
        certificates = certificates.prefetch_related(texts_prefetch("level__texts"))
    held: dict[int, dict[int, Certificate]] = defaultdict(dict)
    for certificate in certificates:
        if not certificate.is_revoked and certificate.holder_id is not None:
            held[certificate.holder_id][certificate.level_id] = certificate
    completions = source.course_completions(user_ids=selector_ids)
    assignments = source.approved_assignments(user_ids=selector_ids)
    attendance = source.webinar_attendance(user_ids=selector_ids)
    presented = source.webinars_presented(user_ids=selector_ids)
    # Accepted practice records per course scope of the ladder's practice requirements (None: any course), one
    # selector call per scope: {scope: {user_id: {"cases": n, "visits": m}}}.
    scopes = {
        r.course_key
        for _level, requirements in plan
        for r in requirements
        if r.kind == RequirementKind.PRACTICE_ACCEPTED
    }
    practice_counts = {
        scope: source.accepted_practice(user_ids=selector_ids, course_keys=None if scope is None else [scope])
        for scope in scopes
    }

    result = {}
    for user_id in ids:
        user_held = held.get(user_id, {})
        data = {
            "completions": completions.get(user_id, []),
            "assignments": assignments.get(user_id, []),
            "attendance": attendance.get(user_id, []),
            "presented": presented.get(user_id, []),
            "practice": {scope: counts.get(user_id, {}) for scope, counts in practice_counts.items()},
        }
        level_progress = []
        for level, level_requirements in plan:
            requirements = []
            for requirement in level_requirements:
                done, needed, evidence = _evaluate(requirement, held=user_held, language=language, texts=texts, **data)
                requirements.append(RequirementProgress(requirement, labels[requirement.pk], done, needed, evidence))
            level_progress.append(LevelProgress(level, requirements, user_held.get(level.pk)))
        result[user_id] = UserProgress(user_id, level_progress)
    return result


def evaluate_user(
    user,
    *,
    source: ProgressSource | None = None,
    language: str = "en",
    ladder_and_labels: tuple[list[Level], dict[int, str]] | None = None,
    certificates: list[Certificate] | None = None,
) -> UserProgress:
    return evaluate(
        user_ids=[user.pk],
        source=source,
        language=language,
        ladder_and_labels=ladder_and_labels,
        certificates=certificates,
    )[user.pk]
