"""The incremental path end to end: a change, the Redis queue, a real Celery worker, the national row."""


import pytest

from core.changes import DIRTY_VILLAGES_KEY
from core.changes import redis_client
from core.roles import Role
from koperasi.services import cooperative_register
from reports.models import RegionRollup
from reports.services import rollup_reconcile
from tests.conftest import make_user
from tests.conftest import wait_for

pytestmark = [pytest.mark.worker]


def _national(column: str) -> int:
    row = RegionRollup.objects.filter(code="ID").values_list(column, flat=True).first()
    return row or 0



def test_registrations_reach_the_national_rollup_through_the_worker(committed_regions, real_worker):
    redis_client().delete(DIRTY_VILLAGES_KEY)
    rollup_reconcile(snapshot=False)
    before = _national("cooperatives")
    officer = make_user(Role.KABUPATEN_OFFICER, "33.18")

    # A burst: several villages registered back to back, each its own transaction.
    for code in ("33.18.01.2001", "33.18.01.2002", "33.18.01.2003", "35.05.01.2001"):
        cooperative_register(actor=make_user(Role.NATIONAL_ADMIN) if code.startswith("35") else officer,
                             village_code=code)

    assert wait_for(lambda: _national("cooperatives") == before + 4), "the worker did not update the roll-up"
    assert wait_for(lambda: redis_client().zcard(DIRTY_VILLAGES_KEY) == 0)
    pati = RegionRollup.objects.get(code="33.18")
    assert pati.cooperatives == 3 and pati.unit_kantor_rencana == 3
    # The incremental result equals a full rebuild.
    incremental = {row.code: row.metrics() for row in RegionRollup.objects.all()}
    rollup_reconcile(snapshot=False)
    assert {row.code: row.metrics() for row in RegionRollup.objects.all()} == incremental
