"""Plan Portal settings: one file, configured only through environment variables.

Every variable is listed in README.md. Secrets may come from NAME or from the file named by NAME_FILE.
In production mode (DEBUG off) a missing secret is an error, never a default.

A development checkout also has its local settings file, ``.env.local`` (git-ignored; scripts/setup.sh
writes the local cluster's DATABASE_URL, DEBUG and a generated SECRET_KEY), so that ``manage.py`` works
in a new shell. It fills in only what the environment does not set; ``LOCAL_ENV_FILE=`` (empty, as
docker-compose and the image set it) means no such file is read. Not ``.env``: docker-compose would
read that one into the production configuration.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONCE as CSP_NONCE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def envstr(name: str, default: str | None = None) -> str | None:
    """NAME, or the contents of the file named by NAME_FILE (Docker secrets), or default."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE={file_name}: {exc}") from exc
    return os.environ.get(name, LOCAL_ENV.get(name, default))


def envbool(name: str, default: str) -> bool:
    value = (envstr(name, default) or "").strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean (use 1/0, true/false)")


def envint(name: str, default: str) -> int:
    value = envstr(name, default) or ""
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={value!r} is not an integer") from exc


def envfloat(name: str, default: str) -> float:
    value = envstr(name, default) or ""
    try:
        return float(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={value!r} is not a number") from exc


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in (envstr(name, default) or "").split(",") if item.strip()]


def read_local_env(*, path: Path) -> dict[str, str]:
    """NAME=value lines of the checkout's local settings file; blank lines and # comments skipped."""
    values = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        name, equals, value = line.strip().partition("=")
        if equals and name and not name.startswith("#"):
            values[name.strip()] = value.strip().strip("'\"")
    return values


LOCAL_ENV_FILE = os.environ.get("LOCAL_ENV_FILE", str(BASE_DIR / ".env.local"))
LOCAL_ENV = (
    read_local_env(path=Path(LOCAL_ENV_FILE))
    if LOCAL_ENV_FILE and Path(LOCAL_ENV_FILE).is_file()
    else {}
)
_SET_UP = "in a development checkout `make demo` or `scripts/setup.sh localenv` writes .env.local"

DEBUG = envbool("DEBUG", "0")

SECRET_KEY = envstr("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            f"SECRET_KEY (or SECRET_KEY_FILE) must be set when DEBUG is off ({_SET_UP})"
        )
    SECRET_KEY = "insecure-development-key-only-used-with-DEBUG-on"  # noqa: S105
elif not DEBUG and (len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5):
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 random characters when DEBUG is off")

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")
SITE_URL = (envstr("SITE_URL", "http://127.0.0.1:8000") or "").rstrip("/")

INSTALLED_APPS = [
    "accounts.admin_apps.PortalAdminConfig",  # django.contrib.admin behind the portal's sign-in
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.gis",
    "leaflet",
    "rest_framework",
    "rest_framework_gis",
    "drf_spectacular",
    "procrastinate.contrib.django",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "layers.apps.LayersConfig",
    "plans.apps.PlansConfig",
    "wms.apps.WmsConfig",
    "accounts.apps.AccountsConfig",
    "extracts.apps.ExtractsConfig",
    "monitoring.apps.MonitoringConfig",
    "consultation.apps.ConsultationConfig",
    "portal.apps.PortalConfig",
]

MIDDLEWARE = [
    "layers.metrics.RequestMetricsMiddleware",  # first: its time covers the whole stack
    "layers.unavailable.DatabaseUnavailableMiddleware",  # database unreachable: 503, not 500
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "accounts.two_step.TwoStepForAdminsMiddleware",
]

ROOT_URLCONF = "gis_portal.urls"
WSGI_APPLICATION = "gis_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.navigation.header_menu",
            ],
        },
    },
]

# Database: DATABASE_URL, e.g. postgis://user:pass@host:5432/portal. The Makefile and .env.local point at
# the project-local cluster (.var/pg, 127.0.0.1:54329) unless it is already set.
_database_url = envstr("DATABASE_URL")
if not _database_url:
    raise ImproperlyConfigured(
        f"DATABASE_URL is not set ({_SET_UP}); "
        "otherwise give postgis://user:password@host:port/name"
    )
# DB_CONN_MAX_AGE > 0 keeps connections between requests; the health check (on by default) makes a
# request after a restart of the database open a new one instead of failing (no app restart).
_conn = {
    "conn_max_age": envint("DB_CONN_MAX_AGE", "0"),
    "conn_health_checks": envbool("DB_CONN_HEALTH_CHECKS", "1"),
}
DATABASES = {"default": dj_database_url.parse(_database_url, **_conn)}
# Hot standbys (PostgreSQL streaming replication; docs/deploy.md): anonymous reads go to a healthy
# one (gis_portal/routing.py, layers/replicas.py), everything else to the primary ("default").
# The password is the primary's unless the URL gives one.
DATABASE_REPLICAS = []
for _number, _replica_url in enumerate(envlist("DATABASE_REPLICA_URLS", "")):
    _alias = f"replica_{_number}"
    DATABASES[_alias] = dj_database_url.parse(_replica_url, **_conn)
    DATABASES[_alias]["TEST"] = {"MIRROR": "default"}
    DATABASE_REPLICAS.append(_alias)
for _alias, _settings in DATABASES.items():
    _settings["ENGINE"] = "django.contrib.gis.db.backends.postgis"
    _database_password = envstr("DATABASE_PASSWORD")  # or DATABASE_PASSWORD_FILE (Docker secret)
    if _database_password and (_alias == "default" or not _settings.get("PASSWORD")):
        _settings["PASSWORD"] = _database_password
DATABASE_ROUTERS = ["gis_portal.routing.ReplicaRouter"]
# a standby lagging more than this is skipped (reads go to the primary) until it catches up
REPLICA_MAX_LAG_SECONDS = envfloat("REPLICA_MAX_LAG_SECONDS", "10")
REPLICA_CHECK_SECONDS = envfloat("REPLICA_CHECK_SECONDS", "5")  # per process and standby
REPLICA_CONNECT_TIMEOUT = envint("REPLICA_CONNECT_TIMEOUT", "2")
# after a write, the writer reads the primary this long (read-your-writes): a standby still in use
# then has replayed his write
REPLICA_READ_YOUR_WRITES_SECONDS = envint(
    "REPLICA_READ_YOUR_WRITES_SECONDS",
    str(int(REPLICA_MAX_LAG_SECONDS + REPLICA_CHECK_SECONDS + 1)),
)
REPLICA_STICKY_COOKIE = "primary_reads"
# requests that always read the primary (anonymous or not): accounts, admin, certified extracts and
# their verification, the REST API, imports, the health check
REPLICA_PRIMARY_PATHS = envstr(
    "REPLICA_PRIMARY_PATHS",
    r"^/(?:admin|konto|wypisy|weryfikacja|api|healthz|i18n)(?:/|$)|^/[^/]+/import(?:/|$)",
)
# Django binds query parameters on the client and never prepares. A few hot queries (GetFeatureInfo)
# use server-bound, prepared statements on purpose (wms/maps/featureinfo.py: prepare=True); a threshold
# this high prepares nothing else, and their one generic plan is kept (no planning per execution).
# DB_PREPARED_STATEMENTS=0 behind a pooler that cannot keep them.
for _settings in DATABASES.values() if envbool("DB_PREPARED_STATEMENTS", "1") else ():
    _options = _settings.setdefault("OPTIONS", {})
    _options["prepare_threshold"] = 1_000_000
    _options["options"] = (
        f"{_options.get('options', '')} -c plan_cache_mode=force_generic_plan".strip()
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "pl"
LANGUAGES = [("pl", _("Polish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = envstr("TIME_ZONE", "Europe/Warsaw")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(envstr("STATIC_ROOT", str(BASE_DIR / ".var" / "static")) or "")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(envstr("MEDIA_ROOT", str(BASE_DIR / ".var" / "media")) or "")
# Plan documents: empty, Django streams them after the permission check; a path such as
# "/_protected/" (an nginx `internal` location over MEDIA_ROOT): nginx sends them (X-Accel-Redirect).
DOCUMENTS_ACCEL_REDIRECT = envstr("DOCUMENTS_ACCEL_REDIRECT", "") or ""
if DOCUMENTS_ACCEL_REDIRECT and not (
    DOCUMENTS_ACCEL_REDIRECT.startswith("/") and DOCUMENTS_ACCEL_REDIRECT.endswith("/")
):
    raise ImproperlyConfigured("DOCUMENTS_ACCEL_REDIRECT must start and end with '/'")

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": envstr("REDIS_URL")}
        if envstr("REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

EMAIL_BACKEND = envstr("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = envstr("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", "25")
EMAIL_HOST_USER = envstr("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = envstr("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "0")
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "Plan Portal <noreply@localhost>")

# Production hardening (all on unless DEBUG).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", "0" if DEBUG else "1")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "0" if DEBUG else "1")
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000")
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# GDAL 3.6 (Debian 12) cannot block file/network access; our readers never open URLs (DESIGN.md §2).
SILENCED_SYSTEM_CHECKS = ["gis.W001"]

# Pin the system GDAL's PROJ and data folders (STACK-NOTES.md §4: `import mapnik` breaks them).
SYSTEM_PROJ_DATA = envstr("SYSTEM_PROJ_DATA", "/usr/share/proj")
SYSTEM_GDAL_DATA = envstr("SYSTEM_GDAL_DATA", "/usr/share/gdal")

# Storage SRID: EPSG:2180 (PUWG 1992), x = easting, everywhere inside the portal.
STORAGE_SRID = 2180

LEAFLET_CONFIG = {
    "DEFAULT_CENTER": (52.1, 19.4),
    "DEFAULT_ZOOM": 6,
    "MIN_ZOOM": 5,
    "MAX_ZOOM": 20,
    "TILES": [],
    "ATTRIBUTION_PREFIX": "Plan Portal",
    "RESET_VIEW": False,
}
# Base map: empty = the portal's own offline background; else an XYZ tile URL ({z}/{x}/{y}).
BASEMAP_URL = envstr("BASEMAP_URL", "")
BASEMAP_ATTRIBUTION = envstr("BASEMAP_ATTRIBUTION", "")

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    # Basic first: DRF answers an unauthenticated request with the first class's challenge
    # (401 + WWW-Authenticate: Basic); sessions have none, so with them first it was a bare 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.drf.PasswordOnlyBasicAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 100,
    # Rate limits of the public API (accounts issue); see the "Accounts and security" section below.
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": envstr("API_RATE_ANON", "120/minute"),
        "user": envstr("API_RATE_USER", "600/minute"),
        "extracts": envstr("API_RATE_EXTRACTS", "30/minute"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Plan Portal API",
    "DESCRIPTION": "Parcel extracts (wypis i wyrys) for surveyors and other REST endpoints.",
    "VERSION": "1",
}

# Domain settings.
WMS_MAX_WIDTH = envint("WMS_MAX_WIDTH", "4096")
WMS_MAX_HEIGHT = envint("WMS_MAX_HEIGHT", "4096")
# work per OGC request (issue 20): layers of a GetMap/GetFeatureInfo, characters of one parameter
WMS_MAX_LAYERS = envint("WMS_MAX_LAYERS", "30")
OGC_MAX_PARAMETER_CHARS = envint("OGC_MAX_PARAMETER_CHARS", "65536")
# per client and worker process on /ows, /<gmina>/ows and /ogcapi/ (wms/ows/throttle.py); 0: no limit
OGC_RATE_PER_SECOND = envfloat("OGC_RATE_PER_SECOND", "100")
OGC_RATE_BURST = envint("OGC_RATE_BURST", "400")
OGC_CONCURRENCY_PER_CLIENT = envint("OGC_CONCURRENCY_PER_CLIENT", "12")
# Mapnik keeps its PostGIS connections between requests (on in production; off in tests).
WMS_MAPNIK_PERSIST_CONNECTION = envbool("WMS_MAPNIK_PERSIST_CONNECTION", "0")
WMS_CACHE_SECONDS = envint("WMS_CACHE_SECONDS", "86400")
# anonymous GetCapabilities (WMS, WFS) kept in the Django cache against the catalogue generation
# (wms/core/capabilities_cache.py); 0: built on every request
OWS_CAPABILITIES_CACHE_SECONDS = envint("OWS_CAPABILITIES_CACHE_SECONDS", "86400")
# per worker: anonymous GetMap answers kept in front of Django (wms/ows/front_cache.py)
WMS_FRONT_CACHE_MB = envint("WMS_FRONT_CACHE_MB", "64")
# the catalogue generation known through LISTEN/NOTIFY (wms/core/generation.py); off behind a pooler in
# transaction mode (pgbouncer), where LISTEN does not work: then one query per OGC request
WMS_CATALOGUE_LISTEN = envbool("WMS_CATALOGUE_LISTEN", "1")
IMPORT_MAX_BYTES = envint("IMPORT_MAX_BYTES", str(512 * 1024 * 1024))
# a parcel import takes at most this share of the time it runs (plans/ingest/pace.py); 1: no pacing
IMPORT_CPU_SHARE = envfloat("IMPORT_CPU_SHARE", "0.2")
INGEST_TOPOLOGY_TOLERANCE_M2 = envfloat(
    "INGEST_TOPOLOGY_TOLERANCE_M2", "1.0"
)  # gaps/overlaps below: ignored
# harvest of APP acts from a WFS (plans/ingest/harvest.py): every n hours for gminy whose source has
# sync on (0 = off); seconds per request; features asked for per page; most features per harvest
HARVEST_SYNC_HOURS = envint("HARVEST_SYNC_HOURS", "0")
HARVEST_TIMEOUT_S = envfloat("HARVEST_TIMEOUT_S", "60")
HARVEST_PAGE_SIZE = envint("HARVEST_PAGE_SIZE", "1000")
HARVEST_MAX_FEATURES = envint("HARVEST_MAX_FEATURES", "50000")
EXTRACT_SLIVER_M2 = envfloat("EXTRACT_SLIVER_M2", "1.0")
EXTRACT_BATCH_MAX = envint("EXTRACT_BATCH_MAX", "100")
# processes sharing a surveyor batch of PDFs (CPU-bound layout); 1 = in the worker itself
EXTRACT_BATCH_WORKERS = envint("EXTRACT_BATCH_WORKERS", "2")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "procrastinate": {"level": envstr("PROCRASTINATE_LOG_LEVEL", "WARNING")},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "axes": {"level": envstr("AXES_LOG_LEVEL", "WARNING")},
    },
}

# ---------------------------------------------------------------------------------------------
# Accounts and security (accounts issue; docs/roles.md). Sign-in, second factor, brute-force
# protection, Content Security Policy, rate limits and upload limits.
# ---------------------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    # django-axes first: refuses sign-ins of a locked-out username/IP before any password check.
    "accounts.backends.SignInGuardBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:profile"
LOGOUT_REDIRECT_URL = "home"
PASSWORD_RESET_TIMEOUT = envint("PASSWORD_RESET_TIMEOUT", str(3 * 24 * 3600))
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", str(12 * 3600))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# The health check answers plain HTTP inside the compose network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# django-axes: 5 failed sign-ins of one username from one address lock that pair for 15 minutes.
AXES_ENABLED = envbool("AXES_ENABLED", "1")
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", "5")
AXES_COOLOFF_TIME = envfloat("AXES_COOLOFF_HOURS", "0.25")
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.auth.locked_out"
# Trusted reverse proxies in front (1 behind docker-compose's nginx): accounts/clients.py then takes
# the client address from X-Forwarded-For, for lock-outs, rate limits and the audit log alike.
TRUSTED_PROXY_COUNT = envint("AXES_PROXY_COUNT", "0")
AXES_CLIENT_IP_CALLABLE = "accounts.clients.client_ip"
AXES_VERBOSE = False

# django-otp: TOTP second factor for gmina staff (optional per account; see docs/roles.md).
OTP_TOTP_ISSUER = envstr("OTP_TOTP_ISSUER", "Plan Portal")
# Platform and gmina admins must set up TOTP before any staff page (accounts/two_step.py); on unless
# DEBUG (then off unless set).
TWO_FACTOR_REQUIRED_FOR_ADMINS = envbool("TWO_FACTOR_REQUIRED_FOR_ADMINS", "0" if DEBUG else "1")

# Content Security Policy (django-csp): only our own origin, no inline scripts or styles, no
# frames. A configured base map adds its tile server to img-src.
_csp_img = ["'self'", "data:"]
if BASEMAP_URL:
    _basemap = urlsplit(BASEMAP_URL)
    if _basemap.scheme not in {"http", "https"} or not _basemap.netloc:
        raise ImproperlyConfigured(f"BASEMAP_URL={BASEMAP_URL!r} is not an http(s) tile URL")
    _csp_img.append(f"{_basemap.scheme}://{_basemap.netloc.replace('{s}', '*')}")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        # NONCE: only django-leaflet's admin map widget writes an inline script, with a per-request
        # nonce; the nonce enters the header only on pages that use it (none of the public ones).
        "script-src": ["'self'", CSP_NONCE],
        "style-src": ["'self'"],
        "img-src": _csp_img,
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Rate limits of HTML views (accounts/ratelimit.py): scope -> "count/period" per client.
RATELIMITS = {
    "search": envstr("RATE_SEARCH", "60/minute"),
    "extract": envstr("RATE_EXTRACT", "20/minute"),
    "signup": envstr("RATE_SIGNUP", "10/hour"),
    "password_reset": envstr("RATE_PASSWORD_RESET", "5/hour"),
    "survey": envstr("RATE_SURVEY", "10/hour"),
    "consultation": envstr("RATE_CONSULTATION_COMMENT", "10/hour"),  # comments sent per address
}
# Public consultations (consultation/rules.py; u.p.z.p. art. 8h–8k; the minimum period for
# comments: art. 8k ust. 1, 21 days)
CONSULTATION_MIN_DAYS = envint("CONSULTATION_MIN_DAYS", "21")
CONSULTATION_GRACE_MINUTES = envint("CONSULTATION_GRACE_MINUTES", "15")
CONSULTATION_MAX_ATTACHMENTS = envint("CONSULTATION_MAX_ATTACHMENTS", "3")
CONSULTATION_ATTACHMENT_MAX_BYTES = envint(
    "CONSULTATION_ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024)
)
RATELIMIT_ENABLED = envbool("RATELIMIT_ENABLED", "1")

# Uploads: ordinary forms stay small; plan imports stream to disk up to IMPORT_MAX_BYTES.
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("DATA_UPLOAD_MAX_MEMORY_SIZE", str(5 * 1024 * 1024))
FILE_UPLOAD_MAX_MEMORY_SIZE = envint("FILE_UPLOAD_MAX_MEMORY_SIZE", str(5 * 1024 * 1024))
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
DATA_UPLOAD_MAX_NUMBER_FILES = envint("DATA_UPLOAD_MAX_NUMBER_FILES", "50")
FILE_UPLOAD_PERMISSIONS = 0o640

# Monitoring (docs/operations.md). /metrics answers a bearer token or an address in the networks
# (CIDR, comma-separated); with neither it does not exist (404). PROMETHEUS_MULTIPROC_DIR (an
# environment variable read by prometheus-client itself) for gunicorn's several workers.
METRICS_TOKEN = envstr("METRICS_TOKEN", "") or ""
METRICS_ALLOWED_NETWORKS = envlist("METRICS_ALLOWED_NETWORKS", "")

# The accessibility statement (/deklaracja-dostepnosci/, monitoring/statement.py): who publishes the
# platform, its dates (YYYY-MM-DD) and the platform-wide contact; each gmina's contact is on its record.
ACCESSIBILITY = {
    "publisher": envstr("A11Y_PUBLISHER", "Związek gmin – operator platformy Plan Portal"),
    "published": envstr("A11Y_PUBLISHED", "2025-01-15"),
    "updated": envstr("A11Y_UPDATED", "2026-03-31"),
    "prepared": envstr("A11Y_PREPARED", "2026-03-31"),
    "reviewed": envstr("A11Y_REVIEWED", "2026-03-31"),
    "contact": envstr("A11Y_CONTACT", ""),
    "email": envstr("A11Y_EMAIL", ""),
    "phone": envstr("A11Y_PHONE", ""),
}
