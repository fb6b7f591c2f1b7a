"""Reads of field practice that pages and other apps need, each in a fixed number of queries."""

from collections.abc import Iterable

from django.db.models import Count, Value

from .models import CaseRecord, MonitoringVisit, RecordStatus


def accepted_record_counts(
    *, user_ids: Iterable[int] | None = None, course_keys: Iterable | None = None
) -> dict[int, dict[str, int]]:
    """Per author, `{"cases": n, "visits": m}` of their ACCEPTED records (erased ones count too: retention removes
    the text, not the acceptance), optionally only those of some users and of some courses (by `course_key`, so
    every language version of a course counts). Users without any accepted record are absent. One query (the
    dashboard's certificate panel asks it on every view)."""
    user_ids = list(user_ids) if user_ids is not None else None
    course_keys = list(course_keys) if course_keys is not None else None

    def counts(kind: str, model):
        rows = model.objects.filter(status=RecordStatus.ACCEPTED, author__isnull=False)
        if user_ids is not None:
            rows = rows.filter(author_id__in=user_ids)
        if course_keys is not None:
            rows = rows.filter(practice__course_key__in=course_keys)
        return rows.order_by().values_list("author_id").annotate(kind=Value(kind), n=Count("pk"))

    result: dict[int, dict[str, int]] = {}
    for author_id, kind, n in counts("cases", CaseRecord).union(counts("visits", MonitoringVisit), all=True):
        result.setdefault(author_id, {"cases": 0, "visits": 0})[kind] = n
    return result


REVIEW_QUEUE_LIMIT = 200


def learner_overview(*, user) -> list[dict]:
    """The practices of a learner's courses, each with the learner's own records, newest first (three queries)."""
    from .services import learner_practices

    practices = list(learner_practices(user=user).order_by("title", "pk"))
    ids = [p.pk for p in practices]
    records: dict[int, list] = {pk: [] for pk in ids}
    for model in (CaseRecord, MonitoringVisit):
        rows = model.objects.filter(author=user, practice_id__in=ids)
        if model is MonitoringVisit:
            rows = rows.select_related("service")
        for record in rows.order_by("-updated_at", "-pk").defer(*_text_fields(model)):
            records[record.practice_id].append(record)
    return [{"practice": p, "records": records[p.pk]} for p in practices]


def review_queue(*, practices) -> list:
    """Submitted records of these practices, oldest first, with their author and practice (two queries)."""
    ids = list(practices.values_list("pk", flat=True)) if hasattr(practices, "values_list") else practices
    queue = []
    for model in (CaseRecord, MonitoringVisit):
        rows = model.objects.filter(practice_id__in=ids, status=RecordStatus.SUBMITTED).select_related(
            "author", "practice", *(["service"] if model is MonitoringVisit else [])
        )
        queue.extend(rows.order_by("submitted_at", "pk").defer(*_text_fields(model))[:REVIEW_QUEUE_LIMIT])
    queue.sort(key=lambda r: (r.submitted_at, r.pk))
    return queue[:REVIEW_QUEUE_LIMIT]


def _text_fields(model) -> tuple[str, ...]:
    """Lists never decrypt what they do not show."""
    return model.encrypted_fields
