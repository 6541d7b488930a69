"""
Quickstart demo data (``manage.py seed_demo``): accounts for each persona and three real areas from
the seed stories, with plausible progress. Never run this on a real server.

* Kab. Pati (33.18, 406 desa/kelurahan): far along, as in 2025 when all 406 became operational;
  Desa Prawoto is worked through the real services, so its page shows a genuine history (a
  rejected Musdesus waiting for correction).
* Kab. Blitar (35.05, 248): mid-way, against "all 248 formed within six months".
* Kec. Bathin Solapan, Kab. Bengkalis (14.03.16, 13 desa): just starting, "13 desa by 15 May".

Generated cooperatives are written with bulk inserts and have no audit history of their own.
"""

import random
from dataclasses import dataclass
from datetime import datetime
from datetime import time
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import RoleAssignment
from accounts.models import User
from accounts.services import user_email_confirm
from core.roles import Role
from koperasi.models import Cooperative
from koperasi.models import CooperativeKind
from koperasi.models import CooperativeVillage
from koperasi.models import FormationStage
from koperasi.models import StageProgress
from koperasi.services import cooperative_default_names
from koperasi.services import cooperative_register
from koperasi.services import stage_reject
from koperasi.services import stage_submit
from koperasi.services import stage_verify
from koperasi.stage_fields import STAGE_FIELDS
from members.models import Member
from members.models import Position
from members.services import member_add
from pendampingan.services import visit_log
from reports.services import rollup_reconcile
from reports.services import snapshot_backfill
from sampledata.bumdes import federation_roles_ensure
from sampledata.bumdes import pati_federation_create
from sampledata.demo_anggota import members_demo_create
from sampledata.demo_kegiatan import kegiatan_demo_create
from sampledata.demo_pembangunan import demo_land_create
from sampledata.demo_simpanan import savings_demo_create
from sampledata.plans import UNIT_CODES
from sampledata.plans import CooperativePlan
from sampledata.plans import Profile
from sampledata.plans import plan_cooperative
from sampledata.plans import stage_field_value
from targets.services import target_create
from targets.services import target_split
from units.models import READINESS_ORDER
from units.models import Unit
from units.models import UnitMilestone
from units.models import UnitType
from wilayah.models import Region

__all__ = ["DEMO_PASSWORD", "DemoLogin", "demo_data_create", "demo_users_create"]

DEMO_PASSWORD = "demo-kopdes-2025"
PATI, BLITAR, BATHIN_SOLAPAN, PRAWOTO = "33.18", "35.05", "14.03.16", "33.18.01.2001"


@dataclass(frozen=True)
class DemoLogin:
    email: str
    full_name: str
    persona: str
    roles: tuple[tuple[str, str | None], ...]


DEMO_LOGINS = (
    DemoLogin("admin@demo.kopdes.id", "Admin Nasional", "National administrator", ((Role.NATIONAL_ADMIN, None),)),
    DemoLogin("pati@demo.kopdes.id", "Dinas Koperasi Kab. Pati", "District officer, Kabupaten Pati",
              ((Role.KABUPATEN_OFFICER, PATI),)),
    DemoLogin("verifikator@demo.kopdes.id", "Verifikator Kab. Pati", "Second district officer, Kabupaten Pati",
              ((Role.KABUPATEN_OFFICER, PATI),)),
    DemoLogin("sukolilo@demo.kopdes.id", "Koordinator Kec. Sukolilo", "Kecamatan officer, Sukolilo (Pati)",
              ((Role.KECAMATAN_OFFICER, "33.18.01"),)),
    DemoLogin("prawoto@demo.kopdes.id", "Staf Desa Prawoto", "Village staff, Desa Prawoto (Sukolilo, Pati)",
              ((Role.VILLAGE_STAFF, PRAWOTO),)),
    DemoLogin("blitar@demo.kopdes.id", "Dinas Koperasi Kab. Blitar", "District officer, Kabupaten Blitar",
              ((Role.KABUPATEN_OFFICER, BLITAR),)),
    DemoLogin("bathinsolapan@demo.kopdes.id", "Koordinator Kec. Bathin Solapan",
              "Kecamatan officer, Bathin Solapan (Bengkalis)", ((Role.KECAMATAN_OFFICER, BATHIN_SOLAPAN),)),
    DemoLogin("banjarnegara@demo.kopdes.id", "Dinas Koperasi Kab. Banjarnegara",
              "District officer, Kabupaten Banjarnegara (business-matching day)", ((Role.KABUPATEN_OFFICER, "33.04"),)),
    DemoLogin("pedurungan@demo.kopdes.id", "Kantor Kec. Pedurungan",
              "Kecamatan officer, Pedurungan (Kota Semarang), co-working space",
              ((Role.KECAMATAN_OFFICER, "33.74.06"),)),
    # Roles held on a federation are given once the federation exists (sampledata.bumdes).
    DemoLogin("federasi@demo.kopdes.id", "Direktur BUMDes Bersama", "Federation director, BUM Desa Bersama of 159 "
              "Pati desa", ()),
    DemoLogin("klinik@demo.kopdes.id", "Staf PT Mitra Bumdes", "Federation staff, the PT's clinics and sites", ()),
)


@transaction.atomic
def demo_users_create() -> tuple[DemoLogin, ...]:
    """Create (or reset) the demo accounts; safe to run again."""
    for login in DEMO_LOGINS:
        user, _created = User.objects.get_or_create(email=login.email, defaults={"full_name": login.full_name})
        user.set_password(DEMO_PASSWORD)
        user.is_active = True
        if any(role == Role.NATIONAL_ADMIN for role, _region in login.roles):
            user.is_staff = user.is_superuser = True
        user.save()
        # The demo's own addresses: no verification code to wait for at the first sign-in.
        user_email_confirm(user=user)
        for role, region in login.roles:
            RoleAssignment.objects.get_or_create(user=user, role=role, region_id=region)
    federation_roles_ensure()
    return DEMO_LOGINS


def _aware(moment: datetime) -> datetime:
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _profiles(today) -> dict[str, Profile]:
    midnight = _aware(datetime.combine(today, time()))
    return {
        # Pati finished in 2025: almost everyone operational.
        PATI: Profile(reached_weights=(0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 30), start=_aware(datetime(2025, 4, 1)),
                      end=_aware(datetime(2025, 9, 27)), pending_share=0.6, rejected_share=0.3),
        # Blitar started six months ago and is still moving, with recent completions.
        BLITAR: Profile(reached_weights=(3, 4, 6, 6, 5, 5, 3, 2, 2, 1, 1), start=midnight - timedelta(days=170),
                        end=midnight - timedelta(hours=6), pending_share=0.35, rejected_share=0.25),
        BATHIN_SOLAPAN: Profile(reached_weights=(3, 3, 2, 1, 0, 0, 0, 0, 0, 0, 0), start=midnight - timedelta(days=45),
                                end=midnight - timedelta(days=2), pending_share=0.5, rejected_share=0.3),
    }


def _write_plans(plans: list[CooperativePlan], *, officer, submitter, verifier) -> int:
    """
    Bulk-write planned cooperatives with their stages, units, milestones, members and board. Stages are
    submitted by ``submitter`` (an area coordinator) and verified by ``verifier``, with plausible data; the
    identifiers of verified stages are on the cooperative, as verification puts them there.
    """
    rng = random.Random(len(plans))
    stages = list(FormationStage.objects.order_by("order"))
    unit_types = {unit_type.code: unit_type for unit_type in UnitType.objects.filter(code__in=UNIT_CODES)}
    villages = {region.code: region for region in Region.objects.filter(code__in=[p.village_code for p in plans])}
    names = cooperative_default_names(list(villages.values()))
    cooperatives = []
    for plan in plans:
        village = villages[plan.village_code]
        reached = stages[plan.reached - 1] if plan.reached else None
        cooperatives.append(Cooperative(
            name=names[village.code],
            kind=CooperativeKind.KKMP if village.kind == "kelurahan" else CooperativeKind.KDMP,
            formation_model=plan.formation_model, village=village, stage_reached=reached,
            stage_reached_at=plan.completed_at[-1] if plan.completed_at else plan.registered_at,
            formation_completed=plan.reached == len(stages), registered_by=officer,
            operational_since=plan.completed_at[-1].date() if plan.reached == len(stages) else None,
        ))
    Cooperative.objects.bulk_create(cooperatives, batch_size=500)
    for cooperative, plan in zip(cooperatives, plans, strict=True):
        cooperative.created_at = plan.registered_at
    Cooperative.objects.bulk_update(cooperatives, ["created_at"], batch_size=500)
    CooperativeVillage.objects.bulk_create(
        [CooperativeVillage(cooperative=c, village_id=c.village_id, is_seat=True) for c in cooperatives],
        batch_size=1000)

    progress_rows, units, members, positions = [], [], [], []
    for number, (cooperative, plan) in enumerate(zip(cooperatives, plans, strict=True), start=1):

        def data_for(stage, held_on, cooperative=cooperative, number=number):
            return {key: stage_field_value(key, number=number, name=cooperative.name,
                                           village_code=cooperative.village_id, held_on=held_on, rng=rng)
                    for key in stage.required_fields}

        for index, stage in enumerate(stages):
            row = StageProgress(cooperative=cooperative, stage=stage)
            if index < plan.reached:
                skipped = plan.formation_model != "baru" and plan.formation_model in stage.skippable_for
                row.status = "not_applicable" if skipped else "verified"
                row.not_applicable_reason = "Koperasi lama sudah memilikinya" if skipped else ""
                row.round, row.completed_at = 1, plan.completed_at[index]
                row.submitted_at = row.reviewed_at = plan.completed_at[index]
                row.submitted_by, row.reviewed_by = submitter, verifier
                if not skipped:
                    row.data = data_for(stage, timezone.localdate(plan.completed_at[index]))
                    for key, value in row.data.items():  # what verification copies onto the cooperative
                        if STAGE_FIELDS[key].cooperative_field:
                            setattr(cooperative, STAGE_FIELDS[key].cooperative_field, value)
            elif index == plan.reached and plan.pending:
                row.status, row.round = plan.pending, 1
                row.submitted_at, row.submitted_by = plan.pending_at, submitter
                row.data = data_for(stage, timezone.localdate(plan.pending_at))
                if plan.pending == "rejected":
                    row.reviewed_at, row.reviewed_by = plan.pending_at, verifier
                    row.rejection_reason = "Berita acara belum ditandatangani lengkap; unggah ulang."
            progress_rows.append(row)
        for code, status, day in zip(UNIT_CODES, plan.unit_statuses, plan.unit_reached_on, strict=True):
            units.append((Unit(cooperative=cooperative, unit_type=unit_types[code], status=status,
                               go_live_date=day if status == "operasional" else None,
                               licence_number="503/SIP/2025" if status in ("izin", "operasional") and code in
                               ("klinik", "apotek") else "", licence_date=day if code in ("klinik", "apotek")
                               and status in ("izin", "operasional") else None,
                               land_progress=100 if status not in ("rencana", "tidak_dijalankan") else 0,
                               building_progress=100 if status in ("izin", "operasional") else 0,
                               not_run_reason="Layanan sudah tersedia di desa" if status == "tidak_dijalankan" else ""),
                          day))
        # Numbered as the register numbers them (00001, …): an admission after them takes the next number.
        for number, person in enumerate(plan.members, start=1):
            members.append(Member(cooperative=cooperative, nik=person.nik, name=person.name, sex=person.sex,
                                  domicile_id=cooperative.village_id, is_founder=person.is_founder,
                                  village_office=person.village_office, created_by=officer,
                                  member_number=f"{number:05d}"))
    legal = [field for field in (spec.cooperative_field for spec in STAGE_FIELDS.values()) if field]
    Cooperative.objects.bulk_update(cooperatives, legal, batch_size=500)
    StageProgress.objects.bulk_create(progress_rows, batch_size=1000)
    Unit.objects.bulk_create([unit for unit, _day in units], batch_size=1000)
    milestones = []
    for unit, day in units:
        if unit.status in READINESS_ORDER:
            for status in READINESS_ORDER[1: READINESS_ORDER.index(unit.status) + 1]:
                milestones.append(UnitMilestone(unit=unit, status=status, reached_on=day))
    UnitMilestone.objects.bulk_create(milestones, batch_size=1000)
    Member.objects.bulk_create(members, batch_size=1000)

    # A board for every cooperative past the founding meeting: five pengurus and the kades as ketua pengawas.
    roles = ("ketua", "wakil_ketua_usaha", "wakil_ketua_keanggotaan", "sekretaris", "bendahara")
    by_cooperative: dict[int, list] = {}
    for member in members:
        by_cooperative.setdefault(member.cooperative_id, []).append(member)
    for cooperative, plan in zip(cooperatives, plans, strict=True):
        if plan.reached < 3:
            continue
        people = by_cooperative.get(cooperative.pk, [])
        citizens = [m for m in people if not m.village_office]
        positions += [Position(cooperative=cooperative, member=member, role=role)
                      for member, role in zip(citizens, roles, strict=False)]
        positions += [Position(cooperative=cooperative, member=m, role="ketua_pengawas")
                      for m in people if m.village_office == "kepala_desa"]
    Position.objects.bulk_create(positions, batch_size=1000)
    return len(cooperatives)


def _prawoto_story(staff, officer, verifier) -> None:
    """Desa Prawoto through the real services: registered, socialised, Musdesus sent back for correction."""
    pdf = b"%PDF-1.4\n1 0 obj<< /Type /Catalog >>endobj\ntrailer<<>>\n%%EOF\n"
    cooperative = cooperative_register(actor=staff, village_code=PRAWOTO, phone="0812-2500-2001",
                                       address="Balai Desa Prawoto, Kec. Sukolilo, Kab. Pati")
    rng = random.Random(33180120)
    plan = plan_cooperative(rng, PRAWOTO, _profiles(timezone.localdate())[BLITAR])
    for person in plan.members[:12]:
        member_add(actor=staff, cooperative=cooperative, nik=person.nik, name=person.name, sex=person.sex,
                   domicile_code=PRAWOTO, is_founder=person.is_founder, village_office=person.village_office)
    sosialisasi = stage_submit(
        actor=staff, progress=cooperative.stages.get(stage__code="sosialisasi"), data={"held_on": "2025-04-14"},
        documents=[("berita_acara_sosialisasi", SimpleUploadedFile("sosialisasi-prawoto.pdf", pdf))],
    )
    stage_verify(actor=officer, progress=sosialisasi)
    musdesus = stage_submit(
        actor=staff, progress=cooperative.stages.get(stage__code="musdesus"),
        data={"held_on": "2025-05-21", "participants": 86},
        documents=[("berita_acara_musdesus", SimpleUploadedFile("berita-acara-musdesus.pdf", pdf)),
                   ("daftar_hadir_musdesus", SimpleUploadedFile("daftar-hadir.pdf", pdf))],
    )
    stage_reject(actor=verifier, progress=musdesus,
                 reason="Daftar hadir belum memuat tanda tangan BPD; unggah ulang yang lengkap.")


def _targets(admin, today) -> None:
    target_create(actor=admin, region_code="33", metric="stage", stage_code="musdesus", title="Musdesus selesai",
                  start_date=today.replace(year=2025, month=3, day=27), due_date=today.replace(year=2025, month=5,
                                                                                                day=31))
    for province in ("33", "35", "14"):
        target_create(actor=admin, region_code=province, metric="stage", stage_code="sk_ahu",
                      title="Berbadan hukum (SK AHU)", start_date=today.replace(year=2025, month=3, day=27),
                      due_date=today.replace(year=2025, month=6, day=30))
    blitar = target_create(actor=admin, region_code=BLITAR, metric="stage", stage_code="sk_ahu",
                           title="248 koperasi terbentuk dalam enam bulan", start_date=today - timedelta(days=172),
                           due_date=today + timedelta(days=10))
    target_split(actor=admin, target=blitar)
    target_create(actor=admin, region_code=BATHIN_SOLAPAN, metric="stage", stage_code="musdesus",
                  title="13 desa Bathin Solapan", start_date=today - timedelta(days=45),
                  due_date=today.replace(year=today.year + 1, month=5, day=15))
    target_create(actor=admin, region_code=PATI, metric="unit_status", unit_type_code="gerai_sembako",
                  unit_status="operasional", title="Gerai sembako beroperasi", start_date=today - timedelta(days=60),
                  due_date=today + timedelta(days=120))


def _visits(rng, today) -> None:
    """Blitar's officers assist two to three villages a day; some follow-ups fall due today or are late."""
    blitar = User.objects.get(email="blitar@demo.kopdes.id")
    sukolilo = User.objects.get(email="sukolilo@demo.kopdes.id")
    villages = list(Region.objects.subtree(BLITAR).villages().values_list("code", flat=True))
    topics = ["Pendampingan Musdesus", "Kelengkapan berkas notaris", "Pendaftaran SIMKOPDES", "Rencana gerai sembako",
              "Pembentukan pengurus"]
    for days_ago in range(20, 0, -1):
        for village in rng.sample(villages, rng.randint(2, 3)):
            follow_up = today - timedelta(days=days_ago) + timedelta(days=rng.choice([7, 14, 19, 21]))
            visit_log(actor=blitar, village_code=village, visited_on=today - timedelta(days=days_ago),
                      topic=rng.choice(topics), participants="Kades, sekdes, calon pengurus",
                      outcome="Berkas diperiksa bersama", next_step="Lengkapi berkas yang kurang",
                      follow_up_on=follow_up if rng.random() < 0.6 else None)
    visit_log(actor=sukolilo, village_code=PRAWOTO, visited_on=today - timedelta(days=3),
              topic="Perbaikan daftar hadir Musdesus", participants="Kades Prawoto, staf desa",
              outcome="Daftar hadir akan ditandatangani ulang", next_step="Unggah ulang daftar hadir",
              follow_up_on=today)


def demo_data_create(seed: int = 2025) -> dict:
    """
    Accounts, three areas of cooperatives, targets, visits, and the Pati federation with its sites and
    agreements. Re-running leaves existing data alone.
    """
    logins = demo_users_create()
    if Cooperative.objects.exists():
        return {"logins": logins, "cooperatives": Cooperative.objects.count(), "created": False}
    rng = random.Random(seed)
    today = timezone.localdate()
    officer = User.objects.get(email="pati@demo.kopdes.id")
    verifier = User.objects.get(email="verifikator@demo.kopdes.id")
    with transaction.atomic():
        _prawoto_story(User.objects.get(email="prawoto@demo.kopdes.id"), officer, verifier)
        profiles = _profiles(today)
        plans, sequence = [], 0
        for area, share in ((PATI, 1.0), (BLITAR, 0.93), (BATHIN_SOLAPAN, 0.77)):
            for code in Region.objects.subtree(area).villages().values_list("code", flat=True):
                if code == PRAWOTO or rng.random() > share:
                    continue
                plans.append(plan_cooperative(rng, code, profiles[area], member_sequence=sequence))
                sequence += 60
        _write_plans(plans, officer=officer, submitter=User.objects.get(email="sukolilo@demo.kopdes.id"),
                     verifier=verifier)
        _targets(User.objects.get(email="admin@demo.kopdes.id"), today)
        _visits(rng, today)
        pati_federation_create(officer=officer, rng=random.Random(seed + 33), today=today)
        savings_demo_create(prawoto_staff=User.objects.get(email="prawoto@demo.kopdes.id"),
                            admin=User.objects.get(email="admin@demo.kopdes.id"), rng=random.Random(seed + 12),
                            today=today)
        members_demo_create(prawoto_staff=User.objects.get(email="prawoto@demo.kopdes.id"), today=today)
        demo_land_create()
        kegiatan_demo_create(rng=random.Random(seed + 44), today=today, password=DEMO_PASSWORD)
    # Dashboards read the roll-up; the burn-up charts read daily snapshots, rebuilt here for half a year.
    rollup_reconcile()
    # Weekly points for half a year, then daily for the 14-day pace of the targets.
    snapshot_backfill(today - timedelta(days=182), today - timedelta(days=16), every=7)
    snapshot_backfill(today - timedelta(days=15), today - timedelta(days=1))
    return {"logins": logins, "cooperatives": Cooperative.objects.count(), "created": True}
