"""Extract requests and the clerk's queue under /wypisy/."""

from django.urls import path

from extracts import clerk_views, views

urlpatterns = [
    path("", views.request_form, name="extract-request"),
    path("moje/", views.my_requests, name="extract-mine"),
    path("wniosek/<uuid:token>/", views.request_status, name="extract-status"),
    path("wniosek/<uuid:token>/wypis.pdf", views.request_download, name="extract-download"),
    path("<slug:gmina>/kolejka/", views.clerk_queue, name="extract-queue"),
    path("<slug:gmina>/kolejka/<int:pk>/", views.clerk_detail, name="extract-queue-detail"),
    path("<slug:gmina>/kolejka/<int:pk>/wydaj/", views.clerk_issue, name="extract-issue"),
    path(
        "<slug:gmina>/kolejka/<int:pk>/oplata/", clerk_views.clerk_payment, name="extract-payment"
    ),
    path(
        "<slug:gmina>/kolejka/<int:pk>/podglad.pdf",
        clerk_views.clerk_preview,
        name="extract-preview",
    ),
    path("<slug:gmina>/kolejka/<int:pk>/odrzuc/", views.clerk_reject, name="extract-reject"),
    path(
        "<slug:gmina>/kolejka/<int:pk>/wypis.pdf",
        views.clerk_download,
        name="extract-queue-download",
    ),
]
