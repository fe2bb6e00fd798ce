from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExtractsConfig(AppConfig):
    name = "extracts"
    verbose_name = _("Parcel extracts (wypis i wyrys)")
