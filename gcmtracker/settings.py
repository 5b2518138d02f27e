"""Longer than 400 lines: one env-driven settings module by design (STYLE.md), every block commented with why.

GCM Tracker settings, read from the environment.

Development needs nothing set: a SQLite file in the project folder, DEBUG on, a throwaway
secret key. Production sets DJANGO_ENV=production (or DEBUG=false), SECRET_KEY and
ALLOWED_HOSTS; every variable is listed in the README. A malformed value fails loudly at start.
"""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from gcmtracker.environment import StrictEnv
from gcmtracker.logs import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent

# django-environ's Env, except that a value it cannot read stops start-up (gcmtracker/environment.py).
env = StrictEnv()

DEBUG = env.bool("DEBUG", default=True)
PRODUCTION = not DEBUG

_DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production-0123456789abcdef"
SECRET_KEY = env.str("SECRET_KEY", default=_DEV_SECRET_KEY)
if PRODUCTION and SECRET_KEY == _DEV_SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    # Staff two-factor: TOTP authenticators and single-use recovery codes (gcmtracker/accounts.py).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "events",
    "recommendations",
    "gcmtracker",
]

MIDDLEWARE = [
    # First: every log line of the request carries its id, user and door (gcmtracker/logs.py).
    "gcmtracker.logs.RequestContextMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before anything reads the path or the query: PostgreSQL would answer a NUL with a 500.
    "gcmtracker.middleware.RefuseNulBytesMiddleware",
    # Before anything that queries: decides whether this request may read from the replica.
    "gcmtracker.routers.ReplicaRoutingMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Which second factor, if any, this session proved; then staff without one act as the public.
    "django_otp.middleware.OTPMiddleware",
    "gcmtracker.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Names the door (page, API, admin) and the request id of the change records a request writes.
    "recommendations.services.context.WriteContextMiddleware",
    # After locale, session, CSRF and messages: the language is in its key, and it must see a
    # response that used a CSRF token or a message to leave it out of the shared cache.
    "gcmtracker.cache.PublicPageCacheMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into a clear refusal page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Brute force: after AXES_FAILURE_LIMIT failures for one username from one address, refuse for
# AXES_COOLOFF_TIME hours. The cool-off matters: axes' default locks the account out forever.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Password reset emails: at most this many requests per address asked for, and per client IP, in the
# window (gcmtracker/accounts.py); past either the form answers 429 and sends nothing.
PASSWORD_RESET_PER_ACCOUNT = env.int("PASSWORD_RESET_PER_ACCOUNT", default=3)
PASSWORD_RESET_PER_CLIENT = env.int("PASSWORD_RESET_PER_CLIENT", default=10)
PASSWORD_RESET_WINDOW_SECONDS = env.int("PASSWORD_RESET_WINDOW_SECONDS", default=3600)
# Stakeholder registrations and report submissions, per account and per client IP in the window
# (recommendations/stakeholders/views.py); past either, 429 and nothing written.
STAKEHOLDER_PER_ACCOUNT = env.int("STAKEHOLDER_PER_ACCOUNT", default=10)
STAKEHOLDER_PER_CLIENT = env.int("STAKEHOLDER_PER_CLIENT", default=20)
STAKEHOLDER_WINDOW_SECONDS = env.int("STAKEHOLDER_WINDOW_SECONDS", default=3600)
# Editors and administrators always prove a second factor (TOTP or a recovery code) after their
# password; focal points too when this is on.
TWO_FACTOR_FOCAL_POINTS = env.bool("TWO_FACTOR_FOCAL_POINTS", default=False)
# The name authenticator apps show beside the code.
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="GCM Tracker")

ROOT_URLCONF = "gcmtracker.urls"
# Django's form renderer with <select> built in Python (gcmtracker/forms.py says why).
FORM_RENDERER = "gcmtracker.forms.FastSelectRenderer"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

WSGI_APPLICATION = "gcmtracker.wsgi.application"

# SQLite by default; PostgreSQL (psycopg 3) when DATABASE_URL says so.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
# PostgreSQL's JIT compiles a query when its estimated cost is high; a page's queries are short,
# and on the state list at scale compiling took longer (0.4 s) than running. Off, as for most
# web workloads. So are parallel workers: starting them took 8 of the 10 ms of the state page's
# history query at full scale (1.6 ms without), and under load every worker process already
# keeps the CPUs busy (issue 18).
POSTGRESQL_OPTIONS = {"options": "-c jit=off -c max_parallel_workers_per_gather=0"}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).update(POSTGRESQL_OPTIONS)
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several processes (web server threads, the task worker, a command) write to one file:
    # - WAL lets readers work while a writer holds the lock;
    # - the busy timeout makes a writer wait for the lock instead of failing at once;
    # - IMMEDIATE transactions take the write lock when an atomic block starts. With SQLite's
    #   default (DEFERRED), a transaction that read first and then writes cannot wait: SQLite
    #   answers "database is locked" at once, whatever the timeout, as waiting could deadlock.
    #   That was the 500 of concurrent API writes (tests/test_sqlite_concurrency.py).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "timeout": env.int("SQLITE_BUSY_TIMEOUT", default=20),
            "transaction_mode": "IMMEDIATE",
        }
    )
# A PostgreSQL read replica for the public's reads (gcmtracker/routers.py explains which reads).
# In tests it mirrors the primary's test database instead of getting one of its own.
if env.str("REPLICA_DATABASE_URL", default=""):
    DATABASES["replica"] = env.db("REPLICA_DATABASE_URL")
    DATABASES["replica"].setdefault("CONN_MAX_AGE", DATABASES["default"]["CONN_MAX_AGE"])
    DATABASES["replica"].setdefault("OPTIONS", {}).update(POSTGRESQL_OPTIONS)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["gcmtracker.routers.PrimaryReplicaRouter"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
# The UN's working languages the interface is translated into (locale/<code>/LC_MESSAGES/django.po).
LANGUAGES = [("en", _("English")), ("fr", _("French")), ("es", _("Spanish")), ("ar", _("Arabic"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates and numbers per language from Django's locale formats; English as the UN writes dates.
FORMAT_MODULE_PATH = ["gcmtracker.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
# In development whitenoise serves straight from the source folders, no collectstatic needed.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# Evidence files: never under static, never served directly; a view checks access first.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "/media-not-served/"
EVIDENCE_MAX_UPLOAD_BYTES = env.int("EVIDENCE_MAX_UPLOAD_BYTES", default=20 * 1024 * 1024)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed, compressed, long-cached names in production; plain files in development and tests.
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# A cache shared by every process: Redis when REDIS_URL is set (every app server sees the same
# entries), else a table in the database (created by `migrate`, gcmtracker/apps.py). Never a
# per-process cache: the runserver, the task worker and a `manage.py demo` in another terminal
# must see the same scope versions, or a command's write stays invisible to the server until its
# pages expire. The database cache over a file cache: it follows DATABASE_URL, so it is exactly
# as shared as the data it caches, and it goes with the database (delete db.sqlite3 and reseed,
# and no page of the old data can come back); a file cache would outlive a reset database.
REDIS_URL = env.str("REDIS_URL", default="")
CACHES = {
    # gcmtracker.redis_cache: Django's Redis backend with one client a connection pool (issue 18).
    "default": {"BACKEND": "gcmtracker.redis_cache.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": "gcm"}
    if REDIS_URL
    else {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "gcm_cache",
        "KEY_PREFIX": "gcm",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }
}
# Off by default in production without Redis: the database cache would turn every page view
# into a write on the primary (a deploy check warns when set anyway).
CACHE_SECONDS = env.int("CACHE_SECONDS", default=300 if REDIS_URL or DEBUG else 0)
# What a public response tells browsers, reverse proxies and CDNs (gcmtracker/cache.py): keep it
# this many seconds, then serve it stale this much longer while asking again (an ETag or
# Last-Modified revalidation, answered 304 when nothing it shows has changed).
CACHE_HTTP_MAX_AGE = env.int("CACHE_HTTP_MAX_AGE", default=10)
CACHE_HTTP_STALE_SECONDS = env.int("CACHE_HTTP_STALE_SECONDS", default=30)

# Evidence files on S3-compatible object storage when a bucket is named, so any app server can
# read what another stored. Evidence can hold personal data: the bucket stays private (no ACL
# grants, no public URLs); the evidence view checks access and streams the file itself.
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": 300,
            "file_overwrite": False,
            "location": env.str("AWS_LOCATION", default="media"),
        },
    }
    # AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are read from the environment by boto3 itself
    # (or an instance role is used), so they never pass through settings.

# Email: printed to the console unless EMAIL_URL points at an SMTP server (smtp+tls://user:pass@host:587).
vars().update(env.email("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="GCM Tracker <no-reply@localhost>")
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
# The licence of the tracker's own data, as the about page states it (empty: none published yet).
DATA_LICENCE = env.str("DATA_LICENCE", default="")
DATA_LICENCE_URL = env.str("DATA_LICENCE_URL", default="")

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "staff:my-work"
LOGOUT_REDIRECT_URL = "recommendations:dashboard"

# A public status with no new evidence for this long is shown as out of date (STALE_AFTER_DAYS: its old name).
OUT_OF_DATE_AFTER_DAYS = env.int("OUT_OF_DATE_AFTER_DAYS", default=env.int("STALE_AFTER_DAYS", default=730))
# An assigned item with no update for this long is "untouched" on the owner's work list (OWNER_STALE_AFTER_DAYS:
# its old name).
OWNER_UNTOUCHED_AFTER_DAYS = env.int(
    "OWNER_UNTOUCHED_AFTER_DAYS", default=env.int("OWNER_STALE_AFTER_DAYS", default=180)
)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # DRF's, refusing tokens of accounts that must use a second factor and have none. First, so
        # that a missing or refused credential is a 401 with `WWW-Authenticate: Token` (DRF asks the
        # first class for that header; the session class has none, which made it a 403).
        "gcmtracker.accounts.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Reading is open; every write is decided again by recommendations.permissions.
    "DEFAULT_PERMISSION_CLASSES": ["recommendations.permissions.StaffOrReadOnly"],
    "DEFAULT_FILTER_BACKENDS": [
        # django-filter's, answering 404 for a value that names nothing and 400 for an empty one.
        "gcmtracker.api_filters.FilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    # DRF's page numbers, refusing an empty ?page=.
    "DEFAULT_PAGINATION_CLASS": "gcmtracker.api_filters.Pagination",
    "PAGE_SIZE": 50,
    # drf-spectacular's, adding the answers DRF gives on every door (401, 406, 429, ...), and no
    # security requirement on the public reads.
    "DEFAULT_SCHEMA_CLASS": "gcmtracker.schema.AutoSchema",
    # 429 with Retry-After past these rates (API_THROTTLE_ANON, API_THROTTLE_USER below).
    "DEFAULT_THROTTLE_CLASSES": ["gcmtracker.limits.AnonRateThrottle", "gcmtracker.limits.UserRateThrottle"],
    # DRF's own JSON parser with a body-size and a nesting limit (gcmtracker/limits.py).
    "DEFAULT_PARSER_CLASSES": [
        "gcmtracker.limits.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
}

# API request rates, counted in the shared cache: per client address for anonymous readers, per
# account for logged-in users and tokens ("120/minute", "5000/hour"; empty turns a throttle off).
API_THROTTLE_ANON = env.str("API_THROTTLE_ANON", default="120/minute")
API_THROTTLE_USER = env.str("API_THROTTLE_USER", default="600/minute")

SPECTACULAR_SETTINGS = {
    "TITLE": "GCM Tracker API",
    "DESCRIPTION": (
        "Public data on GCM cluster 1 commitments and recommendations, and writes for staff.\n\n"
        "Reading needs no login. Resources are addressed by readable identifiers: states by ISO 3166 "
        "alpha-2 code (`/api/v1/states/FR/`), commitments by number, recommendations and indicators by "
        "code, events, documents, themes and review cycles by slug, implementations by id (filter them "
        "with `?state=FR&commitment=3`). Lists are paginated (`?page=2`) and sorted with `?ordering=`.\n\n"
        "Writing needs a staff account with a role, and is limited to what that role and scope allow. "
        "Log in through the site (session; send the CSRF token) or use a token: an administrator creates one "
        "in the admin (Auth Token > Tokens) or with `python manage.py drf_create_token <username>`, and a "
        "script sends it as `Authorization: Token <key>`. Every change to an implementation names the version "
        "it started from: send the `ETag` of the GET as `If-Match` (or a `version` field); a stale version is "
        "refused with 412 Precondition Failed and a missing one with 428 Precondition Required.\n\n"
        "Requests are throttled per client address (anonymous) and per account (logged in or token): past the "
        "rate, the answer is 429 Too Many Requests with a Retry-After header giving the seconds to wait."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Group operations by resource (states, commitments, ...) rather than under one "v1" tag.
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    # Requests and answers described apart: a request's required text has minLength 1 (DRF refuses a
    # blank one) and a file is binary, which a shared component could not say.
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        # Free-text query parameters hold no NUL (every door refuses it).
        "gcmtracker.schema.no_nul_in_query_text",
        # New evidence gives a link or a file.
        "gcmtracker.schema.evidence_needs_a_link_or_a_file",
    ],
    # One schema name per vocabulary: several models have a "kind" or a status field.
    "ENUM_NAME_OVERRIDES": {
        "StatusEnum": "recommendations.choices.Status",
        "ThemeKindEnum": "recommendations.choices.ThemeKind",
        "RecommendationKindEnum": "recommendations.choices.RecommendationKind",
        "EvidenceKindEnum": "recommendations.choices.EvidenceKind",
        "CycleKindEnum": "recommendations.choices.CycleKind",
        "EventKindEnum": "events.choices.EventKind",
        "DocumentKindEnum": "events.choices.DocumentKind",
        "SessionKindEnum": "events.choices.SessionKind",
    },
}

# Content Security Policy: nothing inline, nothing from elsewhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # The header only allows a submission to the browsers' preload list; nobody is submitted
    # without asking at hstspreload.org. check --deploy asks for it (security.W021).
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True

# --- Logs and error reports (gcmtracker/logs.py) -------------------------------------------
# One JSON object per line in production, readable lines in development; every record has the
# request id, user id and door. ADMINS get an email for each server error in production
# ("Name <email>" or a bare address, comma-separated). SENTRY_DSN turns on sentry-sdk
# (the `sentry` extra: `uv sync --locked --extra sentry`; the container has it); nothing is sent without it.
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO").upper()
LOG_FORMAT = env.str("LOG_FORMAT", default="json" if PRODUCTION else "text")
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured(f"LOG_FORMAT={LOG_FORMAT!r}: use json or text.")
ADMINS = [
    (name.strip().strip('"'), address.strip(" <>")) if "<" in entry else ("", entry.strip())
    for entry in env.list("ADMINS", default=[])
    for name, _sep, address in [entry.partition("<")]
]
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
LOGGING = logging_config(level=LOG_LEVEL, fmt=LOG_FORMAT, admins=bool(ADMINS))
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    try:
        import sentry_sdk
    except ImportError:
        raise ImproperlyConfigured(
            "SENTRY_DSN is set, but sentry-sdk is not installed: uv sync --locked --extra sentry."
        ) from None
    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default="production" if PRODUCTION else "development"),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
        send_default_pii=False,
    )
# --- end of logs -----------------------------------------------------------------------------

# Bulk import (admin page and `manage.py import_data`): larger files are refused before reading.
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=10 * 1024 * 1024)

# Limits on untrusted input, checked before any per-item work (gcmtracker/limits.py; README, "Limits").
# Request bodies other than file uploads (JSON, form fields): Django's own setting, also read by the API.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=2_621_440)
# Lists and objects inside lists and objects, in API bodies and imported fixtures; the fixtures
# of fixtures/ are 4 deep.
INPUT_MAX_DEPTH = env.int("INPUT_MAX_DEPTH", default=32)
# Values that the aliases (*name) of an imported YAML fixture stand for, expanded: fixtures need
# none, a 430-byte "billion laughs" stands for a million.
YAML_MAX_ALIAS_NODES = env.int("YAML_MAX_ALIAS_NODES", default=10_000)
# Ids in one list of an API write (the evidence a status change rests on).
API_MAX_LIST_LENGTH = env.int("API_MAX_LIST_LENGTH", default=100)
# ZIP containers (office evidence files, .xlsx imports): unpacked in all, files inside, and how many
# times they may expand. Real office files expand 2 to 20 times.
ARCHIVE_MAX_UNCOMPRESSED_BYTES = env.int("ARCHIVE_MAX_UNCOMPRESSED_BYTES", default=100 * 1024 * 1024)
ARCHIVE_MAX_MEMBERS = env.int("ARCHIVE_MAX_MEMBERS", default=1000)
ARCHIVE_MAX_RATIO = env.int("ARCHIVE_MAX_RATIO", default=100)

# --- Background tasks (django-tasks with django-tasks-db; gcmtracker/tasks.py) -------------
# Queued in the database, so SQLite and PostgreSQL both work with no broker, and several workers
# on several machines share one PostgreSQL queue. `manage.py run_worker` runs them (dev.py serve
# starts one beside the server); tests run each task at once unless they ask for the queue.
TASKS = {"default": {"BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend")}}
# /readyz fails when no worker reported within this many seconds (each one reports every 10 s).
WORKER_HEARTBEAT_MAX_AGE = env.int("WORKER_HEARTBEAT_MAX_AGE", default=60)
# A failed email is tried again this many times, waiting 1, 2, 4... minutes between tries.
EMAIL_MAX_ATTEMPTS = env.int("EMAIL_MAX_ATTEMPTS", default=5)
# `manage.py run_scheduled` deletes finished task results and django-axes access logs older than these.
TASK_RESULT_RETENTION_DAYS = env.int("TASK_RESULT_RETENTION_DAYS", default=30)
AXES_LOG_RETENTION_DAYS = env.int("AXES_LOG_RETENTION_DAYS", default=90)
# --- end of background tasks -----------------------------------------------------------------
