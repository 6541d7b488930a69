"""Targets on regions: default count, split down the tree, achieved from real data, stalled cooperatives."""

from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.roles import Role
from koperasi.models import Cooperative
from koperasi.models import StageProgress
from koperasi.selectors import stalled_cooperatives
from reports.services import rollup_reconcile
from reports.services import snapshot_take
from targets.selectors import target_rows
from targets.services import target_create
from targets.services import target_split
from targets.services import target_update
from tests.conftest import BLITAR
from tests.conftest import PATI
from tests.conftest import complete_stage
from tests.conftest import make_user
from tests.conftest import register
from units.services import unit_update
from wilayah.models import Region

pytestmark = pytest.mark.django_db


def figures_of(target, today=None):
    """The target's figures once the roll-up has caught up with the changes (a worker does it in seconds)."""
    rollup_reconcile(snapshot=False)
    return target_rows([target], today=today)[0].figures


def musdesus_target(actor, region=PATI, **kwargs):
    kwargs.setdefault("start_date", date(2025, 4, 1))
    kwargs.setdefault("due_date", date(2025, 5, 31))
    kwargs.setdefault("stage_code", "musdesus")
    return target_create(actor=actor, region_code=region, metric="stage", **kwargs)


def test_default_count_is_the_number_of_desa_kelurahan(pati_officer):
    assert musdesus_target(pati_officer).target_count == 406
    blitar_officer = make_user(Role.KABUPATEN_OFFICER, BLITAR)
    blitar = target_create(actor=blitar_officer, region_code=BLITAR, metric="stage", stage_code="operasional",
                           start_date=date(2025, 4, 1), due_date=date(2025, 9, 30))
    assert blitar.target_count == 248


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"stage_code": "nonexistent"}, "stage"),
        ({"due_date": date(2025, 3, 1)}, "due_date"),
        ({"target_count": 0}, "target_count"),
    ],
)
def test_invalid_targets_name_the_field(pati_officer, kwargs, field):
    with pytest.raises(ValidationError) as error:
        musdesus_target(pati_officer, **kwargs)
    assert field in error.value.message_dict


def test_unit_targets_need_a_type_and_a_status(pati_officer):
    with pytest.raises(ValidationError) as error:
        target_create(actor=pati_officer, region_code=PATI, metric="unit_status", unit_type_code="klinik",
                      unit_status="rencana", start_date=date(2025, 4, 1), due_date=date(2026, 3, 31))
    assert "unit_status" in error.value.message_dict


def test_targets_are_set_only_inside_the_area_and_not_by_village_staff(pati_officer, village_staff):
    with pytest.raises(PermissionDenied):
        musdesus_target(pati_officer, region=BLITAR)
    with pytest.raises(PermissionDenied):
        musdesus_target(village_staff, region="33.18.01.2001")


def test_split_follows_the_village_counts_and_adds_up(pati_officer):
    target = musdesus_target(pati_officer, target_count=200)
    parts = target_split(actor=pati_officer, target=target)
    assert len(parts) == 21 and sum(part.target_count for part in parts) == 200
    weights = {r.code: r.village_count for r in Region.objects.filter(parent_id=PATI)}
    biggest = max(parts, key=lambda part: weights[part.region_id])
    assert biggest.target_count == max(part.target_count for part in parts)
    assert all(part.due_date == target.due_date and part.stage_id == target.stage_id for part in parts)
    assert target_split(actor=pati_officer, target=target) == []  # idempotent
    with pytest.raises(ValidationError):  # a kecamatan target is not split down to villages
        target_split(actor=pati_officer, target=parts[0])


def test_a_split_target_and_its_parts_stay_in_step(pati_officer):
    """The whole changed alone had said 50 over parts adding up to 100; a part had run past its whole's due date."""
    target = musdesus_target(pati_officer, target_count=100, title="100 Musdesus dalam enam bulan")
    parts = target_split(actor=pati_officer, target=target)
    assert not any(part.title for part in parts)  # the whole's title would read as each part's count
    with pytest.raises(ValidationError) as refused:
        target_update(actor=pati_officer, target=target, target_count=50)
    assert "target_count" in refused.value.message_dict
    target_update(actor=pati_officer, target=target, notes="Dibahas di rakor 3 Desember")  # other fields change
    with pytest.raises(ValidationError) as refused:
        target_update(actor=pati_officer, target=parts[0], due_date=target.due_date + timedelta(days=30))
    assert "due_date" in refused.value.message_dict
    target_update(actor=pati_officer, target=parts[0], target_count=parts[0].target_count + 1)


def test_achieved_counts_verified_stages_in_the_region_only(village_staff, pati_officer, kabupaten_officer_2):
    target = musdesus_target(pati_officer, target_count=3, due_date=date(2026, 12, 31))
    pati_coop = register(village_staff)
    for code in ("sosialisasi", "musdesus"):
        complete_stage(village_staff, pati_officer, pati_coop, code)
    blitar_officer = make_user(Role.KABUPATEN_OFFICER, BLITAR)
    blitar_coop = register(blitar_officer, "35.05.01.2001")
    helper = make_user(Role.KABUPATEN_OFFICER, BLITAR)
    for code in ("sosialisasi", "musdesus"):
        complete_stage(helper, blitar_officer, blitar_coop, code)

    figures = figures_of(target)
    assert figures.achieved == 1 and figures.gap == 2


def test_recent_rate_and_projection_come_from_completion_dates(pati_officer, kabupaten_officer_2):
    target = musdesus_target(pati_officer, target_count=10, start_date=date(2025, 4, 1), due_date=date(2025, 6, 30))
    villages = ["33.18.01.2001", "33.18.01.2002", "33.18.01.2003", "33.18.01.2004"]
    for code in villages:
        cooperative = register(pati_officer, code)
        for stage in ("sosialisasi", "musdesus"):
            complete_stage(pati_officer, kabupaten_officer_2, cooperative, stage)
    # Two finished Musdesus long ago, two in the last 14 days before 1 June 2025.
    completed = {villages[0]: date(2025, 4, 20), villages[1]: date(2025, 4, 25), villages[2]: date(2025, 5, 25),
                 villages[3]: date(2025, 5, 30)}
    for code, day in completed.items():
        StageProgress.objects.filter(cooperative__village_id=code, stage__code="musdesus").update(
            completed_at=datetime(day.year, day.month, day.day, 3, tzinfo=UTC))

    figures = figures_of(target, today=date(2025, 6, 1))

    assert figures.achieved == 4 and figures.gap == 6 and figures.days_left == 29
    assert figures.recent_daily_rate == pytest.approx(2 / 14)
    assert figures.projected_completion == date(2025, 6, 1) + timedelta(days=42)  # 6 / (2/14)
    assert figures.at_risk


def test_unit_target_counts_units_at_or_beyond_the_status(village_staff, pati_officer):
    target = target_create(actor=pati_officer, region_code=PATI, metric="unit_status", unit_type_code="gerai_sembako",
                           unit_status="bangunan", target_count=2, start_date=date(2025, 4, 1),
                           due_date=date(2026, 12, 31))
    cooperative = register(village_staff)
    gerai = cooperative.units.get(unit_type__code="gerai_sembako")
    unit_update(actor=village_staff, unit=gerai, status="operasional", go_live_date=date(2025, 10, 1))
    figures = figures_of(target)
    assert figures.achieved == 1 and figures.recent_daily_rate == pytest.approx(1 / 14)


def test_the_recent_pace_starts_from_the_snapshot_of_the_window_start(village_staff, pati_officer, settings):
    settings.TARGET_RATE_WINDOW_DAYS = 14
    today = timezone.localdate()
    target = musdesus_target(pati_officer, target_count=4, start_date=today - timedelta(days=30),
                             due_date=today + timedelta(days=30))
    snapshot_take(today - timedelta(days=14))  # nothing in Pati yet: the snapshot has no row for it
    cooperative = register(village_staff)
    for code in ("sosialisasi", "musdesus"):
        complete_stage(village_staff, pati_officer, cooperative, code)
    # Backdating the completion does not move the snapshot: the pace comes from what it recorded.
    StageProgress.objects.filter(cooperative=cooperative).update(completed_at=timezone.now() - timedelta(days=20))

    figures = figures_of(target)

    assert figures.achieved == 1 and figures.recent_daily_rate == pytest.approx(1 / 14)


def test_target_changes_are_audited(pati_officer):
    target = musdesus_target(pati_officer)
    target_update(actor=pati_officer, target=target, due_date=date(2025, 6, 15))
    record = target.history.latest()
    assert record.history_user == pati_officer
    assert [change.field for change in record.diff_against(record.prev_record).changes] == ["due_date"]


def test_stalled_cooperatives_after_n_days_in_one_stage(village_staff, pati_officer, settings):
    fresh = register(village_staff)
    stuck = register(pati_officer, "33.18.01.2002")
    Cooperative.objects.filter(pk=stuck.pk).update(stage_reached_at=timezone.now() - timedelta(days=45))
    done = register(pati_officer, "33.18.01.2003")
    Cooperative.objects.filter(pk=done.pk).update(stage_reached_at=timezone.now() - timedelta(days=90),
                                                  formation_completed=True)

    settings.STALLED_AFTER_DAYS = 30
    assert list(stalled_cooperatives(user=pati_officer)) == [stuck]
    assert list(stalled_cooperatives(user=pati_officer, days=60)) == []
    assert fresh in stalled_cooperatives(user=pati_officer, days=0)  # nothing completed since it registered
    assert list(stalled_cooperatives(user=village_staff)) == []  # Prawoto's own cooperative is not stalled
