"""WSGI entry point (gunicorn gis_portal.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gis_portal.settings")
django_application = get_wsgi_application()

from gis_portal.routing import ReplicaReads  # noqa: E402  (needs the settings loaded above)
from wms.ows.front_cache import FrontCache  # noqa: E402

# anonymous reads on a standby when there are some (gis_portal/routing.py); repeated anonymous GetMap
# requests answered before Django (wms/ows/front_cache.py)
application = ReplicaReads(FrontCache(django_application))
