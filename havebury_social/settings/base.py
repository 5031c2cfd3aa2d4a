"""Settings for every environment, read from the environment (README.md, Configuration).

The embedded defaults need no server: SQLite and kombu's filesystem broker in a
data folder, so `manage.py migrate`, `check` and the demo run on a bare laptop.
Production sets DATABASE_URL, REDIS_URL and the secrets; nothing is production-only.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import secrets
from pathlib import Path

import django_stubs_ext
import environ

# Lets admin and queryset classes be subscripted at run time, as the type stubs expect.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
env.read_env(BASE_DIR / ".env")  # optional and untracked; the real environment wins

DATA_DIR = Path(env.str("HAVEBURY_DATA_DIR", default=str(BASE_DIR / ".data")))


def _laptop_secret(name: str) -> str:
    """A random secret kept in the data folder so web and worker processes agree.

    Only for the embedded defaults; `check --deploy` reports it (moderation.E001).
    """
    path = DATA_DIR / name
    if not path.exists():
        _private_data_dir()
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


def _private_data_dir() -> None:
    """The data folder holds the SQLite file (sessions, password hashes) and the laptop
    secret: only its owner may read it (issue 13 found it 0755 with a 0644 database)."""
    DATA_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
    DATA_DIR.chmod(0o700)


def _private_sqlite_file(path: Path) -> None:
    """Create the SQLite file 0600 before SQLite does (it would use the umask, usually
    0644); SQLite gives its -wal and -shm files the database file's mode. Tightens
    files left 0644 by older versions too."""
    _private_data_dir()
    path.touch(mode=0o600, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        sibling = path.with_name(path.name + suffix)
        if sibling.exists():
            sibling.chmod(0o600)


DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY_FROM_ENV = bool(env.str("DJANGO_SECRET_KEY", default=""))
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="") or _laptop_secret("secret_key")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# Channel credentials are encrypted at rest with Fernet. The first key encrypts;
# all keys decrypt, so a new key can be put first and old tokens re-encrypted
# with `manage.py rotate_credentials_key` before the old key is dropped.
FIELD_ENCRYPTION_KEYS_FROM_ENV = bool(env.list("FIELD_ENCRYPTION_KEYS", default=[]))
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[]) or [
    base64.urlsafe_b64encode(hashlib.sha256(("fernet:" + SECRET_KEY).encode()).digest()).decode()
]

INSTALLED_APPS = [
    "havebury_social.admin_site.HardenedAdminConfig",  # django.contrib.admin with safe changelists
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "django_celery_beat",
    "django_htmx",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "accounts",
    "moderation",
]
# The fake platform server is dev tooling (`make run`, the tests): present in a checkout,
# left out of the production image. Installed only where it exists.
if importlib.util.find_spec("fakeplatforms") is not None:
    INSTALLED_APPS.append("fakeplatforms")
# Dev-only policy tooling (manage.py train_classifier / evaluate_policy): like the fake server,
# present in a checkout and left out of the production image.
if importlib.util.find_spec("policy_lab") is not None:
    INSTALLED_APPS.append("policy_lab")

MIDDLEWARE = [
    "havebury_social.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "corsheaders.middleware.CorsMiddleware",  # before CommonMiddleware (django-cors-headers)
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # django-otp's and Django's, stepping aside for bearer-token API requests (havebury_social/bearer.py).
    "havebury_social.bearer.OTPMiddleware",
    "havebury_social.bearer.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "havebury_social.csp.CSPMiddleware",  # django-csp's, its header built once
    "accounts.middleware.IdleSessionMiddleware",
    "accounts.middleware.TwoFactorRequiredMiddleware",
    # Last, as django-axes asks: it turns a lockout raised by the backend into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "havebury_social.urls"
WSGI_APPLICATION = "havebury_social.wsgi.application"
ASGI_APPLICATION = "havebury_social.asgi.application"

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
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'havebury.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and beat share the file: WAL lets readers run beside the writer, and
    # IMMEDIATE transactions take the write lock up front, so a busy file means a wait
    # (up to the timeout) instead of an instant "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 30, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
    if str(DATABASES["default"]["NAME"]) not in ("", ":memory:"):
        _private_sqlite_file(Path(DATABASES["default"]["NAME"]))
else:
    # Keep each worker thread's PostgreSQL connection for a while instead of opening one per
    # request (a backend fork and a sign-in each time: a large share of a cheap API request's
    # cost); health checks drop one the server closed. 0 restores a connection per request.
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=60))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "moderation:home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env.str("TIME_ZONE", default="Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

REDIS_URL = env.str("REDIS_URL", default="")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# --- Celery (docs/architecture.md §4) -----------------------------------------
BROKER_DIR = DATA_DIR / "broker"
# The folders below locate the embedded broker; its URL names a host only because kombu warns
# "No hostname was supplied" on every connection to a bare filesystem://.
EMBEDDED_BROKER_URL = "filesystem://localhost/"
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="") or REDIS_URL or EMBEDDED_BROKER_URL
if CELERY_BROKER_URL == "filesystem://":
    CELERY_BROKER_URL = EMBEDDED_BROKER_URL
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {}
if CELERY_BROKER_URL == EMBEDDED_BROKER_URL:
    # One folder that producers write to and the worker reads from; kombu does not create it.
    (BROKER_DIR / "out").mkdir(parents=True, exist_ok=True)
    (BROKER_DIR / "processed").mkdir(parents=True, exist_ok=True)
    (BROKER_DIR / "control").mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "out"),
        "data_folder_out": str(BROKER_DIR / "out"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "control_folder": str(BROKER_DIR / "control"),  # kombu's default is ./control in the work tree
        "store_processed": False,
        "polling_interval": 0.2,  # seconds; the default 1s makes the laptop queue feel slow
    }
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True  # the database row is the result
CELERY_TASK_SOFT_TIME_LIMIT = 120
CELERY_TASK_TIME_LIMIT = 180
CELERY_TASK_DEFAULT_QUEUE = "poll"
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# --- REST API (moderation/api; docs/api.md) ------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "moderation.api.authentication.BearerTokenAuthentication",
        "moderation.api.authentication.SessionUnlessBearerAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["moderation.api.permissions.RoleAndScope"],
    "DEFAULT_THROTTLE_CLASSES": [
        "moderation.api.throttles.ApiRateThrottle",
        "moderation.api.throttles.ActionRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "api": env.str("API_THROTTLE_RATE", default="3600/hour"),
        "actions": env.str("API_ACTION_THROTTLE_RATE", default="600/hour"),
    },
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "moderation.api.pagination.IdCursor",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "moderation.api.errors.api_exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["moderation.api.renderers.JSONRenderer"],  # DRF's, encoded by orjson
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "moderation.api.negotiation.KeptContentNegotiation",
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Havebury Social API",
    "DESCRIPTION": "Moderation inbox for the intranet: items, flags, actions, authors, channels, stats. "
    "Authenticate with `Authorization: Bearer <token>` (docs/api.md). Errors are RFC 9457 problem details.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",  # served from our static files: no CDN
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "moderation.api.schema.add_problem_responses",
    ],
    "ENUM_NAME_OVERRIDES": {
        "ItemKindEnum": "moderation.models.ItemKind",
        "ActionKindEnum": "moderation.models.ActionKind",
        "IntranetEventEnum": "moderation.models.IntranetEvent",
        "ItemStateEnum": "moderation.models.ItemState",
    },
}
# CORS: only the intranet origins listed here may call /api/ from a browser; none by default.
CORS_ALLOWED_ORIGINS = env.list("API_CORS_ALLOWED_ORIGINS", default=[])
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_HEADERS = ("authorization", "content-type", "idempotency-key", "if-none-match", "x-csrftoken")
CORS_EXPOSE_HEADERS = ("etag", "retry-after", "idempotent-replayed")
# Outgoing webhooks go only to these hosts (no redirects followed).
API_WEBHOOK_ALLOWED_HOSTS = env.list("API_WEBHOOK_ALLOWED_HOSTS", default=[])
API_WEBHOOK_MAX_ATTEMPTS = env.int("API_WEBHOOK_MAX_ATTEMPTS", default=8)
API_WEBHOOK_TIMEOUT = (3.0, env.float("API_WEBHOOK_TIMEOUT", default=10.0))
# The items list's micro-cache lifetime in seconds; 0 turns it off (moderation/api/list_cache.py).
API_LIST_CACHE_SECONDS = env.float("API_LIST_CACHE_SECONDS", default=1.0)

# --- Platforms -------------------------------------------------------------------
# Base URLs are settings so the same adapters talk to the real platforms in
# production and to `manage.py fakeplatforms` on 127.0.0.1 in the demo and tests.
FACEBOOK_GRAPH_URL = env.str("FACEBOOK_GRAPH_URL", default="https://graph.facebook.com")
FACEBOOK_GRAPH_VERSION = env.str("FACEBOOK_GRAPH_VERSION", default="v26.0")
FACEBOOK_DIALOG_URL = env.str("FACEBOOK_DIALOG_URL", default="https://www.facebook.com")
FACEBOOK_APP_ID = env.str("FACEBOOK_APP_ID", default="")
FACEBOOK_APP_SECRET = env.str("FACEBOOK_APP_SECRET", default="")
INSTAGRAM_GRAPH_URL = env.str("INSTAGRAM_GRAPH_URL", default="https://graph.facebook.com")
X_API_URL = env.str("X_API_URL", default="https://api.x.com")
YOUTUBE_API_URL = env.str("YOUTUBE_API_URL", default="https://www.googleapis.com")
LINKEDIN_API_URL = env.str("LINKEDIN_API_URL", default="https://api.linkedin.com")
LINKEDIN_VERSION = env.str("LINKEDIN_VERSION", default="202609")
# X, YouTube and LinkedIn sign-in (docs/channels.md): each is off until its client id is set.
X_AUTH_URL = env.str("X_AUTH_URL", default="https://x.com")
X_CLIENT_ID = env.str("X_CLIENT_ID", default="")
X_CLIENT_SECRET = env.str("X_CLIENT_SECRET", default="")
X_MONTHLY_READ_BUDGET = env.int("X_MONTHLY_READ_BUDGET", default=15_000)  # posts read a month
GOOGLE_AUTH_URL = env.str("GOOGLE_AUTH_URL", default="https://accounts.google.com")
GOOGLE_OAUTH_URL = env.str("GOOGLE_OAUTH_URL", default="https://oauth2.googleapis.com")
GOOGLE_CLIENT_ID = env.str("GOOGLE_CLIENT_ID", default="")
GOOGLE_CLIENT_SECRET = env.str("GOOGLE_CLIENT_SECRET", default="")
YOUTUBE_DAILY_QUOTA = env.int("YOUTUBE_DAILY_QUOTA", default=10_000)  # units a day, reset at midnight Pacific
YOUTUBE_ACTION_RESERVE = env.int("YOUTUBE_ACTION_RESERVE", default=1_000)  # units polls leave for actions
LINKEDIN_AUTH_URL = env.str("LINKEDIN_AUTH_URL", default="https://www.linkedin.com")
LINKEDIN_CLIENT_ID = env.str("LINKEDIN_CLIENT_ID", default="")
LINKEDIN_CLIENT_SECRET = env.str("LINKEDIN_CLIENT_SECRET", default="")
PLATFORM_TIMEOUT = (
    env.float("PLATFORM_CONNECT_TIMEOUT", default=5.0),
    env.float("PLATFORM_READ_TIMEOUT", default=20.0),
)

# Channel adapters (moderation/channels/registry.py; docs/channels.md). Tokens are not
# here: OAuth connect stores them encrypted in Channel.credentials.
INSTAGRAM_APP_SECRET = env.str("INSTAGRAM_APP_SECRET", default="") or FACEBOOK_APP_SECRET
META_WEBHOOK_VERIFY_TOKEN = env.str("META_WEBHOOK_VERIFY_TOKEN", default="")
CHANNEL_USAGE_BACKOFF_PERCENT = env.float("CHANNEL_USAGE_BACKOFF_PERCENT", default=90.0)
CHANNEL_MAX_POSTS = env.int("CHANNEL_MAX_POSTS", default=25)  # recent posts/media swept per poll
FACEBOOK_SCOPES = env.list(
    "FACEBOOK_SCOPES",
    default=[
        "pages_show_list",
        "pages_read_engagement",
        "pages_read_user_content",
        "pages_manage_engagement",
        "pages_manage_metadata",
        "instagram_basic",
        "instagram_manage_comments",
    ],
)
_META_OPTIONS = {
    "version": FACEBOOK_GRAPH_VERSION,
    "timeout": PLATFORM_TIMEOUT,
    "backoff_percent": CHANNEL_USAGE_BACKOFF_PERCENT,
    "max_posts": CHANNEL_MAX_POSTS,
}
_META_CONNECT = {
    "dialog_url": FACEBOOK_DIALOG_URL,
    "version": FACEBOOK_GRAPH_VERSION,
    "app_id": FACEBOOK_APP_ID,
    "app_secret": FACEBOOK_APP_SECRET,
    "scopes": FACEBOOK_SCOPES,
    "timeout": PLATFORM_TIMEOUT,
}
# The channel registry: one entry per platform, nothing platform-specific anywhere else
# (docs/architecture.md, "How to add a network"). Validated at start-up by a system check.
# Every entry is always present; a connector whose app credentials are not set says so.
MODERATION_CHANNELS: dict[str, dict[str, object]] = {
    "facebook": {
        "ADAPTER": "moderation.channels.meta.facebook.FacebookPageAdapter",
        "CONNECTOR": "moderation.channels.meta.login.FacebookConnector",
        "WEBHOOK": "moderation.channels.meta.facebook.FacebookWebhook",
        "BASE_URL": FACEBOOK_GRAPH_URL,
        "OPTIONS": {**_META_OPTIONS, "app_secret": FACEBOOK_APP_SECRET},
        "CONNECT_OPTIONS": _META_CONNECT,
        "WEBHOOK_OPTIONS": {"app_secrets": [FACEBOOK_APP_SECRET], "verify_token": META_WEBHOOK_VERIFY_TOKEN},
    },
    "instagram": {
        "ADAPTER": "moderation.channels.meta.instagram.InstagramAdapter",
        "CONNECTOR": "moderation.channels.meta.login.InstagramConnector",
        "WEBHOOK": "moderation.channels.meta.instagram.InstagramWebhook",
        "BASE_URL": INSTAGRAM_GRAPH_URL,
        "OPTIONS": {**_META_OPTIONS, "app_secret": INSTAGRAM_APP_SECRET},
        # Instagram accounts are connected through Facebook Login, on the Facebook Graph host.
        "CONNECT_OPTIONS": {**_META_CONNECT, "base_url": FACEBOOK_GRAPH_URL},
        "WEBHOOK_OPTIONS": {
            "app_secrets": [INSTAGRAM_APP_SECRET, FACEBOOK_APP_SECRET],
            "verify_token": META_WEBHOOK_VERIFY_TOKEN,
        },
    },
    "x": {
        "ADAPTER": "moderation.channels.x.XAdapter",
        "CONNECTOR": "moderation.channels.x.connect.XConnector",
        "BASE_URL": X_API_URL,
        "OPTIONS": {"timeout": PLATFORM_TIMEOUT, "monthly_read_budget": X_MONTHLY_READ_BUDGET},
        "CONNECT_OPTIONS": {
            "client_id": X_CLIENT_ID,
            "client_secret": X_CLIENT_SECRET,
            "authorize_url": f"{X_AUTH_URL}/i/oauth2/authorize",
            "token_url": f"{X_API_URL}/2/oauth2/token",
            "revoke_url": f"{X_API_URL}/2/oauth2/revoke",
            "timeout": PLATFORM_TIMEOUT,
        },
    },
    "youtube": {
        "ADAPTER": "moderation.channels.youtube.YouTubeAdapter",
        "CONNECTOR": "moderation.channels.youtube.connect.YouTubeConnector",
        "BASE_URL": YOUTUBE_API_URL,
        "OPTIONS": {
            "timeout": PLATFORM_TIMEOUT,
            "daily_quota": YOUTUBE_DAILY_QUOTA,
            "action_reserve": YOUTUBE_ACTION_RESERVE,
        },
        "CONNECT_OPTIONS": {
            "client_id": GOOGLE_CLIENT_ID,
            "client_secret": GOOGLE_CLIENT_SECRET,
            "authorize_url": f"{GOOGLE_AUTH_URL}/o/oauth2/v2/auth",
            "token_url": f"{GOOGLE_OAUTH_URL}/token",
            "revoke_url": f"{GOOGLE_OAUTH_URL}/revoke",
            "timeout": PLATFORM_TIMEOUT,
        },
    },
    "linkedin": {
        "ADAPTER": "moderation.channels.linkedin.LinkedInAdapter",
        "CONNECTOR": "moderation.channels.linkedin.connect.LinkedInConnector",
        "BASE_URL": LINKEDIN_API_URL,
        "OPTIONS": {"timeout": PLATFORM_TIMEOUT, "version": LINKEDIN_VERSION, "max_posts": CHANNEL_MAX_POSTS},
        "CONNECT_OPTIONS": {
            "client_id": LINKEDIN_CLIENT_ID,
            "client_secret": LINKEDIN_CLIENT_SECRET,
            "authorize_url": f"{LINKEDIN_AUTH_URL}/oauth/v2/authorization",
            "token_url": f"{LINKEDIN_AUTH_URL}/oauth/v2/accessToken",
            "revoke_url": f"{LINKEDIN_AUTH_URL}/oauth/v2/revoke",
            "version": LINKEDIN_VERSION,
            "timeout": PLATFORM_TIMEOUT,
        },
    },
}

# Safeguarding and threats email these at once, any hour, besides the list Leads keep in the app.
ONCALL_EMAILS = env.list("ONCALL_EMAILS", default=[])
# The address people use to reach this app; links in emails start with it.
HAVEBURY_BASE_URL = env.str("HAVEBURY_BASE_URL", default="http://127.0.0.1:8000")

# Bearer token Prometheus sends to /metrics; without one only loopback clients may scrape.
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")

HAVEBURY_DEMO_PASSWORD = env.str("HAVEBURY_DEMO_PASSWORD", default="")

# Email (password reset, on-call alerts). With no EMAIL_HOST, mail is written as files to the
# data folder so "Forgotten your password?" works on a laptop with no mail server.
EMAIL_HOST = env.str("EMAIL_HOST", default="")
EMAIL_PORT = env.int("EMAIL_PORT", default=587)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=True)
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.filebased.EmailBackend",
)
EMAIL_FILE_PATH = Path(env.str("EMAIL_FILE_PATH", default=str(DATA_DIR / "mail")))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Havebury Social <social@havebury.invalid>")

# An officer's claim on an item lapses after this many minutes without activity on it.
QUEUE_CLAIM_MINUTES = env.int("QUEUE_CLAIM_MINUTES", default=15)

# Policy engine: the trained classifier artefact shipped in the repo.
POLICY_MODEL_PATH = Path(
    env.str("POLICY_MODEL_PATH", default=str(BASE_DIR / "moderation" / "policy" / "data" / "classifier.json"))
)

# One JSON object a line with the request or task id (havebury_social/logs.py); LOG_FORMAT=plain
# for reading by eye. Celery must not replace this set-up with its own (CELERY_WORKER_HIJACK_...).
LOG_FORMAT = env.str("LOG_FORMAT", default="json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Every handler scrubs token-shaped values from messages and tracebacks (docs/security.md).
    "filters": {
        "context": {"()": "havebury_social.logs.ContextFilter"},
        "scrub": {"()": "havebury_social.logscrub.TokenScrubFilter"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s%(task_id)s] %(message)s"},
        "json": {"()": "havebury_social.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain" if LOG_FORMAT == "plain" else "json",
            "filters": ["context", "scrub"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# --- Security (docs/security.md) ---------------------------------------------------
# A real deployment is DEBUG off with DJANGO_SECRET_KEY set: then HTTPS is enforced by
# default (redirect, HSTS, secure cookies). The laptop demo on http://127.0.0.1 is neither.
HARDENED = not DEBUG and SECRET_KEY_FROM_ENV
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=HARDENED)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=HARDENED)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31_536_000 if HARDENED else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=HARDENED)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=HARDENED)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Sessions end after this much inactivity (every request pushes the expiry on) and when
# the browser closes (no persistent cookie).
SESSION_COOKIE_AGE = int(env.float("SESSION_IDLE_HOURS", default=8.0) * 3600)
SESSION_SAVE_EVERY_REQUEST = False  # accounts.middleware.IdleSessionMiddleware refreshes it
SESSION_REFRESH_SECONDS = 300  # at most one session write per five minutes of activity
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Content-Security-Policy (django-csp 4): no inline script and no eval, anywhere. Templates
# load scripts from static files only; tests/test_templates_csp.py fails on an inline
# <script> or on*= handler. Inline style attributes stay allowed: they cannot run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        # No form-action: connecting a channel POSTs here and is redirected to the platform's
        # consent screen, which form-action 'self' would block.
        "frame-ancestors": ["'none'"],
    }
}

# Login throttling (django-axes): after LOGIN_FAILURE_LIMIT wrong passwords for one username
# the account is locked for LOGIN_LOCKOUT_HOURS whichever address they come from (and so is
# an address that fails that often across accounts); the login
# page says so. Password-reset requests are rate-limited per address and per email
# (accounts.views).
AUTHENTICATION_BACKENDS = [
    "accounts.backends.LockoutBackend",
    "accounts.backends.RolePermissionsBackend",  # ModelBackend with one permissions query
]
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = env.float("LOGIN_LOCKOUT_HOURS", default=1.0)
# Either one: guessing one account, or spraying many (an address counts the accounts it tried).
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_HANDLER = "accounts.lockout.LockoutHandler"
AXES_IPWARE_PROXY_COUNT = env.int("DJANGO_PROXY_COUNT", default=0)
AXES_VERBOSE = False
PASSWORD_RESET_LIMIT_PER_HOUR = env.int("PASSWORD_RESET_LIMIT_PER_HOUR", default=5)

# Comment images are fetched server-side only on an officer's click, only from these platform
# media hosts (and their subdomains), only public addresses, within the platform timeouts and
# this size (moderation/media.py).
MEDIA_FETCH_ALLOWED_HOSTS = env.list(
    "MEDIA_FETCH_ALLOWED_HOSTS",
    default=["fbcdn.net", "cdninstagram.com", "twimg.com", "ytimg.com", "ggpht.com", "licdn.com"],
)
MEDIA_FETCH_MAX_BYTES = env.int("MEDIA_FETCH_MAX_BYTES", default=5 * 1024 * 1024)
# Only the laptop demo (its fake platforms serve images from 127.0.0.1) and tests; never when
# hardened, so no setting can open an internal address to the fetch.
MEDIA_FETCH_ALLOW_PRIVATE = env.bool("MEDIA_FETCH_ALLOW_PRIVATE", default=False) and not HARDENED

# Two-factor (django-otp): officers in these roles, staff and superusers must enrol a TOTP
# authenticator and enter a code at every sign-in; everybody else may (docs/security.md).
TWO_FACTOR_REQUIRED_ROLES = env.list("TWO_FACTOR_REQUIRED_ROLES", default=["Lead", "Admin"])
OTP_TOTP_ISSUER = "Havebury Social"
