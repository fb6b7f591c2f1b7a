"""Reads of field practice that pages and other apps need, each in a fixed number of queries."""

from collections.abc import Iterable

from django.db.models import Count

from .models import CaseRecord, MonitoringVisit, RecordStatus


def accepted_record_counts(
    *, user_ids: Iterable[int] | None = None, course_keys: Iterable | None = None
) -> dict[int, dict[str, int]]:
    """Per author, `{"cases": n, "visits": m}` of their ACCEPTED records (erased ones count too: retention removes
    the text, not the acceptance), optionally only those of some users and of some courses (by `course_key`, so
    every language version of a course counts). Users without any accepted record are absent. Two queries."""
    result: dict[int, dict[str, int]] = {}
    for key, model in (("cases", CaseRecord), ("visits", MonitoringVisit)):
        rows = model.objects.filter(status=RecordStatus.ACCEPTED, author__isnull=False)
        if user_ids is not None:
            rows = rows.filter(author_id__in=list(user_ids))
        if course_keys is not None:
            rows = rows.filter(practice__course_key__in=list(course_keys))
        for author_id, n in rows.order_by().values_list("author_id").annotate(n=Count("pk")):
            result.setdefault(author_id, {"cases": 0, "visits": 0})[key] = n
    return result
