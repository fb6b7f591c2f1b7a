"""What the network sees of field practice: counts of accepted records, never a record (docs/practice.md,
"Aggregates and export").

Every number that leaves this module for a page, a chart or a CSV is decided here, by one rule in three parts:

1. a count of one to four records (`is_suppressed`) is shown as "<5": so few could point at the people in them;
2. when a record kind (cases, or visits) has such a cell in any of its tables, every table of that kind also hides
   its smallest other cell, shown as "≥5" (complementary suppression, `_suppress_complements`): the three tables of a
   kind add up to the same total, so one table shown in full would give the total, and the total minus the cells
   shown would give a hidden cell back;
3. that kind's totals are then rounded to the nearest ten ("about 20", `shown_total`), and a total below five is
   "<5".

The reads aggregate in the database: each table is one `GROUP BY` query, whatever the number of records.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Avg, Count
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import CaseRecord, Country, MonitoringVisit, Practice, RecordStatus, ServiceKind, ViolationType

SMALL_CELL = 5
TOTAL_ROUNDING = 10
SUPPRESSED = "<5"  # what a suppressed cell reads, in every language (a number, not a word)
COMPLEMENT = "≥5"  # a cell hidden so that no "<5" can be worked out by subtraction (RUF001: not a look-alike)


def is_suppressed(count: int) -> bool:
    """The one rule: a count of one to four people's records could point at them."""
    return 0 < count < SMALL_CELL


def shown_count(count: int, *, complement: bool = False) -> str:
    if is_suppressed(count):
        return SUPPRESSED
    return COMPLEMENT if complement else str(count)


def shown_total(count: int, *, any_suppressed: bool) -> str:
    """A total: exact when no cell of its kind is suppressed; otherwise rounded to the nearest ten (never to 0),
    or "<5" itself when it is that small."""
    if is_suppressed(count):
        return SUPPRESSED
    if not any_suppressed:
        return str(count)
    rounded = max(TOTAL_ROUNDING, TOTAL_ROUNDING * round(count / TOTAL_ROUNDING))
    return _("about %(count)s") % {"count": rounded}


@dataclass(frozen=True)
class Filters:
    course_key: object | None = None  # a Practice.course_key (every language version of the course)
    start: date | None = None  # first day counted (incident date for cases, visit date for visits)
    end: date | None = None  # last day counted


@dataclass
class Row:
    key: object
    label: str
    count: int
    average: float | None = None  # visits: the mean checklist score (0-3) of the row's visits
    complement: bool = False  # hidden by the second part of the rule

    @property
    def suppressed(self) -> bool:
        return is_suppressed(self.count)

    @property
    def hidden(self) -> bool:
        return self.suppressed or self.complement

    @property
    def shown(self) -> str:
        return shown_count(self.count, complement=self.complement)

    @property
    def shown_average(self) -> str:
        """An average is shown only with a count that is shown: otherwise it would say something of those few."""
        if self.hidden or self.average is None:
            return "\u2013"  # an en dash: not shown
        return f"{self.average:.1f}"


@dataclass
class Table:
    slug: str
    title: str
    category: str  # the heading of the first column
    rows: list[Row]
    with_average: bool = False
    total_shown: str = ""

    @property
    def any_suppressed(self) -> bool:
        return any(r.suppressed for r in self.rows)

    @property
    def total(self) -> int:
        return sum(r.count for r in self.rows)


@dataclass
class Aggregates:
    filters: Filters
    cases: list[Table] = field(default_factory=list)
    visits: list[Table] = field(default_factory=list)

    @property
    def tables(self) -> list[Table]:
        return self.cases + self.visits


UNKNOWN = gettext_lazy("Not recorded")


def accepted_records(model, filters: Filters, date_field: str):
    """Accepted records of `model` within the filters (erased ones too: retention keeps their aggregate fields)."""
    rows = model.objects.filter(status=RecordStatus.ACCEPTED)
    if filters.course_key:
        rows = rows.filter(practice__course_key=filters.course_key)
    if filters.start:
        rows = rows.filter(**{f"{date_field}__gte": filters.start})
    if filters.end:
        rows = rows.filter(**{f"{date_field}__lte": filters.end})
    return rows.order_by()


def _month_label(month) -> str:
    return month.strftime("%Y-%m") if month else str(UNKNOWN)


def _label(choices, value) -> str:
    return str(dict(choices.choices).get(value, UNKNOWN)) if value else str(UNKNOWN)


def _by(queryset, group, *, with_average=False) -> list[tuple]:
    """(group value, count[, average score]) rows of one GROUP BY query."""
    annotations = {"n": Count("pk", distinct=with_average)}
    if with_average:
        annotations["average"] = Avg("answers__score")  # "not observed" (NULL) is left out of the mean
    rows = queryset.values(group).annotate(**annotations).order_by(group)
    return [(r[group], r["n"], r.get("average")) for r in rows]


def _suppress_complements(tables: list[Table]) -> None:
    """The second part of the rule: if any table of a record kind has a "<5", each table of the kind hides one more
    cell, its smallest shown one, so that no table adds up to the kind's total."""
    if not any(t.any_suppressed for t in tables):
        return
    for table in tables:
        shown = [r for r in table.rows if not r.hidden]
        if shown:
            min(shown, key=lambda r: (r.count, r.label)).complement = True


def _finish(tables: list[Table]) -> list[Table]:
    """Complements, then the totals of one record kind: rounded in every table if any cell of the kind is hidden."""
    _suppress_complements(tables)
    any_suppressed = any(t.any_suppressed for t in tables)
    for table in tables:
        table.total_shown = shown_total(table.total, any_suppressed=any_suppressed)
    return tables


def practice_aggregates(filters: Filters) -> Aggregates:
    """Accepted case records by country, type of violation and month of the incident; accepted monitoring visits
    by kind of service, country and month of the visit, with their mean scores. Six queries."""
    cases = accepted_records(CaseRecord, filters, "incident_date")
    visits = accepted_records(MonitoringVisit, filters, "visit_date")
    by_month = cases.annotate(month=TruncMonth("incident_date"))
    visits_by_month = visits.annotate(month=TruncMonth("visit_date"))
    case_tables = [
        Table(
            "cases-country",
            _("Case records by country"),
            _("Country"),
            [Row(k, _label(Country, k), n) for k, n, _a in _by(cases, "country")],
        ),
        Table(
            "cases-type",
            _("Case records by type of violation"),
            _("Type of violation"),
            [Row(k, _label(ViolationType, k), n) for k, n, _a in _by(cases, "violation_type")],
        ),
        Table(
            "cases-month",
            _("Case records by month of the incident"),
            _("Month"),
            [Row(k, _month_label(k), n) for k, n, _a in _by(by_month, "month")],
        ),
    ]
    visit_tables = [
        Table(
            "visits-kind",
            _("Monitoring visits by kind of service"),
            _("Kind of service"),
            [Row(k, _label(ServiceKind, k), n, a) for k, n, a in _by(visits, "service__kind", with_average=True)],
            with_average=True,
        ),
        Table(
            "visits-country",
            _("Monitoring visits by country"),
            _("Country"),
            [Row(k, _label(Country, k), n, a) for k, n, a in _by(visits, "service__country", with_average=True)],
            with_average=True,
        ),
        Table(
            "visits-month",
            _("Monitoring visits by month"),
            _("Month"),
            [Row(k, _month_label(k), n, a) for k, n, a in _by(visits_by_month, "month", with_average=True)],
            with_average=True,
        ),
    ]
    return Aggregates(filters, _finish(case_tables), _finish(visit_tables))


def practice_courses(language: str) -> list[tuple[str, str]]:
    """(course key, course title) of the courses that have a practice, the title in `language` where the course
    has that version (two queries)."""
    from wagtail.models import Page

    keys = set(Practice.objects.values_list("course_key", flat=True))
    titles: dict = {}
    for key, lang, title in Page.objects.filter(translation_key__in=keys).values_list(
        "translation_key", "locale__language_code", "title"
    ):
        if key not in titles or lang == language:
            titles[key] = title
    return sorted(((str(k), titles.get(k, str(k))) for k in keys), key=lambda kt: kt[1].casefold())


def aggregates_csv(result: Aggregates) -> str:
    """The page's tables as one CSV, every cell as the page shows it."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["table", "category", "count", "mean_score"])
    for table in result.tables:
        for row in table.rows:
            writer.writerow([table.slug, row.label, row.shown, row.shown_average if table.with_average else ""])
        writer.writerow([table.slug, "total", table.total_shown, ""])
    return out.getvalue()
