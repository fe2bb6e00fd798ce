from __future__ import annotations

import ctypes

from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


def pin_system_gdal_data() -> None:
    """Pin the system GDAL's PROJ search path and GDAL_DATA for every thread of this process.

    ``import mapnik`` (PyPI wheel) sets ``PROJ_LIB``/``GDAL_DATA`` to its own folders, which hold no
    ``proj.db`` for the system PROJ that GeoDjango uses; GDAL keeps one PROJ context per thread, so
    every new thread (requests, job workers) would then fail to transform (STACK-NOTES.md §4).
    ``OSRSetPROJSearchPaths`` applies to all present and future contexts.
    """
    from django.contrib.gis.gdal.libgdal import lgdal

    paths = (ctypes.c_char_p * 2)(settings.SYSTEM_PROJ_DATA.encode(), None)
    lgdal.OSRSetPROJSearchPaths(paths)
    lgdal.CPLSetConfigOption(b"GDAL_DATA", settings.SYSTEM_GDAL_DATA.encode())


class LayersConfig(AppConfig):
    name = "layers"
    verbose_name = _("Municipalities and cadastre")

    def ready(self) -> None:
        pin_system_gdal_data()
