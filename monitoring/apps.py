from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    """The support centre: /metrics and /readyz for operators, the e-services dashboard, surveys."""

    name = "monitoring"
