"""
Quickstart settings: embedded SQLite, tasks run eagerly, no external service needed.

``make run`` uses these. Any variable from the README's configuration table still applies,
so pointing ``DATABASE_URL`` at PostgreSQL works here too.
"""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default="django-insecure-quickstart-only-never-use-in-production")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])

# Without Redis the quickstart keeps its cache in process and runs Celery tasks inline.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="memory://localhost/")  # a host: no kombu warning
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="cache+memory://")

# The demo logins sign in with their password alone; anyone may still turn on two-factor authentication
# from their profile. Production and the tests require it of officers (settings/base.py).
MFA_REQUIRED_ROLES = env.list("MFA_REQUIRED_ROLES", default=[])

# SQLite builds covering indexes (PostgreSQL's INCLUDE) as plain ones: the same index, without its extra columns.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# runserver serves static files from the app and project folders; no collectstatic needed.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
