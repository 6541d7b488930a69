"""
Settings for the test suite: the real PostgreSQL and Redis on this machine.

Tests run Celery tasks eagerly unless a test starts the real worker (see tests/conftest.py).
"""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = env.str("SECRET_KEY", default="test-only-secret-key-not-for-any-real-deployment-0123456789")
ALLOWED_HOSTS = ["*"]

DATABASES = {"default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/kopdes")}
DATABASES["default"]["CONN_MAX_AGE"] = 0

# Database 15 keeps test keys away from a developer's running portal on database 0.
REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/15")
CACHES = {"default": {"BACKEND": "core.cache.ResilientRedisCache", "LOCATION": REDIS_URL,
                      "KEY_PREFIX": "kopdes-test", "OPTIONS": {"RETRY_AFTER": 5}}}
REDIS_KEY_PREFIX = "kopdes-test"
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
# Inline, except in a worker process a test starts (it runs as production does: Redis lock, queue).
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
# A test's worker listens on a queue of its own; the tasks it queues itself (the next drain) go there too.
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")
# Short, so the tests that kill a worker holding the roll-up lock see it freed within seconds.
ROLLUP_LOCK_SECONDS = 6

# Tests read each page's context; the caching itself is tested with the setting turned on.
DASHBOARD_CACHE_SECONDS = 0
DASHBOARD_REFRESH_FLOOR_SECONDS = 0
DASHBOARD_BUSY_REFRESH_FLOOR_SECONDS = 0

# allauth's own limit of 30 sign-ins a minute from one address (kept in production) would refuse the suite's
# sign-ins, which all come from 127.0.0.1 and, on a quiet machine, faster than that; the portal's lockout of
# failed sign-ins stays (tests/accounts/test_sign_in_lockout.py).
ACCOUNT_RATE_LIMITS = {**ACCOUNT_RATE_LIMITS, "login": "1000/m/ip"}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# A worker process started by a test writes its e-mails to files there, where the test can read them.
if env.str("TEST_EMAIL_DIR", default=""):
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = env.str("TEST_EMAIL_DIR")
MEDIA_ROOT = BASE_DIR / ".test-media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING["root"]["level"] = "WARNING"
