"""Planners' web upload under /<gmina>/import/."""

from django.urls import path

from plans import import_views

urlpatterns = [
    path("", import_views.upload, name="import-upload"),
    path("harvest", import_views.harvest, name="import-harvest"),
    path("<int:pk>/", import_views.job_detail, name="import-job"),
    path("<int:pk>/status.json", import_views.job_status, name="import-job-status"),
    path("<int:pk>/confirm", import_views.job_confirm, name="import-job-confirm"),
    path("<int:pk>/retry", import_views.job_retry, name="import-job-retry"),
    path("<int:pk>/provisions", import_views.job_provisions, name="import-job-provisions"),
]
