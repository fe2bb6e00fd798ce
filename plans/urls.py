"""Plan pages under /<gmina>/plany/."""

from django.urls import path

from plans import views

urlpatterns = [
    path("", views.plan_list, name="plan-list"),
    path("<int:pk>/", views.plan_detail, name="plan-detail"),
    path("<int:plan>/dokumenty/<int:pk>/", views.plan_document, name="plan-document"),
    path("<int:pk>/app.gml", views.plan_export_app, name="plan-export-app"),
    path("<int:pk>/metadane.xml", views.plan_export_metadata, name="plan-export-metadata"),
]
