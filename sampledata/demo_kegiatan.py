"""
Events, partners and shared spaces of the demo, written through the kegiatan services:

* Kec. Bathin Solapan (Bengkalis): the camat's sosialisasi and rakor for its 13 desa, with kepala desa (one Pj),
  sekretaris desa, BPD, operator desa, BUMDes directors and pendamping desa: 12 of the 13 desa came, the head
  of 10 of them;
* Kab. Banjarnegara: a business-contact day of 278 cooperative pengurus (one per desa/kelurahan) with BUMN, BUMD
  and Himbara partners, and the deal pipeline that came of it (``banjarnegara@demo.kopdes.id`` is its Dinas);
* the Pati federation's co-working space (run by its PT) and the Pedurungan kecamatan co-working space in Kota
  Semarang (``pedurungan@demo.kopdes.id``), with rooms, desks, a month of bookings (a weekly one for a disability
  community) and an UMKM event.

Names of people are invented; partners are the real companies named in the programme's news.
"""

import random
from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta

from django.utils import timezone

from accounts.models import RoleAssignment
from accounts.models import User
from accounts.services import user_email_confirm
from bumdes.models import Federation
from core.roles import Role
from kegiatan import services
from kegiatan.models import AttendeeRole
from kegiatan.models import BookerKind
from kegiatan.models import DealKind
from kegiatan.models import DealStage
from kegiatan.models import EventKind
from kegiatan.models import PartnerKind
from kegiatan.models import ResourceKind
from kegiatan.models import SpaceOwnerKind
from koperasi.models import Cooperative
from koperasi.services import cooperative_register
from wilayah.models import Region

__all__ = ["KEGIATAN_LOGINS", "kegiatan_demo_create"]

BATHIN_SOLAPAN, BANJARNEGARA, PEDURUNGAN = "14.03.16", "33.04", "33.74.06"
COMPANY_NAME = "PT Mitra Bumdes Sejahtera Pati"
KEGIATAN_LOGINS = (
    ("banjarnegara@demo.kopdes.id", "Dinas Koperasi Kab. Banjarnegara", Role.KABUPATEN_OFFICER, BANJARNEGARA),
    ("pedurungan@demo.kopdes.id", "Kantor Kec. Pedurungan", Role.KECAMATAN_OFFICER, PEDURUNGAN),
)
_FIRST = ["Ahmad", "Budi", "Siti", "Dewi", "Joko", "Sri", "Agus", "Rina", "Hendra", "Wati", "Yusuf", "Lestari",
          "Bambang", "Nur", "Eko", "Fitri", "Rahmat", "Ani", "Dedi", "Yanti", "Syahrul", "Maimunah", "Zulkifli"]
_LAST = ["Saputra", "Hidayat", "Wibowo", "Rahayu", "Santoso", "Lubis", "Siregar", "Nasution", "Pratama",
         "Kurniawan", "Handayani", "Susanto", "Harahap", "Setiawan", "Purba", "Wijaya"]


def _name(rng: random.Random) -> str:
    return f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"


def _one_each(rows: list[dict]) -> list[dict]:
    """The list without a random namesake from the same desa (the portal takes them as the same person)."""
    seen, kept = set(), []
    for row in rows:
        person = (row["name"].casefold(), row.get("village_code"))
        if person not in seen:
            seen.add(person)
            kept.append({**row, "row": len(kept) + 2})
    return kept


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=timezone.get_current_timezone())


def _logins(password: str) -> None:
    for email, full_name, role, region in KEGIATAN_LOGINS:
        user, _created = User.objects.get_or_create(email=email, defaults={"full_name": full_name})
        user.set_password(password)
        user.is_active = True
        user.save()
        user_email_confirm(user=user)
        RoleAssignment.objects.get_or_create(user=user, role=role, region_id=region)


def _villages(area: str) -> list[Region]:
    return list(Region.objects.subtree(area).villages().order_by("code"))


def _bathin_solapan_rakor(rng: random.Random, today: date) -> None:
    camat = User.objects.get(email="bathinsolapan@demo.kopdes.id")
    villages = _villages(BATHIN_SOLAPAN)
    day = today - timedelta(days=9)
    event = services.event_create(
        actor=camat, title="Sosialisasi dan Rakor Percepatan KDKMP Kecamatan Bathin Solapan", kind=EventKind.RAKOR,
        region_code=BATHIN_SOLAPAN, organiser_name="Camat Bathin Solapan", place="Aula Kantor Camat Bathin Solapan",
        venue_village_code=villages[0].code, starts_at=_at(day, 9), ends_at=_at(day, 13),
        respond_by=day - timedelta(days=2),
        description="Target: 13 desa membentuk KDKMP paling lambat 15 Mei. Peserta: kepala desa, sekretaris desa, "
                    "BPD, operator desa, direktur BUMDes, dan pendamping desa.")
    services.event_invite(actor=camat, event=event, region_codes=[BATHIN_SOLAPAN])
    rows, number = [], 1
    came = villages[:12]  # one desa sent nobody
    for index, village in enumerate(came):
        roles = [AttendeeRole.SEKRETARIS_DESA, AttendeeRole.BPD, AttendeeRole.OPERATOR_DESA]
        if index < 9:
            roles.insert(0, AttendeeRole.KEPALA_DESA)
        elif index == 9:
            roles.insert(0, AttendeeRole.PJ_KEPALA_DESA)
        if rng.random() < 0.6:
            roles.append(AttendeeRole.DIREKTUR_BUMDES)
        for role in roles:
            number += 1
            rows.append({"row": number, "name": _name(rng), "role": role, "village_code": village.code})
    for _index in range(2):
        number += 1
        rows.append({"row": number, "name": _name(rng), "role": AttendeeRole.PENDAMPING_DESA,
                     "organisation": "Pendamping Desa Kec. Bathin Solapan"})
    services.attendance_import(actor=camat, event=event, rows=_one_each(rows))


def _partners(admin, officer, rng: random.Random) -> list:
    national = [
        ("PT Bank Rakyat Indonesia (Persero) Tbk", PartnerKind.HIMBARA, "KUR dan pembiayaan modal kerja koperasi."),
        ("PT Bank Mandiri (Persero) Tbk", PartnerKind.HIMBARA, "Pembiayaan dan rekening koperasi."),
        ("PT Pos Indonesia (Persero)", PartnerKind.POS, "Logistik dan agen layanan keuangan."),
        ("PT Agrinas Pangan Nusantara (Persero)", PartnerKind.AGRINAS, "Pembangunan gudang dan gerai pangan."),
        ("PT Pupuk Indonesia (Persero)", PartnerKind.BUMN, "Penyaluran pupuk bersubsidi lewat gerai koperasi."),
        ("Perum BULOG", PartnerKind.BUMN, "Pasokan beras SPHP dan komoditas pangan."),
    ]
    partners = []
    for name, kind, offer in national:
        partner = services.partner_create(actor=admin, name=name, kind=kind, offer=offer, area_codes=["33", "14"])
        services.partner_contact_add(actor=admin, partner=partner, name=_name(rng), position="Account officer",
                                     phone=f"0812{rng.randint(10_000_000, 99_999_999)}")
        partners.append(partner)
    bpr = services.partner_create(actor=officer, name="PT BPR Bank Banjarnegara (Perseroda)", kind=PartnerKind.BUMD,
                                  region_code=BANJARNEGARA, offer="Kredit usaha mikro dan tabungan anggota.",
                                  area_codes=[BANJARNEGARA])
    services.partner_contact_add(actor=officer, partner=bpr, name=_name(rng), position="Kepala Bagian Kredit",
                                 phone=f"0813{rng.randint(10_000_000, 99_999_999)}")
    return [*partners, bpr]


def _banjarnegara_day(rng: random.Random, today: date) -> None:
    officer = User.objects.get(email="banjarnegara@demo.kopdes.id")
    admin = User.objects.get(email="admin@demo.kopdes.id")
    villages = _villages(BANJARNEGARA)
    partners = _partners(admin, officer, rng)
    day = today - timedelta(days=21)
    venue = next((v for v in villages if v.name == "Kutabanjarnegara"), villages[0])
    event = services.event_create(
        actor=officer, title="Temu Usaha KDKMP Kabupaten Banjarnegara", kind=EventKind.BUSINESS_MATCHING,
        region_code=BANJARNEGARA, organiser_name="Dinas Koperasi, UKM dan Perdagangan Kab. Banjarnegara",
        place="Pendopo Dipayudha Adigraha", venue_village_code=venue.code, starts_at=_at(day, 8),
        ends_at=_at(day, 15), description="Temu usaha pengurus KDKMP dengan BUMN, BUMD, dan Himbara: pengadaan, "
                                          "kemitraan proyek, pembiayaan, dan pendampingan.")
    services.event_invite(actor=officer, event=event, region_codes=[BANJARNEGARA])
    rows = [{"row": number, "name": _name(rng), "role": AttendeeRole.PENGURUS, "village_code": village.code}
            for number, village in enumerate(villages, start=2)]
    rows += [{"row": len(rows) + 2 + index, "name": _name(rng), "role": AttendeeRole.PARTNER,
              "organisation": partner.name} for index, partner in enumerate(partners)]
    services.attendance_import(actor=officer, event=event, rows=_one_each(rows))
    # Some of the desa registered their cooperative already: their meetings open the pipeline.
    cooperatives = []
    for village in rng.sample(villages, 18):
        cooperative = Cooperative.objects.filter(village=village).first() or cooperative_register(
            actor=officer, village_code=village.code)
        cooperatives.append(cooperative)
    kinds = {PartnerKind.HIMBARA: DealKind.FINANCING, PartnerKind.BUMD: DealKind.FINANCING,
             PartnerKind.POS: DealKind.PROCUREMENT, PartnerKind.AGRINAS: DealKind.PROJECT,
             PartnerKind.BUMN: DealKind.PROCUREMENT}
    paths = [[], [DealStage.TALKS], [DealStage.TALKS, DealStage.AGREED],
             [DealStage.TALKS, DealStage.AGREED, DealStage.RUNNING], [DealStage.LOST]]
    for index, cooperative in enumerate(cooperatives + cooperatives[:8]):
        partner = partners[index % len(partners)]
        kind = DealKind.MENTORING if index % 7 == 6 else kinds[partner.kind]
        value = 0 if kind == DealKind.MENTORING else rng.randrange(25, 1500) * 1_000_000
        meeting = services.meeting_record(
            actor=officer, cooperative=cooperative, partner=partner, event=event, kind=kind, value=value,
            next_step=rng.choice(["Kirim proposal", "Survei lokasi gerai", "Penandatanganan PKS",
                                  "Lengkapi dokumen koperasi"]),
            next_step_on=today + timedelta(days=rng.randint(3, 40)),
            notes="Dicatat di meja temu usaha.")
        for stage in paths[index % len(paths)]:
            services.deal_move(actor=officer, deal=meeting.deal, stage=stage)


def _space(actor, rng, today, *, name, owner_kind, region_code=None, federation=None, address="",
           weekly_group: str) -> None:
    space = services.space_create(actor=actor, name=name, owner_kind=owner_kind, region_code=region_code,
                                  federation=federation, address=address,
                                  description="Ruang kerja bersama untuk anak muda, UMKM, dan komunitas.")
    room = services.resource_add(actor=actor, space=space, name="Ruang rapat", kind=ResourceKind.ROOM, capacity=25,
                                 opens_at=time(8), closes_at=time(21), open_days="123456")
    desks = [services.resource_add(actor=actor, space=space, name=f"Meja kerja {number}", kind=ResourceKind.DESK,
                                   capacity=1, opens_at=time(8), closes_at=time(21), open_days="123456")
             for number in range(1, 7)]
    monday = today - timedelta(days=today.weekday() + 28)
    services.booking_create_weekly(actor=actor, resource=room, booker_name=weekly_group,
                                   booker_kind=BookerKind.PUBLIC, first_day=monday, until=today + timedelta(days=28),
                                   starts=time(15), ends=time(17), people=15, group="komunitas disabilitas",
                                   purpose="Pertemuan rutin dan pelatihan keterampilan")
    bookers = [("UMKM Batik Tulis", BookerKind.UMKM, "UMKM perempuan"), ("Karang Taruna", BookerKind.PUBLIC,
                                                                        "pemuda"),
               ("KDKMP setempat", BookerKind.COOPERATIVE, ""), ("Staf kecamatan", BookerKind.STAFF, ""),
               ("Kedai Kopi Rakyat", BookerKind.UMKM, "UMKM")]
    for offset in range(-30, 21):
        day = today + timedelta(days=offset)
        if day.isoweekday() == 7:
            continue
        for desk in rng.sample(desks, rng.randint(1, 4)):
            who, kind, group = rng.choice(bookers)
            start = rng.choice((8, 9, 10, 13))
            services.booking_create(actor=actor, resource=desk, booker_name=f"{who} — {_name(rng)}", booker_kind=kind,
                                    group=group, starts_at=_at(day, start), ends_at=_at(day, start + rng.randint(2, 5)))
    return space


def _spaces(rng: random.Random, today: date) -> None:
    staff = User.objects.get(email="klinik@demo.kopdes.id")
    company = Federation.objects.filter(name=COMPANY_NAME).first()
    if company is not None:
        _space(staff, rng, today, name="Ruang Kerja Bersama BUMDes Pati", owner_kind=SpaceOwnerKind.FEDERATION,
               federation=company, address="Jl. Pemuda, Pati", weekly_group="Komunitas Difabel Pati")
    officer = User.objects.get(email="pedurungan@demo.kopdes.id")
    space = _space(officer, rng, today, name="Ruang Kreatif Kecamatan Pedurungan", owner_kind=SpaceOwnerKind.KECAMATAN,
                   region_code=PEDURUNGAN, address="Jl. Brigjen Sudiarto, Pedurungan, Kota Semarang",
                   weekly_group="Komunitas Tuli Semarang")
    day = today - timedelta(days=6)
    event = services.event_create(
        actor=officer, title="Kelas Pemasaran Digital UMKM Pedurungan", kind=EventKind.COMMUNITY,
        region_code=PEDURUNGAN, organiser_name="Kantor Kecamatan Pedurungan", place=space.name, space=space,
        venue_village_code="33.74.06.1008", starts_at=_at(day, 9), ends_at=_at(day, 12),
        description="Foto produk, katalog daring, dan pembayaran QRIS untuk UMKM.")
    services.event_invite(actor=officer, event=event, region_codes=[PEDURUNGAN])
    villages = _villages(PEDURUNGAN)
    rows = [{"row": number, "name": _name(rng), "role": AttendeeRole.ANGGOTA, "village_code": rng.choice(villages).code,
             "organisation": rng.choice(["UMKM Bandeng Presto", "UMKM Lumpia", "UMKM Jamu", "UMKM Batik"])}
            for number in range(2, 30)]
    services.attendance_import(actor=officer, event=event, rows=_one_each(rows))


def kegiatan_demo_create(*, rng: random.Random, today: date, password: str) -> None:
    """The demo's events, partners and spaces (after the areas and the Pati federation exist)."""
    _logins(password)
    _bathin_solapan_rakor(rng, today)
    _banjarnegara_day(rng, today)
    _spaces(rng, today)
