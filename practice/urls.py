"""Every practice URL is under /practice/ (and /ru/practice/): the service worker never keeps them
(frontend/static/frontend/sw.js), and every answer says `Cache-Control: private, no-store`."""

from django.urls import path, re_path, register_converter

from . import aggregate_views, views


class RecordKindConverter:
    regex = "cases|visits"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(RecordKindConverter, "record_kind")

app_name = "practice"
urlpatterns = [
    path("practice/", views.home_view, name="home"),
    path("practice/<int:practice_id>/<record_kind:kind>/new/", views.record_new_view, name="record_new"),
    path("practice/<record_kind:kind>/<int:pk>/", views.record_view, name="record"),
    path("practice/<record_kind:kind>/<int:pk>/delete/", views.record_delete_view, name="record_delete"),
    path("practice/files/<int:pk>/", views.attachment_view, name="attachment"),
    path("practice/files/<int:pk>/delete/", views.attachment_delete_view, name="attachment_delete"),
    path("practice/review/", views.review_queue_view, name="review_queue"),
    path("practice/review/<record_kind:kind>/<int:pk>/", views.review_view, name="review"),
    path("practice/manage/", views.manage_list_view, name="manage_list"),
    path("practice/manage/<int:practice_id>/", views.manage_view, name="manage"),
    # The network's aggregates and the partner export (certifiers and admins).
    path("practice/aggregates/", aggregate_views.aggregates_view, name="aggregates"),
    path("practice/aggregates.csv", aggregate_views.aggregates_csv_view, name="aggregates_csv"),
    re_path(
        r"^practice/export/(?P<what>cases\.csv|visits\.csv|practice\.json)$", aggregate_views.export_view, name="export"
    ),
]
