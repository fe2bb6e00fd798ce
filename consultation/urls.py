"""Consultations under /<gmina>/konsultacje/ (public pages and the planner's)."""

from django.urls import path

from consultation import staff_views, views

app_name = "consultation"

urlpatterns = [
    path("", views.consultation_list, name="list"),
    path("zarzadzanie/", staff_views.manage, name="manage"),
    path("<int:pk>/", views.consultation_detail, name="detail"),
    path("<int:pk>/projekt.geojson", views.draft_geojson, name="draft-geojson"),
    path("<int:pk>/dokumenty/<int:doc>/", views.draft_document, name="document"),
    path("<int:pk>/uwaga/", views.comment_form, name="comment"),
    path("<int:pk>/potwierdzenie/<str:token>/", views.confirmation, name="confirmation"),
    path(
        "<int:pk>/potwierdzenie/<str:token>/pdf",
        views.confirmation_download,
        name="confirmation-pdf",
    ),
    path("<int:pk>/uwagi.geojson", views.public_comments_geojson, name="comments-geojson"),
    path("<int:pk>/raport/", views.report_page, name="report"),
    path("<int:pk>/raport.pdf", views.report_download, {"fmt": "pdf"}, name="report-pdf"),
    path("<int:pk>/raport.csv", views.report_download, {"fmt": "csv"}, name="report-csv"),
    path("<int:pk>/raport/opublikuj/", staff_views.publish, name="publish"),
    path("<int:pk>/kolejka/", staff_views.queue, name="queue"),
    path("<int:pk>/przedluz/", staff_views.extend, name="extend"),
    path("<int:pk>/kolejka.geojson", staff_views.queue_geojson, name="queue-geojson"),
    path("<int:pk>/rejestr.csv", staff_views.register_csv, name="register-csv"),
    path("<int:pk>/uwagi/<int:number>/", staff_views.comment_detail, name="comment-detail"),
    path(
        "<int:pk>/uwagi/<int:number>/zalaczniki/<int:att>/",
        staff_views.attachment,
        name="attachment",
    ),
]
