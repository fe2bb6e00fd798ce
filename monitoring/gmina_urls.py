from django.urls import path

from monitoring import views

urlpatterns = [
    path("centrum-wsparcia/", views.dashboard, name="monitoring-gmina-dashboard"),
    path("centrum-wsparcia/dane.csv", views.dashboard_csv, name="monitoring-gmina-dashboard-csv"),
]
