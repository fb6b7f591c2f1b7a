from django.urls import path

from . import views

app_name = "certificates"
urlpatterns = [
    path("certificates/", views.progress_view, name="progress"),
    path("certificates/name/", views.name_view, name="name"),
    path("certificates/<str:serial>/certificate.pdf", views.pdf_view, name="pdf"),
    path("certificates/<str:serial>/credential.json", views.credential_view, name="credential"),
    path("certificates/<str:serial>/withdraw/", views.withdraw_view, name="withdraw"),
    path("verify/", views.verify_form_view, name="verify_form"),
    path("verify/<path:code>/", views.verify_view, name="verify"),
    path(".well-known/did.json", views.did_view, name="did"),
    path("certificates/issuer.json", views.issuer_view, name="issuer"),
    path("certificates/status/revocation.json", views.status_list_view, name="status_list"),
]
