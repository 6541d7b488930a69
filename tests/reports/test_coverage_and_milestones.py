"""Joint cooperatives cover all their villages; each completed milestone is counted, in any order (issue 16 §4, §5)."""

from datetime import datetime
from datetime import time
from datetime import timedelta

import pytest
from django.utils import timezone

from koperasi.services import cooperative_update
from reports.metrics import stage_done_column
from reports.models import RegionRollup
from reports.selectors import snapshots_for
from reports.selectors import stage_ranks
from reports.services import rollup_reconcile
from reports.services import rollup_refresh_villages
from reports.services import snapshot_backfill
from tests.conftest import PAKEM
from tests.conftest import PRAWOTO
from tests.conftest import complete_stage
from tests.conftest import register
from tests.conftest import seed_board

pytestmark = pytest.mark.django_db

KEDUNGWINONG = "33.18.01.2003"


def _row(code):
    return RegionRollup.objects.get(code=code).metrics()


def test_a_joint_cooperative_covers_all_its_villages_and_counts_once(sukolilo_officer, pati_officer):
    register(sukolilo_officer, PRAWOTO, joint_village_codes=[PAKEM, KEDUNGWINONG], joint_population_confirmed=True)
    register(pati_officer, "33.18.02.2001")
    rollup_reconcile()
    for code in ("33.18.01", "33.18", "33", "ID"):
        row = _row(code)
        assert row["villages_covered"] == (3 if code == "33.18.01" else 4)
        assert row["cooperatives"] == (1 if code == "33.18.01" else 2)
    assert _row(PAKEM)["villages_covered"] == 1 and _row(PAKEM)["cooperatives"] == 0
    assert _row(PRAWOTO)["villages_covered"] == 1 and _row(PRAWOTO)["cooperatives"] == 1
    # The incremental refresh of one covered village gives the same row as the reconcile.
    before = _row("33.18")
    rollup_refresh_villages([PAKEM])
    assert _row("33.18") == before


def test_a_kelurahan_served_is_counted_as_kelurahan(pati_officer):
    register(pati_officer, "33.18.10.1005")  # a kelurahan: a KKMP
    rollup_reconcile()
    row = _row("33.18")
    assert row["villages_covered"] == row["kelurahan_covered"] == row["kind_kkmp"] == 1


def test_each_completed_milestone_is_counted_whatever_the_order(village_staff, pati_officer, prawoto):
    seed_board(village_staff, prawoto)
    for code in ("sosialisasi", "musdesus", "rapat_pendirian", "akta_notaris", "sk_ahu", "simkopdes", "nib"):
        complete_stage(village_staff, pati_officer, prawoto, code)
    rollup_reconcile()
    ranks = stage_ranks()
    row = _row("33.18")
    assert row[f"stage_{ranks['sk_ahu']}"] == 1  # the unbroken run stops at the SK AHU …
    for code in ("sk_ahu", "simkopdes", "nib"):  # … but each completed milestone counts
        assert row[stage_done_column(ranks[code])] == 1
    for code in ("npwp", "rekening_bank", "operasional"):
        assert row[stage_done_column(ranks[code])] == 0
    assert row["simkopdes_account"] == 1


def test_the_cooperatives_own_simkopdes_field_counts(pati_officer, prawoto):
    cooperative_update(actor=pati_officer, cooperative=prawoto, simkopdes_account="KDMP-3318012001")
    rollup_reconcile()
    assert _row("33.18")["simkopdes_account"] == 1
    assert _row("33.18")[stage_done_column(stage_ranks()["simkopdes"])] == 0


def test_snapshots_count_milestones_and_coverage_by_their_dates(pati_officer, kabupaten_officer_2):
    joint = register(pati_officer, PRAWOTO, joint_village_codes=[PAKEM], joint_population_confirmed=True)
    seed_board(pati_officer, joint)
    for code in ("sosialisasi", "musdesus", "rapat_pendirian", "akta_notaris", "sk_ahu", "nib"):
        complete_stage(pati_officer, kabupaten_officer_2, joint, code)
    today = timezone.localdate()

    def moment(days_ago):
        return timezone.make_aware(datetime.combine(today - timedelta(days=days_ago), time(12)))

    type(joint).objects.filter(pk=joint.pk).update(created_at=moment(10))
    joint.stages.update(completed_at=moment(8))
    joint.stages.filter(stage__code="nib").update(completed_at=moment(2))
    snapshot_backfill(today - timedelta(days=12), today - timedelta(days=1))
    ranks = stage_ranks()
    by_day = {day: metrics for _code, day, metrics in snapshots_for(["33.18"], since=today - timedelta(days=12),
                                                                     until=today)}
    five_days_ago = by_day[today - timedelta(days=5)]
    assert five_days_ago["villages_covered"] == 2 and five_days_ago["cooperatives"] == 1
    assert five_days_ago[stage_done_column(ranks["sk_ahu"])] == 1
    assert five_days_ago[stage_done_column(ranks["nib"])] == 0
    assert by_day[today - timedelta(days=1)][stage_done_column(ranks["nib"])] == 1
    assert by_day.get(today - timedelta(days=11), {}).get("villages_covered", 0) == 0


def test_a_target_on_an_order_free_milestone_counts_it_whatever_the_order(village_staff, pati_officer, prawoto):
    from datetime import date

    from targets.selectors import target_achieved
    from targets.selectors import target_rows
    from targets.services import target_create

    seed_board(village_staff, prawoto)
    for code in ("sosialisasi", "musdesus", "rapat_pendirian", "akta_notaris", "sk_ahu", "simkopdes"):
        complete_stage(village_staff, pati_officer, prawoto, code)
    rollup_reconcile()
    target = target_create(actor=pati_officer, region_code="33.18", metric="stage", stage_code="simkopdes",
                           start_date=date(2025, 4, 1), due_date=date(2030, 5, 31), target_count=10)
    [row] = target_rows([target])
    assert row.figures.achieved == 1 == target_achieved(target, on=timezone.localdate())
