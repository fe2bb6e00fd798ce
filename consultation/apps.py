from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationConfig(AppConfig):
    name = "consultation"
    verbose_name = _("Public consultations")

    def ready(self) -> None:
        # the draft and the comments as layers of the gmina's WMS/WFS (wms cannot import us)
        from consultation.ogc_layers import register_layers

        register_layers()
