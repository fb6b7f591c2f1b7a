"""The partner export: accepted records' aggregate fields, one row per record, in the open format documented field
by field in docs/practice-export.md (`lms-practice-export/1`).

No row carries a person: no author, no reviewer, no text, no file, no finer place; the day is given as a month;
a record's id is a keyed hash that partners can use to recognise a record they already have, from which neither the
database row nor the author can be found. A case record's city is left out when fewer than five case records of
the same export share it (the small-count rule of practice/aggregates.py, applied where a row could still point at
someone); a service's city stays (a service is an institution).

Three queries, whatever the number of records.
"""

import csv
import io
from collections import Counter
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.crypto import salted_hmac

from .aggregates import Filters, accepted_records, is_suppressed
from .models import ActorKind, ChecklistAnswer, Country, HelpGiven, ServiceKind, ViolationType

FORMAT = "lms-practice-export/1"

CASE_FIELDS = [
    "id",
    "course",
    "incident_month",
    "country",
    "city",
    "violation_type",
    "actor_kind",
    "help_given",
    "accepted_month",
]
VISIT_FIELDS = [
    "id",
    "course",
    "visit_month",
    "service_kind",
    "country",
    "city",
    "accepted_month",
    "item",
    "score",
]


def record_id(kind: str, pk: int) -> str:
    """Stable across exports while SECRET_KEY stays the same; says nothing of the row or the author."""
    return f"{kind}-" + salted_hmac("practice.export.record", f"{kind}:{pk}").hexdigest()[:20]


def _month(value) -> str | None:
    return value.strftime("%Y-%m") if value else None


def _city_key(country: str, city: str) -> tuple[str, str]:
    return country, " ".join(city.split()).casefold()


@dataclass
class Export:
    filters: Filters
    cases: list[dict]
    visits: list[dict]

    def as_json(self) -> dict:
        return {
            "format": FORMAT,
            "generated_at": timezone.now().replace(microsecond=0).isoformat(),
            "filters": {
                "course": str(self.filters.course_key) if self.filters.course_key else None,
                "from": self.filters.start.isoformat() if self.filters.start else None,
                "to": self.filters.end.isoformat() if self.filters.end else None,
            },
            "code_lists": code_lists(),
            "case_records": self.cases,
            "monitoring_visits": self.visits,
        }

    def cases_csv(self) -> str:
        return _csv(CASE_FIELDS, self.cases)

    def visits_csv(self) -> str:
        """Long form: one row per visit and checklist item (a visit without answers: one row, item and score
        empty), so that a spreadsheet pivots it as it likes."""
        rows = []
        for visit in self.visits:
            base = {k: v for k, v in visit.items() if k not in ("scores", "mean_score")}
            for answer in visit["scores"] or [{"item": None, "score": None}]:
                rows.append({**base, **answer})
        return _csv(VISIT_FIELDS, rows)


def _csv(fields: list[str], rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if row.get(k) is None else _safe(row[k]) for k in fields})
    return out.getvalue()


def _safe(value):
    """A cell a spreadsheet would run as a formula (a city or checklist item typed as "=..."), quoted as text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def code_lists() -> dict[str, list[str]]:
    return {
        "country": [c for c in Country.values],
        "violation_type": list(ViolationType.values),
        "actor_kind": list(ActorKind.values),
        "help_given": list(HelpGiven.values),
        "service_kind": list(ServiceKind.values),
    }


def practice_export(filters: Filters) -> Export:
    from .models import CaseRecord, MonitoringVisit

    cases = list(
        accepted_records(CaseRecord, filters, "incident_date")
        .values(
            "pk",
            "practice__course_key",
            "incident_date",
            "country",
            "city",
            "violation_type",
            "actor_kind",
            "help_given",
            "accepted_at",
        )
        .order_by("incident_date", "pk")
    )
    cities = Counter(_city_key(c["country"], c["city"]) for c in cases if c["city"].strip())
    case_rows = [
        {
            "id": record_id("case", c["pk"]),
            "course": str(c["practice__course_key"]),
            "incident_month": _month(c["incident_date"]),
            "country": c["country"] or None,
            "city": (
                " ".join(c["city"].split())
                if c["city"].strip() and not is_suppressed(cities[_city_key(c["country"], c["city"])])
                else None
            ),
            "violation_type": c["violation_type"] or None,
            "actor_kind": c["actor_kind"] or None,
            "help_given": c["help_given"] or None,
            "accepted_month": _month(c["accepted_at"]),
        }
        for c in cases
    ]
    visits = (
        accepted_records(MonitoringVisit, filters, "visit_date")
        .select_related("service", "practice")
        .prefetch_related(
            Prefetch("answers", queryset=ChecklistAnswer.objects.select_related("item").order_by("item__order", "pk"))
        )
        .order_by("visit_date", "pk")
    )
    visit_rows = []
    for v in visits:
        scores = [{"item": a.item.text, "score": a.score} for a in v.answers.all()]
        scored = [s["score"] for s in scores if s["score"] is not None]
        service = v.service
        visit_rows.append(
            {
                "id": record_id("visit", v.pk),
                "course": str(v.practice.course_key),
                "visit_month": _month(v.visit_date),
                "service_kind": service.kind if service else None,
                "country": service.country if service else None,
                "city": service.city if service else None,
                "accepted_month": _month(v.accepted_at),
                "mean_score": round(sum(scored) / len(scored), 2) if scored else None,
                "scores": scores,
            }
        )
    return Export(filters, case_rows, visit_rows)
