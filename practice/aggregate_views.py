"""The network's view of field practice (certifiers and admins): aggregates with charts, their CSV, and the partner
export. Thin: the permission is `services.aggregates_check`, the numbers come from aggregates.py and export.py.

A page of the site (not the Wagtail admin), behind `staff_view`: it is read on phones and without JavaScript in the
reader's language like the rest of the site, its SVG charts and tables use the site's styles, and staff_view asks
for the second factor like every page that shows staff other people's data.
"""

import json
from dataclasses import dataclass

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from lms.decorators import staff_view

from . import aggregates, export, services
from .aggregate_forms import AggregateFilterForm

CHART_WIDTH = 280  # SVG user units; the chart scales to its column, its text stays legible on a phone
LABEL_HEIGHT = 20  # the label's baseline sits 6 units above its bar, so its descenders clear the bar
LABEL_BASELINE = 14
BAR_HEIGHT = 14
ROW_GAP = 10
VALUE_SPACE = 48  # room for "<5" or "1234" after the longest bar


@dataclass
class Bar:
    label: str
    shown: str
    suppressed: bool
    label_y: int
    bar_y: int
    width: float
    value_x: float


def bar_chart(table: aggregates.Table) -> dict:
    """The geometry of a horizontal bar chart of a table's counts. A hidden cell is drawn as an outlined bar as long
    as SMALL_CELL, never as its true length, and labelled as the table labels it ("<5", "≥5")."""
    longest = max([aggregates.SMALL_CELL, *(r.count for r in table.rows if not r.hidden)])
    scale = (CHART_WIDTH - VALUE_SPACE) / longest
    bars, y = [], 0
    for row in table.rows:
        length = aggregates.SMALL_CELL if row.hidden else row.count
        width = max(2.0, round(length * scale, 1))
        bars.append(Bar(row.label, row.shown, row.hidden, y + LABEL_BASELINE, y + LABEL_HEIGHT, width, width + 6))
        y += LABEL_HEIGHT + BAR_HEIGHT + ROW_GAP
    return {"bars": bars, "width": CHART_WIDTH, "height": max(y, 1), "bar_height": BAR_HEIGHT}


def _form(request) -> AggregateFilterForm:
    courses = aggregates.practice_courses(translation.get_language() or "en")
    return AggregateFilterForm(request.GET or None, courses=courses)


def _filters(form: AggregateFilterForm) -> aggregates.Filters | None:
    """The filters, or None when the input is not understood (the page says so and counts nothing)."""
    if not form.is_bound:
        return aggregates.Filters()
    return form.filters() if form.is_valid() else None


def _bad_filters(form) -> HttpResponse:
    errors = "; ".join(
        f"{form.fields[name].label if name in form.fields else ''}: {' '.join(messages)}".lstrip(": ")
        for name, messages in form.errors.items()
    )
    return HttpResponse(
        _("The filters were not understood: %(errors)s") % {"errors": errors},
        status=400,
        content_type="text/plain; charset=utf-8",
    )


@staff_view
@never_cache
@require_GET
def aggregates_view(request):
    services.aggregates_check(user=request.user)
    form = _form(request)
    filters = _filters(form)
    result = aggregates.practice_aggregates(filters) if filters is not None else None
    query = request.GET.urlencode() if filters is not None and form.is_bound else ""
    sections = []
    if result is not None:
        for title, tables in ((_("Case records"), result.cases), (_("Monitoring visits"), result.visits)):
            sections.append({"title": title, "tables": [(t, bar_chart(t)) for t in tables]})
    return render(
        request,
        "practice/aggregates/aggregates.html",
        {"form": form, "result": result, "sections": sections, "query": query, "small_cell": aggregates.SMALL_CELL},
    )


def _attachment(content: str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _stamp() -> str:
    return timezone.now().strftime("%Y%m%d")


@staff_view
@require_GET
def aggregates_csv_view(request):
    """The page's tables, cell for cell as shown ("<5", rounded totals)."""
    services.aggregates_check(user=request.user)
    form = _form(request)
    filters = _filters(form)
    if filters is None:
        return _bad_filters(form)
    result = aggregates.practice_aggregates(filters)
    return _attachment(
        aggregates.aggregates_csv(result), "text/csv; charset=utf-8", f"practice-aggregates-{_stamp()}.csv"
    )


@staff_view
@require_GET
def export_view(request, what: str):
    """The partner export (docs/practice-export.md): `cases.csv`, `visits.csv` or `practice.json`."""
    services.aggregates_check(user=request.user)
    form = _form(request)
    filters = _filters(form)
    if filters is None:
        return _bad_filters(form)
    data = export.practice_export(filters)
    if what == "cases.csv":
        return _attachment(data.cases_csv(), "text/csv; charset=utf-8", f"practice-cases-{_stamp()}.csv")
    if what == "visits.csv":
        return _attachment(data.visits_csv(), "text/csv; charset=utf-8", f"practice-visits-{_stamp()}.csv")
    body = json.dumps(data.as_json(), ensure_ascii=False, indent=1)
    return _attachment(body, "application/json", f"practice-export-{_stamp()}.json")
