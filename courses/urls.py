from django.urls import path

from . import views

app_name = "courses"
urlpatterns = [
    path("learning/courses/<int:course_id>/enrol/", views.enrol_view, name="enrol"),
    path("learning/courses/<int:course_id>/resume/", views.resume_view, name="resume"),
    path("learning/lessons/<int:lesson_id>/complete/", views.lesson_complete_view, name="lesson_complete"),
    path("learning/lessons/<int:lesson_id>/quiz/<str:key>/", views.quiz_submit_view, name="quiz_submit"),
    path(
        "learning/lessons/<int:lesson_id>/assignment/<str:key>/", views.assignment_submit_view, name="assignment_submit"
    ),
    path("learning/lessons/<int:lesson_id>/material/<str:key>/", views.material_download_view, name="material"),
    path("learning/submissions/<int:pk>/file/", views.submission_file_view, name="submission_file"),
    path("trainer/courses/", views.trainer_courses_view, name="trainer_courses"),
    path("trainer/courses/<int:course_id>/", views.course_report_view, name="course_report"),
    path("trainer/courses/<int:course_id>/report.csv", views.course_report_csv_view, name="course_report_csv"),
    path("trainer/reviews/", views.review_queue_view, name="review_queue"),
    path("trainer/reviews/<int:pk>/", views.review_view, name="review"),
]
