"""
Property-style checks on random data: the roll-up equals a live aggregation after random changes
applied through the services (the incremental path), and a full reconcile gives the same rows.
"""

from datetime import date
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck
from hypothesis import example
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from core.roles import Role
from koperasi.models import Cooperative
from koperasi.services import stage_reject
from members.services import member_add
from pendampingan.services import visit_log
from reports.services import rollup_reconcile
from reports.services import rollup_refresh_villages
from tests.conftest import STAGE_DATA
from tests.conftest import make_user
from tests.conftest import register
from tests.conftest import sample_nik
from tests.conftest import seed_board
from tests.conftest import submit_stage
from tests.conftest import unique_stage_data
from tests.reports.live import live_counts
from tests.reports.live import nonzero
from tests.reports.live import stored_counts
from units.services import unit_update

pytestmark = pytest.mark.django_db

# Two provinces, three kabupaten, four kecamatan; one kelurahan (KKMP).
VILLAGES = ("33.18.01.2001", "33.18.01.2002", "33.18.02.2001", "33.18.10.1005", "35.05.01.2001", "35.05.02.2001",
            "33.19.01.2001")
STAGES = list(STAGE_DATA)
UNIT_STATUSES = ("lahan_tersedia", "bangunan", "izin", "operasional", "tidak_dijalankan", "rencana")

operations = st.lists(
    st.one_of(
        st.tuples(st.just("register"), st.sampled_from(VILLAGES), st.sampled_from(["baru", "pengembangan"])),
        st.tuples(st.just("advance"), st.sampled_from(VILLAGES), st.integers(1, 4)),
        st.tuples(st.just("reject"), st.sampled_from(VILLAGES)),
        st.tuples(st.just("unit"), st.sampled_from(VILLAGES), st.sampled_from(["kantor", "klinik", "gerai_sembako"]),
                  st.sampled_from(UNIT_STATUSES)),
        st.tuples(st.just("member"), st.sampled_from(VILLAGES), st.integers(1, 3)),
        st.tuples(st.just("visit"), st.sampled_from(VILLAGES), st.integers(0, 45)),
    ),
    min_size=4,
    max_size=18,
)


class World:
    """Applies random operations through the services, skipping the ones the rules would refuse."""

    def __init__(self):
        self.clerk = make_user(Role.NATIONAL_ADMIN)
        self.checker = make_user(Role.NATIONAL_ADMIN)
        self.members = 100  # seed_board uses sequences 1-9 and 90

    def cooperative(self, village):
        return Cooperative.objects.filter(village_id=village).first()

    def apply(self, operation):
        kind, village, *args = operation
        cooperative = self.cooperative(village)
        if kind == "register":
            if cooperative is None:
                register(self.clerk, village, formation_model=args[0])
        elif cooperative is None:
            return
        elif kind == "advance":
            for _step in range(args[0]):
                self.advance(cooperative)
        elif kind == "reject":
            progress = self.next_stage(cooperative)
            if progress and progress.status in ("not_started", "rejected"):
                stage_reject(actor=self.checker, progress=self.submit(cooperative, progress.stage.code),
                             reason="Berkas belum lengkap")
        elif kind == "unit":
            code, status = args
            extra = {}
            if status in ("izin", "operasional") and code == "klinik":
                extra = {"licence_number": "503/1", "licence_date": date(2025, 9, 1)}
            if status == "operasional":
                extra["go_live_date"] = date(2025, 10, 1)
            if status == "tidak_dijalankan":
                extra["not_run_reason"] = "Tidak ada lahan"
            unit_update(actor=self.clerk, unit=cooperative.units.get(unit_type__code=code), status=status, **extra)
        elif kind == "member":
            for _index in range(args[0]):
                self.members += 1
                member_add(actor=self.clerk, cooperative=cooperative, nik=sample_nik(self.members), name="Warga",
                           sex="L", domicile_code=cooperative.village_id)
        elif kind == "visit":
            visit_log(actor=self.clerk, village_code=village, topic="Pendampingan",
                      visited_on=timezone.localdate() - timedelta(days=args[0]))

    def next_stage(self, cooperative):
        """The first unfinished stage; before the founding meeting, the board it needs is appointed."""
        progress = (cooperative.stages.exclude(status__in=["verified", "not_applicable"])
                    .order_by("stage__order").first())
        if progress and progress.stage.code == "rapat_pendirian" and not cooperative.positions.exists():
            seed_board(self.clerk, cooperative)
        return progress

    def advance(self, cooperative):
        from koperasi.services import stage_verify

        progress = self.next_stage(cooperative)
        if progress is None:
            return
        if progress.status != "submitted":
            progress = self.submit(cooperative, progress.stage.code)
        stage_verify(actor=self.checker, progress=progress)

    def submit(self, cooperative, code):
        """Submitted with identifiers of its own: two cooperatives reaching the SK AHU do not share its number."""
        return submit_stage(self.clerk, cooperative, code, unique_stage_data(code, cooperative.pk))


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations)
# Two cooperatives through their legal identifiers (SK AHU, NPWP, NIB, bank account, SIMKOPDES): always tried.
@example([("register", VILLAGES[0], "baru"), ("register", VILLAGES[4], "baru"),
          *[("advance", village, 4) for village in (VILLAGES[0], VILLAGES[4]) for _round in range(3)]])
def test_incremental_rollup_equals_live_aggregation_and_full_reconcile(django_capture_on_commit_callbacks,
                                                                       steps):
    with transaction.atomic():
        world = World()
        for step in steps:
            # Each operation commits on its own, as a request would; the roll-up refresh runs on commit.
            with django_capture_on_commit_callbacks(execute=True):
                world.apply(step)
        live = nonzero(live_counts())
        assert stored_counts() == live

        rollup_reconcile(snapshot=False)
        assert stored_counts() == live
        transaction.set_rollback(True)


def test_reconcile_corrects_drift_and_is_idempotent(village_staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        cooperative = register(village_staff)
    # Drift: a change that bypassed the services, and time passing (the cooperative becomes stalled).
    Cooperative.objects.filter(pk=cooperative.pk).update(stage_reached_at=timezone.now() - timedelta(days=60),
                                                         kind="kkmp")
    assert stored_counts()["ID"]["stalled"] == 0
    first = rollup_reconcile(snapshot=False)
    after_first = stored_counts()
    assert after_first == nonzero(live_counts())
    assert after_first["ID"]["stalled"] == 1 and after_first["33.18.01.2001"]["kind_kkmp"] == 1
    rollup_reconcile(snapshot=False)
    assert stored_counts() == after_first
    assert first.rows == len(after_first)


def test_refreshing_an_unchanged_village_changes_nothing(village_staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        register(village_staff)
    before = stored_counts()
    assert rollup_refresh_villages(["33.18.01.2001", "33.18.01.2002"]) == 0
    assert stored_counts() == before


def test_first_build_and_reconcile_give_the_same_rows_summed_level_by_level(django_capture_on_commit_callbacks):
    """
    A first build (empty roll-up table) and a reconcile of the existing rows give identical rows, equal to the
    live aggregation; and every area row is the sum of the village rows under it.
    """
    from reports.models import RegionRollup

    world = World()
    steps = [("register", village, "baru") for village in VILLAGES] + [
        ("advance", VILLAGES[0], 3), ("unit", VILLAGES[1], "klinik", "operasional"), ("member", VILLAGES[4], 2),
        ("visit", VILLAGES[5], 3), ("unit", VILLAGES[6], "kantor", "lahan_tersedia")]
    for step in steps:
        with django_capture_on_commit_callbacks(execute=True):
            world.apply(step)
    rollup_reconcile(snapshot=False)
    reconciled = stored_counts()
    RegionRollup.objects.all().delete()
    first = rollup_reconcile(snapshot=False)
    assert first.corrected == first.rows
    assert stored_counts() == reconciled == nonzero(live_counts())
    villages = {code: row for code, row in reconciled.items() if code.count(".") == 3}
    for code, row in reconciled.items():
        if code.count(".") == 3:
            continue
        under = [village for village in villages if code == "ID" or village.startswith(code + ".")]
        assert row == {name: sum(villages[village][name] for village in under) for name in row}, code
