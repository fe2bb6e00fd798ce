from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The public pages: the platform home, a gmina's map, search, the parcel panel and page."""

    name = "portal"
