"""The engine's rules, evaluated against data in the selectors' shapes (a small in-memory source)."""

import uuid
from collections import defaultdict
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from certificates import eligibility, services
from courses.selectors import ApprovedAssignment, CourseCompletion
from lms.testing import make_user
from webinars.selectors import AttendanceRecord, PresentedWebinar

from .conftest import ASSIGNMENT, ATTENDED, COURSE, GIVEN, LEVEL_HELD, PRACTICE, PRESENTED, make_level, make_track

pytestmark = pytest.mark.django_db
NOW = timezone.now()
COURSE_KEY = uuid.uuid4()


class FakeSource:
    """Progress data keyed by user id, in exactly the shapes the real selectors return."""

    def __init__(self):
        self.data = {name: defaultdict(list) for name in ("completions", "assignments", "attendance", "presented")}
        self.practice = {}  # {course_key or None: {user_id: {"cases": n, "visits": m}}}
        self.practice_calls = []

    def course_completions(self, *, user_ids):
        return self.data["completions"]

    def approved_assignments(self, *, user_ids):
        return self.data["assignments"]

    def webinar_attendance(self, *, user_ids):
        return self.data["attendance"]

    def webinars_presented(self, *, user_ids):
        return self.data["presented"]

    def accepted_practice(self, *, user_ids, course_keys):
        self.practice_calls.append(course_keys)
        return self.practice.get(course_keys[0] if course_keys else None, {})


def completion(key=COURSE_KEY, score=None):
    return CourseCompletion(1, key, "Budget advocacy", NOW, score)


def attendance(webinar_id, share, track):
    return AttendanceRecord(webinar_id, f"Webinar {webinar_id}", track, NOW, share * 60, 60, share)


def test_course_with_minimum_quiz_score():
    user = make_user()
    level = make_level(requirements=[{"kind": COURSE, "course_key": COURSE_KEY, "min_quiz_score": 70}])
    source = FakeSource()
    source.data["completions"][user.pk] = [completion(score=65)]
    item = eligibility.evaluate_user(user, source=source).for_level(level.pk).requirements[0]
    assert (item.met, item.done, item.needed) == (False, 0, 1)

    source.data["completions"][user.pk] = [completion(score=65), completion(score=80)]
    item = eligibility.evaluate_user(user, source=source).for_level(level.pk).requirements[0]
    assert item.met
    assert item.evidence[0].title == "Budget advocacy"
    assert "80" in item.evidence[0].detail


def test_a_course_without_quiz_does_not_meet_a_minimum_score():
    user = make_user()
    level = make_level(requirements=[{"kind": COURSE, "course_key": COURSE_KEY, "min_quiz_score": 50}])
    source = FakeSource()
    source.data["completions"][user.pk] = [completion(score=None)]
    assert not eligibility.evaluate_user(user, source=source).for_level(level.pk).complete


def test_another_course_does_not_count():
    user = make_user()
    level = make_level(requirements=[{"kind": COURSE, "course_key": COURSE_KEY}])
    source = FakeSource()
    source.data["completions"][user.pk] = [completion(key=uuid.uuid4(), score=100)]
    assert not eligibility.evaluate_user(user, source=source).for_level(level.pk).complete


def test_webinars_attended_counts_distinct_webinars_of_the_track_above_the_share():
    user = make_user()
    track = make_track()
    key = track.translation_key
    level = make_level(requirements=[{"kind": ATTENDED, "count": 3, "min_share_percent": 75, "track": track}])
    source = FakeSource()
    source.data["attendance"][user.pk] = [
        attendance(1, 0.9, key),
        attendance(2, 0.5, key),  # too short
        attendance(3, 1.0, uuid.uuid4()),  # another track
        attendance(4, 0.75, key),  # exactly the minimum counts
    ]
    progress = eligibility.evaluate_user(user, source=source).for_level(level.pk)
    item = progress.requirements[0]
    assert (item.done, item.needed, item.met) == (2, 3, False)
    assert [e.title for e in item.evidence] == ["Webinar 1", "Webinar 4"]
    assert item.percent == 67
    source.data["attendance"][user.pk].append(attendance(5, 0.8, key))
    assert eligibility.evaluate_user(user, source=source).for_level(level.pk).eligible


def test_presented_and_assignments():
    user = make_user()
    level = make_level(
        requirements=[{"kind": PRESENTED, "count": 2}, {"kind": ASSIGNMENT, "count": 1, "course_key": COURSE_KEY}]
    )
    source = FakeSource()
    source.data["presented"][user.pk] = [PresentedWebinar(7, "ToT", None, NOW)]
    source.data["assignments"][user.pk] = [ApprovedAssignment(1, 1, uuid.uuid4(), "Other", 5, NOW)]
    progress = eligibility.evaluate_user(user, source=source).for_level(level.pk)
    assert [(r.done, r.met) for r in progress.requirements] == [(1, False), (0, False)]
    source.data["presented"][user.pk].append(PresentedWebinar(8, "ToT 2", None, NOW - timedelta(days=1)))
    source.data["assignments"][user.pk].append(ApprovedAssignment(2, 1, COURSE_KEY, "Budget", 6, NOW))
    assert eligibility.evaluate_user(user, source=source).for_level(level.pk).eligible


def test_accepted_practice_records_count_by_kind_and_course():
    user = make_user()
    level = make_level(
        requirements=[
            {"kind": PRACTICE, "record_kind": "cases", "count": 3, "course_key": COURSE_KEY},
            {"kind": PRACTICE, "record_kind": "visits", "count": 2},
        ]
    )
    source = FakeSource()
    source.practice = {
        COURSE_KEY: {user.pk: {"cases": 2, "visits": 0}},
        None: {user.pk: {"cases": 9, "visits": 2}},  # cases of other courses do not count for the first
    }
    progress = eligibility.evaluate_user(user, source=source).for_level(level.pk)
    assert [(r.done, r.needed, r.met) for r in progress.requirements] == [(2, 3, False), (2, 2, True)]
    assert sorted(source.practice_calls, key=str) == sorted([[COURSE_KEY], None], key=str)  # one call per scope
    assert (
        progress.requirements[0].label
        == "Have 3 case records accepted in the practice of the course “a course that no longer exists”"
    )
    assert progress.requirements[1].label == "Have 2 monitoring visits accepted"
    assert progress.requirements[0].evidence == []  # counts only: nothing of a record leaves the practice app

    source.practice[COURSE_KEY][user.pk]["cases"] = 4
    progress = eligibility.evaluate_user(user, source=source).for_level(level.pk)
    assert progress.requirements[0].done == 3 and progress.eligible


def test_a_practice_requirement_needs_a_record_kind():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="which field practice records"):
        make_level(requirements=[{"kind": PRACTICE, "count": 1}])


def test_a_ladder_without_practice_requirements_does_not_ask_the_practice_app():
    user = make_user()
    make_level(requirements=[{"kind": PRESENTED, "count": 1}])
    source = FakeSource()
    eligibility.evaluate_user(user, source=source)
    assert source.practice_calls == []


def test_level_held_needs_a_valid_certificate(certifier):
    user = make_user()
    first = make_level()
    second = make_level(requirements=[{"kind": LEVEL_HELD, "required_level": first}])
    assert not eligibility.evaluate_user(user, source=FakeSource()).for_level(second.pk).complete
    certificate = services.certificate_issue(actor=certifier, user=user, level=first, outside_rules_reason=GIVEN)
    progress = eligibility.evaluate_user(user, source=FakeSource())
    assert progress.for_level(second.pk).eligible
    assert progress.current.level == first and progress.next.level == second
    services.certificate_revoke(actor=certifier, certificate=certificate, reason="Error")
    assert not eligibility.evaluate_user(user, source=FakeSource()).for_level(second.pk).complete


@pytest.mark.parametrize("users", [1, 400])
def test_bulk_evaluation_runs_a_fixed_number_of_queries(users, django_assert_max_num_queries, certifier):
    first = make_level()
    make_level(
        requirements=[
            {"kind": COURSE, "course_key": COURSE_KEY},
            {"kind": ATTENDED, "count": 2},
            {"kind": PRESENTED, "count": 1},
            {"kind": ASSIGNMENT, "count": 1},
            {"kind": LEVEL_HELD, "required_level": first},
            {"kind": PRACTICE, "record_kind": "cases", "count": 1},  # the practice selector: two queries more
        ]
    )
    User = get_user_model()
    people = User.objects.bulk_create([User(username=f"bulk{i}") for i in range(users)])
    for person in people[::40]:
        services.certificate_issue(actor=certifier, user=person, level=first, outside_rules_reason=GIVEN)
    with django_assert_max_num_queries(15):
        progress = eligibility.evaluate(user_ids=[p.pk for p in people])
    assert len(progress) == users
    assert sum(1 for p in progress.values() if p.current) == len(people[::40])
