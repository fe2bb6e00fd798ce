"""WSGI entry point (gunicorn gis_portal.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gis_portal.settings")
django_application = get_wsgi_application()

from wms.ows.front_cache import FrontCache  # noqa: E402  (needs the settings loaded above)

# repeated anonymous GetMap requests are answered before Django (wms/ows/front_cache.py)
application = FrontCache(django_application)
