"""A real Celery worker, on the real Redis, runs a task against the database and returns its result."""

import pytest

from wilayah.models import Region
from wilayah.tasks import import_regions

pytestmark = [pytest.mark.worker]


def test_task_round_trip_through_a_real_worker(committed_regions, real_worker):
    Region.objects.filter(code="33.18.01.2001").update(name="Nama Salah")

    result = import_regions.apply_async(queue=real_worker, ignore_result=False).get(timeout=120)

    assert result == {"created": 0, "updated": 1, "unchanged": 91_598, "deactivated": 0}
    assert Region.objects.get(code="33.18.01.2001").name == "Prawoto"
    assert Region.history.filter(code="33.18.01.2001").count() == 2  # baseline and the correction
