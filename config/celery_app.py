"""Celery application: Redis broker, tasks discovered in each app's ``tasks.py``."""

import os

from celery import Celery
from celery.signals import task_postrun
from celery.signals import task_prerun
from django.db import close_old_connections

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("kopdes")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Celery's Django fixup closes the database connection before and after every task (Celery 5.7 ignores
# CONN_MAX_AGE) unless this is set, and then only every DB_REUSE_MAX tasks. Under 20 writes/s the roll-up's tasks
# opened ~4 PostgreSQL connections a second, each a new server process: ~0.17 of the two cores (bench/rollup.py,
# "processes that came and went"). Connections are closed instead as Django closes them after a request
# (``close_old_connections``: older than CONN_MAX_AGE, or unusable after an error), before and after each task.
app.conf.CELERY_DB_REUSE_MAX = 1000


@task_prerun.connect(dispatch_uid="kopdes.close_old_connections.prerun")
@task_postrun.connect(dispatch_uid="kopdes.close_old_connections.postrun")
def close_old_database_connections(sender=None, **kwargs):
    if not getattr(getattr(sender, "request", None), "is_eager", False):  # an eager task runs inside a request
        close_old_connections()
