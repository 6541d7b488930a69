"""The roll-up API: per region, per parent, as of a past day from the snapshots; scoped."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.models import BackdatedVillage
from core.roles import Role
from koperasi.models import Cooperative
from koperasi.models import StageProgress
from reports.metrics import METRIC_COLUMNS
from reports.models import RegionRollup
from reports.models import RegionSnapshot
from reports.models import SnapshotDay
from reports.services import snapshot_backfill
from reports.tasks import rollup_reconcile_task
from tests.conftest import PATI
from tests.conftest import PRAWOTO
from tests.conftest import api_as
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_region_figures(areas, pati_officer):
    body = api_as(pati_officer).get(f"/api/rollups/{PATI}/").json()
    assert body["code"] == PATI and body["villages"] == 406 and body["cooperatives"] == 2
    assert body["legal_entity"] == 1 and body["by_kind"] == {"kdmp": 2, "kkmp": 0}
    assert body["units"]["klinik"]["rencana"] == 2
    assert body["operational_at_least"]["1"] == 0
    assert [stage["count"] for stage in body["by_stage"]][:6] == [1, 0, 0, 0, 0, 1]


def test_children_and_scope(areas, pati_officer, national_admin):
    kecamatan = api_as(pati_officer).get("/api/rollups/", {"parent": PATI}).json()
    assert len(kecamatan) == 21 and kecamatan[0]["code"] == "33.18.01" and kecamatan[0]["cooperatives"] == 2
    assert api_as(pati_officer).get("/api/rollups/").json()[0]["code"] == PATI
    assert api_as(national_admin).get("/api/rollups/").json()[0]["code"] == "ID"
    for code in ("ID", "35.05", "33"):
        assert api_as(pati_officer).get(f"/api/rollups/{code}/").status_code == 404
    village = api_as(make_user(Role.VILLAGE_STAFF, PRAWOTO))
    assert village.get(f"/api/rollups/{PRAWOTO}/").json()["legal_entity"] == 1
    assert village.get(f"/api/rollups/{PATI}/").status_code == 404


def test_as_of_reads_the_snapshot_rebuilt_from_dated_records(areas, pati_officer):
    """Prawoto registered and got its legal entity five days ago; Pakem registered today."""
    today = timezone.localdate()
    five_days_ago = timezone.now() - timedelta(days=5)
    prawoto = areas["prawoto"]
    Cooperative.objects.filter(pk=prawoto.pk).update(created_at=five_days_ago)
    StageProgress.objects.filter(cooperative=prawoto).update(submitted_at=five_days_ago, reviewed_at=five_days_ago,
                                                             completed_at=five_days_ago)
    snapshot_backfill(today - timedelta(days=6), today - timedelta(days=1))
    client = api_as(pati_officer)

    def on(days_ago: int) -> dict:
        response = client.get(f"/api/rollups/{PATI}/", {"as_of": str(today - timedelta(days=days_ago))})
        assert response.status_code == 200
        return response.json()

    assert (on(6)["cooperatives"], on(6)["legal_entity"]) == (0, 0)
    assert (on(3)["cooperatives"], on(3)["legal_entity"]) == (1, 1)
    assert on(1)["cooperatives"] == 1  # Pakem counts from today
    missing = client.get(f"/api/rollups/{PATI}/", {"as_of": str(today - timedelta(days=30))})
    assert missing.status_code == 404


def test_a_snapshot_rebuilt_for_today_equals_the_reconciled_rollup(areas):
    today = timezone.localdate()
    snapshot_backfill(today, today)
    snapshot = {row["code"]: row for row in RegionSnapshot.objects.filter(day=today).values("code", *METRIC_COLUMNS)}
    rollup = {row["code"]: row for row in RegionRollup.objects.exclude(level="village").values("code", *METRIC_COLUMNS)}
    assert snapshot == rollup and snapshot[PATI]["cooperatives"] == 2


def test_the_nightly_reconcile_saves_the_day_that_has_just_ended(areas):
    today = timezone.localdate()
    # The fixture's stages, dated 2025, were recorded today: without them queued, yesterday is the roll-up's copy.
    BackdatedVillage.objects.all().delete()
    rollup_reconcile_task.apply(kwargs={"nightly": True}).get()
    yesterday = RegionSnapshot.objects.get(day=today - timedelta(days=1), code=PATI)
    assert yesterday.cooperatives == RegionRollup.objects.get(code=PATI).cooperatives == 2
    assert SnapshotDay.objects.filter(day=today - timedelta(days=1)).exists()


@pytest.mark.parametrize("params, field", [({"as_of": "yesterday"}, "as_of"), ({"parent": "Pati"}, "parent")])
def test_bad_parameters_are_400(areas, pati_officer, params, field):
    response = api_as(pati_officer).get("/api/rollups/", params)
    assert response.status_code == 400 and field in response.json()


def test_as_of_today_is_400_and_a_village_is_recomputed_from_its_dated_records(areas, pati_officer):
    client = api_as(pati_officer)
    assert client.get(f"/api/rollups/{PATI}/", {"as_of": str(timezone.localdate())}).status_code == 400
    yesterday = timezone.localdate() - timedelta(days=1)
    assert client.get(f"/api/rollups/{PRAWOTO}/", {"as_of": str(yesterday)}).status_code == 404  # no snapshot
    snapshot_backfill(yesterday, yesterday)
    response = client.get(f"/api/rollups/{PRAWOTO}/", {"as_of": str(yesterday)})
    # Registered today, but its stages are dated 2025 (STAGE_DATA): by its event dates it existed yesterday.
    assert response.status_code == 200 and response.json()["cooperatives"] == 1
