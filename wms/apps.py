from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WmsConfig(AppConfig):
    name = "wms"
    verbose_name = _("Map services")
