"""Settings for AL-LAs Network, read from environment variables.

SQLite is the default so a fresh checkout runs with no set-up; production sets DEBUG=0,
SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL (PostgreSQL). Every variable is listed in README.md.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of 1/0, true/false, yes/no, on/off; got {value!r}"
    )


def env_int(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer; got {value!r}") from None


def env_list(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is required when DEBUG is off. Generate one with: "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    SECRET_KEY = "django-insecure-local-development-only"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is required when DEBUG is off (comma-separated).")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "allas",
    "front.apps.NetworkAdminConfig",  # django.contrib.admin with the network's site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_filters",
    "django_countries",
    "simple_history",
    "import_export",
    "axes",
    "csp",
    "corsheaders",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "partners",
    "activities",
    "joining",
    "opendata",
    "results",
    "front",
]

MIDDLEWARE = [
    # First: Permissions-Policy, no-store for signed-in pages, headers on error pages.
    "allas.middleware.SecurityHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # ETag on GET responses and 304 on revalidation (detail pages, feeds). Listed early, so it
    # tags the body as finally sent.
    "django.middleware.http.ConditionalGetMiddleware",
    # CORS headers on the API and the downloads (CORS_URLS_REGEX), before anything answers.
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # 400 for a NUL in the address, which PostgreSQL would refuse with a 500 (after Locale: the
    # page speaks the visitor's language).
    "allas.query_strings.RefuseNulMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes last: it reads the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "allas.urls"
WSGI_APPLICATION = "allas.wsgi.application"

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
                "allas.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        # Persistent connections, checked before reuse so a database restart heals by itself.
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
elif "postgresql" in DATABASES["default"]["ENGINE"]:
    # PostgreSQL's default cost of a random read (4) is meant for spinning disks: with it the
    # planner reads every activity to find a large network's few thousand instead of using the
    # index (bench/README.md has the measured difference). 1.1 is the usual value for
    # SSDs and data held in memory. Set per connection, so the plans do not depend on how the
    # server is configured; POSTGRES_RANDOM_PAGE_COST changes it.
    random_page_cost = os.environ.get("POSTGRES_RANDOM_PAGE_COST") or "1.1"
    try:
        float(random_page_cost)
    except ValueError:
        raise ImproperlyConfigured(
            f"POSTGRES_RANDOM_PAGE_COST must be a number; got {random_page_cost!r}"
        ) from None
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c random_page_cost={random_page_cost}"
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "staff:login"
LOGIN_REDIRECT_URL = "staff:activity-list"
LOGOUT_REDIRECT_URL = "home"

# Behind the TLS proxy (BEHIND_TLS_PROXY) the client's address is read from X-Forwarded-For,
# as written by the last TRUSTED_PROXY_COUNT proxies (allas/login_throttling.py). Independent of
# DEBUG so that tests can use it.
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", False)
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1 if BEHIND_TLS_PROXY else 0)

# Login throttling: lock a user name from one address after repeated failures, and an address
# after more failures whatever user names it tried (allas/login_throttling.failure_limit).
LOGIN_FAILURE_LIMIT_PER_USER = env_int("AXES_FAILURE_LIMIT", 5)
LOGIN_FAILURE_LIMIT_PER_ADDRESS = env_int("AXES_ADDRESS_FAILURE_LIMIT", 20)
AXES_FAILURE_LIMIT = "allas.login_throttling.failure_limit"
AXES_LOCKOUT_CALLABLE = "allas.login_throttling.lockout_response"
AXES_CLIENT_IP_CALLABLE = "allas.login_throttling.client_address"
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "allas.login_throttling.attempted_username"  # cut to 255 characters
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Password-reset e-mails per client address and per e-mail address in this many minutes.
PASSWORD_RESET_LIMIT_PER_ADDRESS = env_int("PASSWORD_RESET_LIMIT_PER_ADDRESS", 10)
PASSWORD_RESET_LIMIT_PER_EMAIL = env_int("PASSWORD_RESET_LIMIT_PER_EMAIL", 3)
PASSWORD_RESET_THROTTLE_MINUTES = env_int("PASSWORD_RESET_THROTTLE_MINUTES", 60)

LANGUAGE_CODE = "es"
LANGUAGES = [
    ("es", _("Spanish")),
    ("pt", _("Portuguese")),
    ("fr", _("French")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "America/Mexico_City")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "allas" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Who sends the bytes of an uploaded file once the app has allowed the download (allas/media.py):
# "django", or the web server: "x-accel-redirect" (nginx, from MEDIA_ACCEL_PREFIX, an internal
# location) or "x-sendfile" (Apache mod_xsendfile, the absolute path).
MEDIA_SERVE = os.environ.get("MEDIA_SERVE", "django")
if MEDIA_SERVE not in ("django", "x-accel-redirect", "x-sendfile"):
    raise ImproperlyConfigured(
        f"MEDIA_SERVE must be django, x-accel-redirect or x-sendfile; got {MEDIA_SERVE!r}"
    )
MEDIA_ACCEL_PREFIX = (
    "/" + os.environ.get("MEDIA_ACCEL_PREFIX", "/protected-media/").strip("/") + "/"
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Uploads: refuse anything bigger than this (bytes); see allas/validators.py.
MAX_UPLOAD_SIZE = env_int("MAX_UPLOAD_SIZE", 10 * 1024 * 1024)
# Admin imports (allas/import_forms.py), checked before a file is parsed: its size, the size
# an XLSX (zip) unpacks to, and its number of data rows.
IMPORT_MAX_FILE_SIZE = env_int("IMPORT_MAX_FILE_SIZE", 5 * 1024 * 1024)
IMPORT_MAX_UNPACKED_SIZE = env_int("IMPORT_MAX_UNPACKED_SIZE", 50 * 1024 * 1024)
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 10_000)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

# The map draws its own base layer (Natural Earth's country outlines, served with the static
# files), so no visitor's browser calls another host. A deployment with a tile server of its own
# may set its address ({z}/{x}/{y}) to draw tiles over the outlines, its attribution, and its
# origin in CSP_IMG_SRC. Empty (the default): no tiles.
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "")
MAP_TILE_ATTRIBUTION = os.environ.get("MAP_TILE_ATTRIBUTION", "")

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "AL-LAs Network <no-reply@localhost>")

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    }
}
# Anonymous public pages are cached this long (allas/cache.py; invalidated on every edit). 0: off.
PUBLIC_PAGE_CACHE_SECONDS = env_int("PUBLIC_PAGE_CACHE_SECONDS", 600)
if os.environ.get("REDIS_URL"):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],
    }

# Security headers. The production-only ones switch on when DEBUG is off.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if BEHIND_TLS_PROXY:
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *os.environ.get("CSP_IMG_SRC", "").split()],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        # Three style attributes in third-party admin templates (django-import-export's export
        # page, django-simple-history's history list), allowed by their exact hash; any other
        # inline style is still refused. Scripts get no such exception.
        "style-src-attr": [
            "'unsafe-hashes'",
            "'sha256-mHgUAqxc8GPXM/QhzkHrHujcrQTU9fd6ZjWz+icxKcA='",  # padding: 0;
            "'sha256-+YWRMZ88jMyO7jVlBA52tZADiPobPIUA8LAWee68Fvs='",  # font-weight: bold;
            "'sha256-XMXSevYjgSjXgRafBFDvtjwX+yyWLrxfso9DcNZ9UXM='",  # border-top: 0
        ],
    }
}
if not DEBUG:
    # Production is served over HTTPS only: any stray http:// subresource is upgraded.
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["upgrade-insecure-requests"] = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Reminders about agreements (see partners/management/commands/send_agreement_reminders.py).
AGREEMENT_REMINDER_DAYS_BEFORE_END = env_int("AGREEMENT_REMINDER_DAYS_BEFORE_END", 60)
AGREEMENT_STUCK_AFTER_DAYS = env_int("AGREEMENT_STUCK_AFTER_DAYS", 90)

# Applications to join the network (joining/): the confirmation link's life, how long closed
# applications keep their contact person's data, and the limits of joining/abuse.py.
JOINING_CONFIRMATION_HOURS = env_int("JOINING_CONFIRMATION_HOURS", 72)
JOINING_RETENTION_DAYS = env_int("JOINING_RETENTION_DAYS", 180)
JOINING_MIN_FILL_SECONDS = env_int("JOINING_MIN_FILL_SECONDS", 5)
JOINING_LIMIT_PER_ADDRESS = env_int("JOINING_LIMIT_PER_ADDRESS", 5)  # an hour
JOINING_LIMIT_PER_EMAIL = env_int("JOINING_LIMIT_PER_EMAIL", 3)  # a day
JOINING_MAX_UNCONFIRMED = env_int("JOINING_MAX_UNCONFIRMED", 500)
JOINING_MAX_EMAILS_PER_HOUR = env_int("JOINING_MAX_EMAILS_PER_HOUR", 200)
JOINING_MAX_ANSWERS = env_int("JOINING_MAX_ANSWERS", 20)
# Where applicants' replies and erasure requests go (the privacy notice names it).
PRIVACY_CONTACT_EMAIL = os.environ.get("PRIVACY_CONTACT_EMAIL", "coordination@al-las.localhost")
JOINING_REPLY_TO = os.environ.get("JOINING_REPLY_TO", PRIVACY_CONTACT_EMAIL)

# The bare view the benchmark harness compares pages with (bench/run.py); off unless asked for.
BENCHMARK_VIEWS = env_bool("BENCHMARK_VIEWS", False)

# Spreadsheet imports in the admin: a file is written whole or not at all.
IMPORT_EXPORT_USE_TRANSACTIONS = True

# Open data (opendata/): the read-only API, the downloads and their catalogue.
# Anonymous requests to the API a client may make (DRF rate: "120/minute"), counted in the
# shared cache per address; beyond, 429 with Retry-After. Empty: no limit (the benchmark).
API_THROTTLE_RATE = os.environ.get("API_THROTTLE_RATE", "120/minute")
# Where the downloads are written, once per content version (opendata/downloads.py).
OPEN_DATA_ROOT = Path(os.environ.get("OPEN_DATA_ROOT", BASE_DIR / "var" / "opendata"))
REST_FRAMEWORK = {
    # Read-only and anonymous: everyone sees what a visitor sees (no session, no CSRF).
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # JSON only: the browsable API's pages hold inline scripts our CSP refuses.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "URL_FORMAT_OVERRIDE": None,
    "COERCE_DECIMAL_TO_STRING": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "AL-LAs Network open data API",
    "DESCRIPTION": (
        "The public records of the Euro-Latin-American Alliance of Cooperation among Cities: "
        "partners, memberships, agreements, activities, participations, resources and themes. "
        "Read-only; licence CC BY 4.0."
    ),
    "VERSION": "1",
    "LICENSE": {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"},
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
# Any site may read the API and the downloads from a browser (GET only, no cookies).
CORS_ALLOW_ALL_ORIGINS = True
CORS_URLS_REGEX = r"^/(api|data)/.*$"
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")
CORS_ALLOW_CREDENTIALS = False
