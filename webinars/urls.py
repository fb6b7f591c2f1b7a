from django.urls import path

from . import views

app_name = "webinars"
urlpatterns = [
    path("webinars/<int:pk>/register/", views.register_view, name="register"),
    path("webinars/<int:pk>/cancel/", views.cancel_view, name="cancel"),
    path("webinars/<int:pk>/calendar.ics", views.webinar_ics_view, name="ics"),
    path("webinars/<int:pk>/room/", views.room_view, name="room"),
    path("webinars/<int:pk>/transcript.md", views.transcript_view, {"fmt": "md"}, name="transcript_md"),
    path("webinars/<int:pk>/transcript.csv", views.transcript_view, {"fmt": "csv"}, name="transcript_csv"),
    path("webinars/<int:pk>/attendance/", views.attendance_view, name="attendance"),
    path("webinars/calendar/", views.calendar_view, name="calendar"),
    path("webinars/feed/<str:token>.ics", views.feed_view, name="feed"),
]
