"""
The Pati federation of the demo, written through the real services (so its pages have a history):

* a BUM Desa Bersama of 159 Pati desa, each of which put in Rp50–100 juta (as reported for Pati in 2019),
  recorded as a federation whose director is ``federasi@demo.kopdes.id``;
* PT Mitra Bumdes Sejahtera Pati, the company it owns, whose staff ``klinik@demo.kopdes.id`` keep its sites:
  12 klinik pratama sites (6 operating with a year of monthly figures, the others chosen with the Dinas
  Kesehatan where clinics are overloaded), a co-working space and a planned Pertamini;
* a few BUM Desa of single desa, and cooperation agreements: two active, one refused for want of the
  cooperative's SK AHU (Desa Prawoto's cooperative is still before its Musdesus) and kept as a draft.

The names of the PT and of the BUM Desa Bersama are as reported in the news; coordinates are spread over the
kabupaten and do not mark real buildings.
"""

import random
from datetime import date
from datetime import timedelta

from django.core.exceptions import ValidationError

from accounts.models import RoleAssignment
from accounts.models import User
from bumdes.models import Federation
from bumdes.services import agreement_create
from bumdes.services import bumdes_classify
from bumdes.services import bumdes_officer_add
from bumdes.services import bumdes_register
from bumdes.services import business_line_add
from bumdes.services import federation_register
from bumdes.services import site_create
from bumdes.services import site_figure_record
from core.roles import Role
from koperasi.models import Cooperative
from wilayah.models import Region
from wilayah.models import RegionKind

__all__ = ["BERSAMA_NAME", "COMPANY_NAME", "MEMBER_VILLAGES", "federation_roles_ensure", "pati_federation_create"]

PATI = "33.18"
PRAWOTO = "33.18.01.2001"
SEAT = "33.18.12.2001"  # Desa Jambean Kidul, Kec. Margorejo, beside the town of Pati
MEMBER_VILLAGES = 159
BERSAMA_NAME = "BUM Desa Bersama Mitra Sejahtera Pati"
COMPANY_NAME = "PT Mitra Bumdes Sejahtera Pati"
# Kabupaten Pati lies roughly within these bounds (the sites are spread inside them).
_LATITUDES, _LONGITUDES = (-6.92, -6.55), (110.92, 111.20)


def federation_roles_ensure() -> None:
    """The federation logins hold their roles on the federations, once these exist (safe to run again)."""
    bersama = Federation.objects.filter(name=BERSAMA_NAME).first()
    company = Federation.objects.filter(name=COMPANY_NAME).first()
    for email, role, federation in (("federasi@demo.kopdes.id", Role.FEDERATION_DIRECTOR, bersama),
                                    ("klinik@demo.kopdes.id", Role.FEDERATION_STAFF, company)):
        user = User.objects.filter(email=email).first()
        if user is None or federation is None:
            continue
        # Earlier demos gave the director one assignment per village: replaced by the one on the federation.
        user.role_assignments.filter(federation__isnull=True).delete()
        RoleAssignment.objects.get_or_create(user=user, role=role, federation=federation)


def _point(rng):
    return (round(rng.uniform(*_LATITUDES), 6), round(rng.uniform(*_LONGITUDES), 6))


def pati_federation_create(*, officer, rng: random.Random, today: date) -> Federation:
    """The Pati BUM Desa Bersama, its PT, their sites and figures, a few BUM Desa, and agreements."""
    desa = list(Region.objects.subtree(PATI).villages().filter(kind=RegionKind.DESA).order_by("code"))
    chosen = [village for village in desa if village.code in (PRAWOTO, SEAT)]
    others = [village for village in desa if village.code not in (PRAWOTO, SEAT)]
    chosen += rng.sample(others, MEMBER_VILLAGES - len(chosen))
    chosen.sort(key=lambda village: village.code)
    bersama = bumdes_register(
        actor=officer, kind="bum_desa_bersama", name=BERSAMA_NAME, village_code=SEAT,
        villages=[(village.code, rng.randrange(50, 101, 5) * 1_000_000) for village in chosen],
        address="Jl. Raya Pati–Kudus, Margorejo, Pati", founded_on=date(2018, 12, 20),
        regulation_number="Peraturan Bersama Kepala Desa Nomor 1 Tahun 2018", regulation_date=date(2018, 12, 20),
        registration_number="AHU-00071.AH.01.33.TAHUN 2021", registration_date=date(2021, 11, 15),
    )
    for organ, name, since in (("penasihat", "Kepala Desa Jambean Kidul", date(2018, 12, 20)),
                               ("pelaksana_operasional", "Bambang Sutrisno", date(2019, 1, 2)),
                               ("pengawas", "Sri Wahyuni", date(2019, 1, 2)),
                               ("sekretaris", "Agus Priyanto", date(2019, 1, 2)),
                               ("bendahara", "Dwi Lestari", date(2019, 1, 2))):
        bumdes_officer_add(actor=officer, bumdes=bersama, organ=organ, name=name, since=since)
    for year, grade, score in ((2023, "pemula", 58), (2024, "berkembang", 71), (2025, "berkembang", 76)):
        bumdes_classify(actor=officer, bumdes=bersama, year=year, classification=grade, score=score)
    for name, sector, started in (("Klinik Pratama BUMDes Sehat", "health", date(2019, 6, 1)),
                                  ("Ruang kerja bersama", "services", date(2019, 10, 1)),
                                  ("Jasa konstruksi", "services", date(2020, 2, 1))):
        business_line_add(actor=officer, bumdes=bersama, name=name, sector=sector, started_on=started)
    federation = federation_register(
        actor=officer, kind="bumdes_bersama", bumdes=bersama,
        description="BUM Desa Bersama 159 desa se-Kabupaten Pati: klinik pratama, ruang kerja bersama, jasa.")
    company = federation_register(
        actor=officer, kind="company", name=COMPANY_NAME, seat_code=SEAT, parent=federation,
        legal_number="AHU-0051234.AH.01.01.TAHUN 2019", legal_date=date(2019, 3, 11),
        description="Perseroan milik BUM Desa Bersama yang menjalankan klinik pratama dan ruang kerja bersama.")
    _sites(officer, company, chosen, rng, today)
    _single_bumdes(officer, rng)
    _agreements(officer, federation, company, chosen)
    federation_roles_ensure()
    return federation


def _sites(officer, company, members, rng, today) -> None:
    clinic_villages = rng.sample([village for village in members if village.code != PRAWOTO], 14)
    months = [(today.replace(day=1) - timedelta(days=31 * back)).replace(day=1) for back in range(12, 0, -1)]
    for number, village in enumerate(clinic_villages[:12]):
        latitude, longitude = _point(rng)
        name = f"Klinik Pratama BUMDes Sehat {village.name}"
        if number < 6:
            opened = date(2019 + number // 2, 3 + number, 1 + number)
            site = site_create(actor=officer, federation=company, kind="clinic", name=name, village_code=village.code,
                               status="operating", opened_on=opened, latitude=latitude, longitude=longitude,
                               licence_number=f"503/{101 + number}/DINKES/{opened.year}",
                               licence_date=opened - timedelta(days=20))
            for month in months:
                patients = rng.randint(450, 1300)
                revenue = patients * rng.randint(55, 80) * 1_000
                site_figure_record(actor=officer, site=site, month=month, revenue=revenue,
                                   costs=int(revenue * rng.uniform(0.7, 0.95)), patients=patients)
        else:
            status = "preparing" if number < 9 else "planned"
            site_create(actor=officer, federation=company, kind="clinic", name=name, village_code=village.code,
                        status=status, latitude=latitude, longitude=longitude,
                        note="Dipilih bersama Dinas Kesehatan: puskesmas terdekat melayani melebihi kapasitas.")
    latitude, longitude = _point(rng)
    coworking = site_create(actor=officer, federation=company, kind="coworking", name="Ruang Kerja Bersama BUMDes Pati",
                            village_code=SEAT, status="operating", opened_on=date(2019, 10, 14), latitude=latitude,
                            longitude=longitude)
    for month in months:
        revenue = rng.randint(6, 15) * 1_000_000
        site_figure_record(actor=officer, site=coworking, month=month, revenue=revenue,
                           costs=int(revenue * rng.uniform(0.6, 0.9)))
    fuel_village = clinic_villages[12]
    latitude, longitude = _point(rng)
    site_create(actor=officer, federation=company, kind="fuel", name=f"Pertamini BUMDes {fuel_village.name}",
                village_code=fuel_village.code, latitude=latitude, longitude=longitude,
                note="Direncanakan di desa yang jauh dari SPBU.")


def _single_bumdes(officer, rng) -> None:
    for code in ("33.18.01.2002", "33.18.01.2003", "33.18.02.2001"):
        village = Region.objects.get(code=code)
        bumdes = bumdes_register(actor=officer, kind="bum_desa", name=f"BUM Desa Sumber Rejeki {village.name}",
                                 village_code=code, capital=rng.randrange(100, 501, 50) * 1_000_000,
                                 founded_on=date(2016, 5, 2), regulation_number="Perdes Nomor 3 Tahun 2016",
                                 regulation_date=date(2016, 5, 2))
        business_line_add(actor=officer, bumdes=bumdes, name="Unit simpan pinjam", sector="finance",
                          started_on=date(2016, 8, 1))


def _agreements(officer, federation, company, members) -> None:
    codes = [village.code for village in members]
    legal = list(Cooperative.objects.filter(village_id__in=codes).exclude(sk_ahu_number="").order_by("village_id")[:2])
    if len(legal) == 2:
        agreement_create(actor=officer, cooperative=legal[0], federation=federation, kind="asset_use",
                         title="Pemanfaatan gudang BUM Desa Bersama untuk gerai sembako", starts_on=date(2025, 10, 1),
                         ends_on=date(2028, 9, 30), value=24_000_000, activate=True)
        agreement_create(actor=officer, cooperative=legal[1], federation=company, kind="supply",
                         title="Pasokan obat klinik pratama ke apotek koperasi", starts_on=date(2025, 11, 1),
                         activate=True)
    prawoto = Cooperative.objects.filter(village_id=PRAWOTO).first()
    if prawoto is None:
        return
    terms = {"cooperative": prawoto, "federation": federation, "kind": "distribution",
             "title": "Pemasaran hasil tani Prawoto melalui jaringan BUM Desa Bersama", "starts_on": date(2026, 1, 5)}
    try:
        agreement_create(actor=officer, activate=True, **terms)
    except ValidationError as refused:
        # Refused: the cooperative is not a legal entity yet. Kept as a draft with the reason, as an officer would.
        agreement_create(actor=officer, note="Belum dapat diaktifkan: " + " ".join(refused.messages), **terms)
