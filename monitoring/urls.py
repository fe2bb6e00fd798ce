from django.urls import path

from monitoring import statement, views

urlpatterns = [
    path("centrum-wsparcia/", views.dashboard, name="monitoring-dashboard"),
    path("centrum-wsparcia/dane.csv", views.dashboard_csv, name="monitoring-dashboard-csv"),
    path("ankieta/<str:token>/", views.survey, name="survey"),
    path("deklaracja-dostepnosci/", statement.accessibility_statement, name="accessibility"),
]
