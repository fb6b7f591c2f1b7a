# Fills the keys added by 0006 from the pages and merges the records a learner made in two languages of a course
# before, so that 0008 can make the keys unique per learner.

from django.db import migrations, transaction
from django.db.models import Count, OuterRef, Subquery

RECORDS = ["Enrollment", "LessonProgress", "QuizAttempt", "AssignmentSubmission"]


def backfill_keys(apps, schema_editor):
    """Each record's course_key and lesson_key are the translation keys of the pages it points at."""
    Page = apps.get_model("wagtailcore", "Page")
    for name in RECORDS:
        model = apps.get_model("courses", name)
        keys = {"course_key": Subquery(Page.objects.filter(pk=OuterRef("course_id")).values("translation_key")[:1])}
        if name != "Enrollment":
            keys["lesson_key"] = Subquery(Page.objects.filter(pk=OuterRef("lesson_id")).values("translation_key")[:1])
        model.objects.update(**keys)


def _duplicated(queryset, *fields):
    """The values of `fields` that more than one row of `queryset` shares."""
    return queryset.values(*fields).annotate(rows=Count("pk")).filter(rows__gt=1).values(*fields)


def merge_duplicates(apps, schema_editor):
    """Records a learner made in two languages of one course become one, as if made in one language:

    * enrolments: the earliest row is kept (the page the learner started from), with the earliest enrolment, the
      latest activity, the highest progress and the earliest completion of them all;
    * completed lessons: the earliest completion is kept;
    * quiz attempts: all are kept, numbered again in the order they were made (the attempts used add up);
    * submissions: the approved one is kept, else the latest answer; the others' files are deleted after commit.
    """
    Enrollment = apps.get_model("courses", "Enrollment")
    for group in _duplicated(Enrollment.objects.all(), "user_id", "course_key"):
        kept, *others = Enrollment.objects.filter(**group).order_by("enrolled_at", "pk")
        rows = [kept, *others]
        completions = [e.completed_at for e in rows if e.completed_at is not None]
        kept.last_activity_at = max(e.last_activity_at for e in rows)
        kept.progress_percent = max(e.progress_percent for e in rows)
        kept.completed_at = min(completions) if completions else None
        kept.version = max(e.version for e in rows) + 1  # the learner's kept lesson pages are retired
        kept.save()
        Enrollment.objects.filter(pk__in=[e.pk for e in others]).delete()

    LessonProgress = apps.get_model("courses", "LessonProgress")
    for group in _duplicated(LessonProgress.objects.all(), "user_id", "lesson_key"):
        kept = LessonProgress.objects.filter(**group).order_by("completed_at", "pk").first()
        LessonProgress.objects.filter(**group).exclude(pk=kept.pk).delete()

    QuizAttempt = apps.get_model("courses", "QuizAttempt")
    groups = (
        QuizAttempt.objects.values("user_id", "lesson_key", "quiz_key")
        .annotate(lessons=Count("lesson_id", distinct=True))
        .filter(lessons__gt=1)
        .values("user_id", "lesson_key", "quiz_key")
    )
    for group in groups:
        for number, attempt in enumerate(QuizAttempt.objects.filter(**group).order_by("created_at", "pk"), 1):
            QuizAttempt.objects.filter(pk=attempt.pk).update(number=number)

    AssignmentSubmission = apps.get_model("courses", "AssignmentSubmission")
    for group in _duplicated(AssignmentSubmission.objects.all(), "user_id", "lesson_key", "assignment_key"):
        rows = list(AssignmentSubmission.objects.filter(**group).order_by("-submitted_at", "-pk"))
        kept = next((s for s in rows if s.status == "approved"), rows[0])
        dropped = [s for s in rows if s.pk != kept.pk]
        files = [(s.file.storage, s.file.name) for s in dropped if s.file and s.file.name != kept.file.name]
        AssignmentSubmission.objects.filter(pk__in=[s.pk for s in dropped]).delete()
        transaction.on_commit(lambda files=files: [storage.delete(name) for storage, name in files])


class Migration(migrations.Migration):

    dependencies = [
        ("courses", "0006_keys_across_translations"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.RunPython(backfill_keys, migrations.RunPython.noop),
        migrations.RunPython(merge_duplicates, migrations.RunPython.noop),
    ]
