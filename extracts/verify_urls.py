"""Public verification of issued extracts under /weryfikacja/."""

from django.urls import path

from extracts import views

urlpatterns = [
    path("", views.verify_form, name="extract-verify-form"),
    path("<str:code>", views.verify, name="extract-verify"),
]
