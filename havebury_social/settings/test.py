"""Test settings: real PostgreSQL and Redis, no defaults (docs/architecture.md §7)."""

from django.core.exceptions import ImproperlyConfigured

from havebury_social.settings.base import *  # noqa: F403
from havebury_social.settings.base import env

_HINT = (
    "Tests run on real PostgreSQL and Redis. Set DATABASE_URL=postgres://postgres@127.0.0.1:5432/test "
    "and REDIS_URL=redis://127.0.0.1:6379/15 (or run `make test`, which sets both), and start the "
    "servers with `docker compose up -d db redis` if they are not running."
)
if not env.str("DATABASE_URL", default="") or not env.str("REDIS_URL", default=""):
    raise ImproperlyConfigured(_HINT)

DATABASES = {"default": env.db("DATABASE_URL")}
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("DATABASE_URL must point at PostgreSQL. " + _HINT)

REDIS_URL = env.str("REDIS_URL")
CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
CELERY_BROKER_URL = REDIS_URL
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast hashing, tests only
# Serve static files from the apps' folders, as `collectstatic` is not run for tests.
STATIC_ROOT = None  # type: ignore[assignment]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Two-factor is required per role in every real environment (base.py). Tests that sign in a
# Lead with force_login would all stop at the code prompt, so here nobody owes it unless a
# test turns it on (tests/accounts/ do, through the `settings` fixture).
TWO_FACTOR_REQUIRED_ROLES = []
# A developer's .env may hold DJANGO_SECRET_KEY; the test client speaks plain HTTP.
SECURE_SSL_REDIRECT = False
# The items list's micro-cache is off: most tests write inside a transaction that never commits,
# so the data version never moves. tests/api/test_list_cache.py turns it on and commits.
API_LIST_CACHE_SECONDS = 0.0
