"""Plan pages under /<gmina>/plany/."""

from django.urls import path

from plans import views

urlpatterns = [
    path("", views.plan_list, name="plan-list"),
    path("<int:pk>/", views.plan_detail, name="plan-detail"),
    path("<int:plan>/dokumenty/<int:pk>/", views.plan_document, name="plan-document"),
]
