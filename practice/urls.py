from django.urls import path, re_path

from . import aggregate_views

app_name = "practice"
urlpatterns: list = [
    path("practice/aggregates/", aggregate_views.aggregates_view, name="aggregates"),
    path("practice/aggregates.csv", aggregate_views.aggregates_csv_view, name="aggregates_csv"),
    re_path(
        r"^practice/export/(?P<what>cases\.csv|visits\.csv|practice\.json)$", aggregate_views.export_view, name="export"
    ),
]
