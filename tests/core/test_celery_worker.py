"""A real Celery worker, on the real Redis, runs a task against the database and returns its result."""

import time

import pytest
from celery.fixups.django import DjangoWorkerFixup
from django.db import connection

from config.celery_app import app
from config.celery_app import close_old_database_connections
from wilayah.models import Region
from wilayah.tasks import import_regions

pytestmark = [pytest.mark.worker]


def test_task_round_trip_through_a_real_worker(committed_regions, real_worker):
    Region.objects.filter(code="33.18.01.2001").update(name="Nama Salah")

    result = import_regions.apply_async(queue=real_worker, ignore_result=False).get(timeout=120)

    assert result == {"created": 0, "updated": 1, "unchanged": 91_598, "deactivated": 0}
    assert Region.objects.get(code="33.18.01.2001").name == "Prawoto"
    assert Region.history.filter(code="33.18.01.2001").count() == 2  # baseline and the correction


@pytest.mark.django_db(transaction=True)
def test_a_worker_keeps_its_database_connection_between_tasks_until_it_is_old():
    """Celery's fixup would close it around every task (a new PostgreSQL process each time); Django's rule applies."""
    assert DjangoWorkerFixup(app).db_reuse_max == 1000  # the fixup leaves the connection to the handler below
    task = type("Task", (), {"request": type("Request", (), {"is_eager": False})()})()
    connection.ensure_connection()
    connection.close_at = time.monotonic() + 60  # as CONN_MAX_AGE = 60 (production) sets it
    kept = connection.connection

    close_old_database_connections(sender=task)
    assert connection.connection is kept

    connection.close_at = time.monotonic() - 1  # older than CONN_MAX_AGE
    close_old_database_connections(sender=task)
    assert connection.connection is None
