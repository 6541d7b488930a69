"""
The history rebuild (``snapshot_backfill`` on PostgreSQL: the first day in full, then each day's changes) writes
exactly what recomputing every village every day writes, for every kind of dated fact a figure reads: a joint
cooperative's villages, members, savings and wajib arrears, land plots recorded, verified and rejected, events,
attendance and deals, stages awaiting review, the SIMKOPDES account and a unit not run. Each fact is entered on its
own day (the server clock set back), inside the rebuilt run.
"""

import contextlib
from datetime import datetime
from datetime import time
from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from core.roles import Role
from kegiatan import services as kegiatan
from kegiatan.models import DealKind
from kegiatan.models import EventKind
from kegiatan.models import PartnerKind
from koperasi.models import Cooperative
from koperasi.services import stage_verify
from members.models import MemberStatus
from members.services import member_add
from members.services import member_status_change
from pembangunan import services as pembangunan
from reports.metrics import METRIC_COLUMNS
from reports.models import RegionSnapshot
from reports.services import snapshot_backfill
from simpanan import services as simpanan
from simpanan.models import Bill
from tests.conftest import PAKEM
from tests.conftest import PATI
from tests.conftest import PRAWOTO
from tests.conftest import STAGE_DATA
from tests.conftest import SUKOLILO
from tests.conftest import make_user
from tests.conftest import register
from tests.conftest import sample_nik
from tests.conftest import submit_stage
from units.services import unit_update

pytestmark = pytest.mark.django_db

KEDUNGWINONG = "33.18.01.2003"
TODAY = timezone.localdate()
START, END = TODAY - timedelta(days=45), TODAY - timedelta(days=1)


def _day(days_before_today: int):
    return TODAY - timedelta(days=days_before_today)


@contextlib.contextmanager
def clock(day, hour: int = 12):
    """The server clock set to ``hour`` o'clock of ``day``: what the portal records on that day."""
    moment = timezone.make_aware(datetime.combine(day, time(hour)))
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def _snapshots() -> dict:
    return {(row["day"], row["code"]): row for row in RegionSnapshot.objects.values("day", "code", *METRIC_COLUMNS)
            if any(row[name] for name in METRIC_COLUMNS)}


@pytest.fixture
def history():
    """A joint cooperative's story over the run, every fact entered on its day."""
    officer, checker = make_user(Role.KABUPATEN_OFFICER, PATI), make_user(Role.KABUPATEN_OFFICER, PATI)
    admin, staff = make_user(Role.NATIONAL_ADMIN), make_user(Role.VILLAGE_STAFF, PRAWOTO)
    with clock(_day(40)):
        cooperative = register(officer, PRAWOTO, joint_village_codes=[PAKEM, KEDUNGWINONG],
                               joint_population_confirmed=True)
        members = [member_add(actor=officer, cooperative=cooperative, nik=sample_nik(index + 1),
                              name=f"Anggota {index + 1}", sex="L", domicile_code=PRAWOTO, joined_on=_day(40))[0]
                   for index in range(3)]
        unit_update(actor=officer, unit=cooperative.units.get(unit_type__code="klinik"), status="tidak_dijalankan",
                    not_run_reason="Belum ada tenaga medis di desa")
    with clock(_day(35)):
        progress = submit_stage(officer, cooperative, "sosialisasi", STAGE_DATA["sosialisasi"])
        pembangunan.plot_record(actor=staff, cooperative=cooperative, name="Tanah kas desa", area_m2=1200,
                                owner_kind="tanah_kas_desa", legal_status="sertifikat", latitude="-6.81",
                                longitude="111.00", unit_type_codes=["gerai_sembako"])
        refused = pembangunan.plot_record(actor=staff, cooperative=cooperative, name="Tanah sengketa", area_m2=800,
                                          owner_kind="tanah_kas_desa", legal_status="sertifikat",
                                          latitude="-6.82", longitude="111.01", unit_type_codes=["pergudangan"])
    with clock(_day(30)):
        # Wajib bills issued before the cooperative's first posting: arrears count from that posting.
        simpanan.savings_setting_add(actor=staff, cooperative=cooperative, effective_from=_day(40),
                                     pokok_amount=100_000, wajib_amount=10_000, wajib_period="monthly")
        simpanan.wajib_bills_generate(today=_day(30), cooperative_id=cooperative.id)
        stage_verify(actor=checker, progress=progress)
        plot = cooperative.land_plots.get(name="Tanah kas desa")
        plot = pembangunan.plot_survey(actor=staff, plot=plot, surveyed_on=_day(31))
        pembangunan.plot_verify(actor=officer, plot=plot)
    with clock(_day(25)):
        simpanan.sukarela_deposit(actor=staff, member=members[1], amount=250_000, transaction_date=_day(26))
        refused = pembangunan.plot_survey(actor=staff, plot=refused, surveyed_on=_day(26))
        pembangunan.plot_reject(actor=officer, plot=refused, reason="Status tanah masih sengketa")
    with clock(_day(20)):
        bill = Bill.objects.filter(member=members[0]).get()
        simpanan.bill_pay(actor=staff, bill=bill, amount=4_000, transaction_date=_day(20))
        event = kegiatan.event_create(actor=officer, title="Rakor percepatan KDKMP", kind=EventKind.RAKOR,
                                      starts_at=timezone.now() - timedelta(hours=2),
                                      ends_at=timezone.now() + timedelta(hours=1), place="Aula Kantor Camat",
                                      region_code=SUKOLILO, venue_village_code=PRAWOTO)
        kegiatan.attendee_add(actor=officer, event=event, name="Kepala Desa Pakem", role="kepala_desa",
                              village_code=PAKEM)
    with clock(_day(12)):  # a member leaves: counted up to the day before
        member_status_change(actor=officer, member=members[2], status=MemberStatus.KELUAR, status_on=_day(12),
                             reason="Pindah domisili ke kota")
    with clock(_day(10)):
        partner = kegiatan.partner_create(actor=admin, name="PT Pupuk Indonesia", kind=PartnerKind.BUMN,
                                          area_codes=["33"])
        kegiatan.meeting_record(actor=officer, cooperative=cooperative, partner=partner, kind=DealKind.PROCUREMENT,
                                title="Pupuk bersubsidi", value=75_000_000)
        submit_stage(officer, cooperative, "musdesus", STAGE_DATA["musdesus"])  # awaiting review from here on
    # A second cooperative, its SIMKOPDES account already open, registered halfway through the run.
    with clock(_day(15)):
        other = register(officer, "33.18.02.2001")
    Cooperative.objects.filter(pk=other.pk).update(simkopdes_account="KDMP-3318022001")
    return cooperative


def test_the_history_rebuild_equals_recomputing_every_day_for_every_kind_of_fact(history):
    snapshot_backfill(START, END, day_by_day=True)
    every_day = _snapshots()
    story = [row for (day, code), row in every_day.items() if code == PATI]
    for name in ("villages_covered", "members", "savings_sukarela", "savings_arrears", "land_plots",
                 "land_verified", "events_held", "attendees", "villages_reached", "deals", "awaiting_review",
                 "simkopdes_account", "unit_klinik_tidak_dijalankan", "stage_1"):
        assert any(row[name] for row in story), name  # the story reaches every figure it is meant to test
    last = every_day[(END, PATI)]
    members = [every_day[(day, PATI)]["members"] for day in (_day(13), _day(12), END)]
    assert members == [3, 2, 2]
    assert (last["villages_covered"], last["cooperatives"], last["land_plots"], last["savings_arrears"]) == (4, 2, 1,
                                                                                                            26_000)
    RegionSnapshot.objects.all().delete()
    snapshot_backfill(START, END)
    assert _snapshots() == every_day
