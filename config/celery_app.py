"""Celery application: Redis broker, tasks discovered in each app's ``tasks.py``."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("kopdes")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
