"""
Plausible synthetic cooperatives: where each stands in the formation workflow, when it got there,
its units' readiness, and members with NIK-shaped numbers. Pure Python (a seeded ``random.Random``),
so the quickstart demo and the national-scale generator draw from the same plans and differ only in
how they write rows.
"""

import random
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime
from datetime import timedelta

__all__ = ["CooperativePlan", "MemberPlan", "Profile", "plan_cooperative", "stage_field_value", "synthetic_nik"]

STAGE_COUNT = 10
UNIT_CODES = ("kantor", "gerai_sembako", "simpan_pinjam", "klinik", "apotek", "pergudangan", "logistik")
READINESS = ("rencana", "lahan_tersedia", "bangunan", "izin", "operasional")

GIVEN_NAMES = (
    "Agus", "Ahmad", "Budi", "Dedi", "Eko", "Fajar", "Hadi", "Imam", "Joko", "Slamet", "Sutrisno", "Bambang",
    "Sri", "Siti", "Dewi", "Endang", "Lestari", "Nur", "Rina", "Wati", "Yuni", "Ani", "Sumarni", "Tri",
)
FAMILY_NAMES = (
    "Santoso", "Wibowo", "Saputra", "Hidayat", "Kurniawan", "Setiawan", "Prasetyo", "Rahayu", "Wahyuni",
    "Susanti", "Hartono", "Suryani", "Purnomo", "Nugroho", "Utami", "Lestari",
)
FEMALE_GIVEN = frozenset({"Sri", "Siti", "Dewi", "Endang", "Lestari", "Nur", "Rina", "Wati", "Yuni", "Ani",
                          "Sumarni", "Tri"})


@dataclass(frozen=True)
class Profile:
    """How far the cooperatives of an area have come: weights over "stages completed" (0..10)."""

    reached_weights: tuple[float, ...]
    start: datetime  # registration happens from here …
    end: datetime  # … and every stage is completed by here
    pending_share: float = 0.25  # of unfinished cooperatives, the share whose next stage awaits review
    rejected_share: float = 0.2  # of those pending, the share sent back
    members: tuple[int, int] = (12, 40)


@dataclass
class MemberPlan:
    nik: str
    name: str
    sex: str
    is_founder: bool
    village_office: str = ""


@dataclass
class CooperativePlan:
    village_code: str
    formation_model: str
    registered_at: datetime
    completed_at: list[datetime]  # one per completed stage, increasing
    pending: str | None  # "submitted" or "rejected" for the next stage, or None
    pending_at: datetime | None
    unit_statuses: list[str]  # one per UNIT_CODES entry
    unit_reached_on: list[date | None]  # when each unit reached its status
    members: list[MemberPlan] = field(default_factory=list)

    @property
    def reached(self) -> int:
        return len(self.completed_at)


def synthetic_nik(rng: random.Random, village_code: str, *, female: bool, sequence: int) -> str:
    """A well-formed NIK registered in the village's kecamatan: PPKKCC DDMMYY SSSS (day + 40 for women)."""
    born = date(1960, 1, 1) + timedelta(days=rng.randrange(0, 365 * 45))
    day = born.day + (40 if female else 0)
    return f"{village_code[:8].replace('.', '')}{day:02d}{born.month:02d}{born.year % 100:02d}{sequence % 9999 + 1:04d}"


def _members(rng: random.Random, village_code: str, count: int, base_sequence: int) -> list[MemberPlan]:
    members = []
    for index in range(count):
        given = rng.choice(GIVEN_NAMES)
        female = given in FEMALE_GIVEN
        members.append(MemberPlan(
            nik=synthetic_nik(rng, village_code, female=female, sequence=base_sequence + index),
            name=f"{given} {rng.choice(FAMILY_NAMES)}",
            sex="P" if female else "L",
            is_founder=index < 11,
        ))
    members.append(MemberPlan(nik=synthetic_nik(rng, village_code, female=False, sequence=base_sequence + count),
                              name=f"Kepala Desa {rng.choice(FAMILY_NAMES)}", sex="L", is_founder=False,
                              village_office="kepala_desa"))
    return members


def _unit_statuses(rng: random.Random, reached: int, operational_on: datetime | None):
    """Units move only once the cooperative is well along; an operational cooperative has its office open."""
    statuses, days = [], []
    for code in UNIT_CODES:
        if reached < 5:
            level = 0
        elif operational_on is None:
            level = rng.choices(range(4), weights=(4, 3, 2, 1))[0]
        else:
            level = rng.choices(range(5), weights=(2, 2, 2, 1, 3))[0]
            if code == "kantor":
                level = 4
            if code in ("klinik", "apotek") and rng.random() < 0.08:
                statuses.append("tidak_dijalankan")
                days.append(None)
                continue
        statuses.append(READINESS[level])
        if level == 0:
            days.append(None)
        else:
            anchor = operational_on or datetime(2025, 10, 1)
            days.append((anchor + timedelta(days=rng.randrange(0, 60))).date())
    return statuses, days


def plan_cooperative(rng: random.Random, village_code: str, profile: Profile, *, member_sequence: int = 0,
                     with_members: bool = True) -> CooperativePlan:
    reached = rng.choices(range(STAGE_COUNT + 1), weights=profile.reached_weights)[0]
    span = (profile.end - profile.start).total_seconds()
    registered_at = profile.start + timedelta(seconds=rng.random() * span * 0.2)
    # Completion times spread between registration and the profile's end, in order.
    moments = sorted(rng.random() for _ in range(reached))
    completed_at = [registered_at + timedelta(seconds=m * (profile.end - registered_at).total_seconds())
                    for m in moments]
    pending = pending_at = None
    if reached < STAGE_COUNT and rng.random() < profile.pending_share:
        pending = "rejected" if rng.random() < profile.rejected_share else "submitted"
        last = completed_at[-1] if completed_at else registered_at
        pending_at = last + timedelta(seconds=rng.random() * max((profile.end - last).total_seconds(), 60))
    operational_on = completed_at[-1] if reached == STAGE_COUNT else None
    statuses, days = _unit_statuses(rng, reached, operational_on)
    members = _members(rng, village_code, rng.randint(*profile.members), member_sequence) if with_members else []
    model = "revitalisasi" if rng.random() < 0.01 else ("pengembangan" if rng.random() < 0.02 else "baru")
    return CooperativePlan(village_code, model, registered_at, completed_at, pending, pending_at, statuses, days,
                           members)


BANKS = ("Bank Rakyat Indonesia", "Bank Negara Indonesia", "Bank Mandiri", "Bank Syariah Indonesia")
NOTARIES = ("Hendra Gunawan", "Ratna Sari Dewi", "Yohanes Wibisono", "Fitri Handayani", "Bambang Sutejo",
            "Maria Kristina", "Abdul Rahman", "Siti Aminah", "Made Suartana", "Nyoman Ayu Lestari")


def stage_field_value(key: str, *, number: int, name: str, village_code: str, held_on: date, rng: random.Random):
    """
    A plausible value for a stage field (koperasi.stage_fields), in its cleaned form; ``number`` makes
    the identifiers (SK AHU, NPWP, NIB) unique per cooperative.
    """
    if key in ("held_on", "deed_date", "sk_ahu_date", "npwp_registered_on", "nib_issued_on", "account_opened_on",
               "simkopdes_registered_on", "operational_since"):
        return held_on.isoformat()
    if key == "participants":
        return rng.randint(40, 250)
    if key == "notary_name":
        return f"{rng.choice(NOTARIES)}, S.H., M.Kn."
    if key == "deed_number":
        return str(rng.randint(1, 120))
    if key == "sk_ahu_number":
        return f"AHU-{number:07d}.AH.01.29.TAHUN {held_on.year}"
    if key == "npwp":
        return f"0{810_000_000_000_000 + number * 1000:015d}"
    if key == "nib":
        return f"{9_120_000_000_000 + number}"
    if key == "bank_name":
        return rng.choice(BANKS)
    if key == "bank_account_number":
        return str(rng.randrange(10**14, 10**15))
    if key == "bank_account_name":
        return name[:200]
    if key == "simkopdes_account":
        return f"KDMP-{village_code.replace('.', '')}"
    raise KeyError(key)
