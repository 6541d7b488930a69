"""
A synthetic national dataset for benchmarks (``manage.py generate_national``): a cooperative in
almost every desa/kelurahan, with its ten formation stages, seven units and their milestones,
members with NIK-shaped numbers and a board, targets per kabupaten/kota and province, and recent
assistance visits.

Where each cooperative stands comes from the same plans as the quickstart demo
(``sampledata.plans.plan_cooperative``); only the writing differs. Rows go through PostgreSQL COPY
with primary keys allocated here, so every NOT NULL column is filled explicitly (COPY knows nothing
of Django's defaults), and the big tables are streamed: members are never all held in memory.
Generated rows have no audit history, like the demo's bulk-written cooperatives.

Runs of the same ``seed`` on the same day produce the same data; dates are relative to today.
"""

import json
import random
import time
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta
from datetime import timezone as dt_timezone
from datetime import tzinfo
from itertools import islice

from django.db import DatabaseError
from django.db import connection
from django.db import models
from django.db import transaction
from django.utils import timezone

from accounts.models import RoleAssignment
from accounts.models import User
from core.roles import Role
from koperasi.models import Cooperative
from koperasi.models import CooperativeVillage
from koperasi.models import FormationStage
from koperasi.models import StageDocument
from koperasi.models import StageProgress
from koperasi.services import cooperative_default_names
from koperasi.stage_fields import STAGE_FIELDS
from members.models import Member
from members.models import Position
from pendampingan.models import Visit
from sampledata.national_pembangunan import land_write
from sampledata.national_simpanan import savings_national_generate
from sampledata.plans import FAMILY_NAMES
from sampledata.plans import FEMALE_GIVEN
from sampledata.plans import GIVEN_NAMES
from sampledata.plans import READINESS
from sampledata.plans import STAGE_COUNT
from sampledata.plans import UNIT_CODES
from sampledata.plans import CooperativePlan
from sampledata.plans import Profile
from sampledata.plans import plan_cooperative
from sampledata.plans import stage_field_value
from targets.models import Target
from units.models import Unit
from units.models import UnitMilestone
from units.models import UnitType
from wilayah.models import Region
from wilayah.models import RegionLevel

__all__ = [
    "DEFAULT_COOPERATIVES",
    "DEFAULT_MEMBERS",
    "DEFAULT_VISITS",
    "GENERATED_EMAIL_DOMAIN",
    "NATIONAL_PROFILE_WEIGHTS",
    "GenerationRefused",
    "NationalResult",
    "TableResult",
    "generate_national",
    "member_sizes",
    "wiped_models",
]

DEFAULT_COOPERATIVES = 82_780
DEFAULT_MEMBERS = 1_000_000
DEFAULT_VISITS = 200_000
NATIONAL_VILLAGES = 83_762  # desa and kelurahan in the official list; scales the defaults for --region
GENERATED_EMAIL_DOMAIN = "generated.kopdes.invalid"

# Weights over "stages completed" (0..10), as in late 2025: about 3 % still before the SK AHU (a
# few thousand stuck early), 97 % legal entities, a fifth fully operational.
NATIONAL_PROFILE_WEIGHTS = (0.3, 0.5, 0.7, 0.8, 0.7, 14, 17, 17, 14, 15, 20)
PROGRAMME_START = datetime(2025, 4, 1, 8)  # Inpres 9/2025 was signed on 27 March 2025

MIN_BOARD_SIZE = 10  # nine founders (UU 6/2023) plus the kepala desa, so that a board can be formed
MAX_AVERAGE_MEMBERS = 1_000  # NIK sequences are unique per cooperative only up to 9,999 members
PENGURUS = ("ketua", "wakil_ketua_usaha", "wakil_ketua_keanggotaan", "sekretaris", "bendahara")
FOUNDERS = (9, 10, 11, 11, 11, 11, 11, 12, 13)  # ~11 founding members per cooperative
SK_AHU_INDEX = 4  # the fifth stage makes the cooperative a legal entity; units move only after it
FOUNDING_INDEX = 2  # rapat pendirian: the board is appointed

REJECTIONS = ("Berita acara belum ditandatangani lengkap; unggah ulang.",
              "Daftar hadir tidak memuat tanda tangan BPD.",
              "Nomor pada dokumen tidak sesuai dengan isian; periksa kembali.",
              "Dokumen terpotong; pindai ulang semua halaman.")
NOT_RUN_REASONS = ("Layanan sudah tersedia di desa", "Puskesmas dan apotek berada di desa ini")
VISIT_TOPICS = ("Pendampingan Musdesus", "Kelengkapan berkas notaris", "Pendaftaran SIMKOPDES",
                "Rencana gerai sembako", "Pembentukan pengurus", "Pembukaan rekening koperasi",
                "Perizinan klinik desa", "Pencatatan anggota", "Persiapan gudang", "Evaluasi operasional")
VISIT_PARTICIPANTS = ("Kades, sekdes, calon pengurus", "Ketua dan bendahara koperasi", "Pengurus dan pengawas",
                      "Perangkat desa, BPD", "Pengurus, manajer gerai")
VISIT_OUTCOMES = ("Berkas diperiksa bersama", "Rencana kerja disepakati", "Kendala dicatat untuk dinas",
                  "Data anggota diperbarui", "Lokasi unit ditinjau")
VISIT_NEXT_STEPS = ("Lengkapi berkas yang kurang", "Unggah dokumen ke portal", "Jadwalkan rapat pengurus",
                    "Ajukan izin ke dinas kesehatan", "")
ROMAN = ("", "", " II", " III", " IV", " V", " VI", " VII", " VIII", " IX", " X")


class GenerationRefused(Exception):
    """The database is not in a state the generator can fill (wrong engine, no regions, existing data)."""


@dataclass(frozen=True)
class TableResult:
    table: str
    rows: int
    seconds: float


@dataclass
class NationalResult:
    tables: list[TableResult] = field(default_factory=list)
    seconds: float = 0.0

    def rows(self, table: str) -> int:
        return sum(result.rows for result in self.tables if result.table == table)


@dataclass(slots=True)
class _Coop:
    """One cooperative being generated: what later tables need to know about it."""
    pk: int
    index: int
    village: str
    village_kind: str
    province: str
    name: str
    plan: CooperativePlan
    skip_stages: bool = False  # an existing cooperative whose skippable stages are not applicable
    legal: tuple = ()
    members: int = 0
    first_member: int = 0
    founders: int = 0  # set when the members are written
    updated: str = ""  # updated_at: the last stage event
    activity: str = ""  # latest change to it or its children, as _Context.local()

    def touch(self, moment: str) -> None:
        if moment > self.activity:
            self.activity = moment

    @property
    def reached(self) -> int:
        return self.plan.reached

    @property
    def has_board(self) -> bool:
        """The founding meeting was held: it is completed, or submitted (which needs the board)."""
        return self.plan.reached > FOUNDING_INDEX or (self.plan.reached == FOUNDING_INDEX and bool(self.plan.pending))


def wiped_models() -> list[type[models.Model]]:
    """The tables ``--wipe`` empties, with their history tables: cooperatives and all that hangs off them."""
    domain = [Cooperative, CooperativeVillage, StageProgress, StageDocument, Unit, UnitMilestone, Member, Position,
              Visit, Target]
    histories = [model.history.model for model in domain if hasattr(model, "history")]
    return domain + histories


# SECTION: writing with COPY


def _text(value: str) -> str:
    """A value for COPY's text format."""
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _opt(value) -> str:
    return "\\N" if value is None else str(value)


class _CopyStream:
    """A file-like object over rows (tuples of COPY-ready strings) for ``cursor.copy_expert``."""
    def __init__(self, rows: Iterable[tuple], batch: int = 4000):
        self._rows = iter(rows)
        self._batch = batch
        self.count = 0

    def read(self, size: int = -1) -> str:
        lines = ["\t".join(row) for row in islice(self._rows, self._batch)]
        if not lines:
            return ""
        self.count += len(lines)
        return "\n".join(lines) + "\n"

    readline = read


def _check_columns(model: type[models.Model], columns: tuple[str, ...]) -> None:
    """COPY skips Django's defaults: every NOT NULL column must be written by the generator."""
    missing = [f.column for f in model._meta.concrete_fields if not f.null and f.column not in columns]
    unknown = set(columns) - {f.column for f in model._meta.concrete_fields}
    if missing or unknown:
        raise RuntimeError(f"{model._meta.db_table}: columns not written {missing}, unknown {sorted(unknown)}")


def _next_id(model: type[models.Model]) -> int:
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
        return cursor.fetchone()[0] + 1


def _copy(model: type[models.Model], columns: tuple[str, ...], rows: Iterable[tuple]) -> int:
    _check_columns(model, columns)
    quote = connection.ops.quote_name
    stream = _CopyStream(rows)
    with connection.cursor() as cursor:
        cursor.copy_expert(
            f"COPY {quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN", stream,
            size=1 << 20,
        )
    return stream.count


def _reset_sequence(model: type[models.Model]) -> None:
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence(%s, 'id'), COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) "
            f"FROM {connection.ops.quote_name(table)}",
            [table],
        )


# SECTION: the generator


@dataclass
class _Context:
    rng_seed: int
    now: datetime
    today: date
    tz: object
    stages: list
    unit_types: dict[str, int]
    staff_id: int
    verifier_id: int
    officers: dict[str, int]  # province code -> officer user id
    coops: list[_Coop] = field(default_factory=list)
    first_unit: int = 0
    zone: tzinfo = UTC
    now_local: str = ""

    def __post_init__(self):
        self.zone = dt_timezone(self.now.astimezone(self.tz).utcoffset())
        self.now_local = self.local(self.now)

    def rng(self, purpose: str) -> random.Random:
        """An independent, reproducible random stream per table."""
        return random.Random(f"{self.rng_seed}:{purpose}")

    def local_date(self, moment: datetime) -> date:
        return moment.astimezone(self.tz).date()

    @property
    def offset(self) -> str:
        """The UTC offset of local time today, e.g. "+07:00"; day-level timestamps are written in it."""
        return self.now.astimezone(self.tz).isoformat()[-6:]

    def local(self, moment: datetime) -> str:
        """A moment as "YYYY-MM-DD HH:MM:SS.ffffff" at today's offset: such strings compare in time order."""
        return moment.astimezone(self.zone).strftime("%Y-%m-%d %H:%M:%S.%f")

    def stamp(self, day: str, hour: int, minute: int) -> str:
        """A time on a (local) day, never later than now."""
        return min(f"{day} {hour:02d}:{minute:02d}:00", self.now_local)


def generate_national(
    *,
    cooperatives: int | None = None,
    members: int | None = None,
    visits: int | None = None,
    seed: int = 2025,
    region: str | None = None,
    wipe: bool = False,
    fast: bool = True,
    progress: Callable[[str], None] | None = None,
) -> NationalResult:
    """
    Fill the database with a synthetic national dataset. ``region`` limits it to a subtree; the
    defaults then scale with the region's share of the country's villages. Refuses (with
    ``GenerationRefused``) on another engine than PostgreSQL, without regions, or when cooperatives
    exist and ``wipe`` is false. Runs in one transaction, then analyses the tables.

    With ``fast`` (the default) the foreign keys and non-unique indexes of the loaded tables are
    dropped for the load and recreated at its end, in the same transaction: PostgreSQL then checks
    each foreign key with one join and builds each index in one sort, instead of row by row. A
    dangling reference makes the run fail and roll back, as it would at commit.
    """
    say = progress or (lambda _message: None)
    if connection.vendor != "postgresql":
        raise GenerationRefused("generate_national is a PostgreSQL benchmark tool; this database is "
                                f"{connection.vendor}.")
    villages = Region.objects.villages().filter(is_active=True)
    if region:
        if not Region.objects.filter(code=region).exists():
            raise GenerationRefused(f"No region has the code {region}.")
        villages = villages.filter(code__startswith=region)
    available = villages.count()
    if not available:
        raise GenerationRefused("No desa/kelurahan are loaded" + (f" under {region}" if region else "")
                                + "; run manage.py load_wilayah first.")
    scale = 1.0 if not region else available / NATIONAL_VILLAGES
    if cooperatives is None:
        cooperatives = min(available, max(1, round(DEFAULT_COOPERATIVES * scale)))
    if members is None:
        members = max(cooperatives * MIN_BOARD_SIZE, round(DEFAULT_MEMBERS * cooperatives / DEFAULT_COOPERATIVES))
    if visits is None:
        visits = round(DEFAULT_VISITS * cooperatives / DEFAULT_COOPERATIVES)
    if not 1 <= cooperatives <= available:
        raise GenerationRefused(f"Asked for {cooperatives:,} cooperatives, but only {available:,} desa/kelurahan "
                                "are available (one cooperative per village).")
    if members < cooperatives:
        raise GenerationRefused("Every cooperative needs at least one member: ask for at least as many members "
                                "as cooperatives.")
    if members > cooperatives * MAX_AVERAGE_MEMBERS:
        raise GenerationRefused(f"At most {MAX_AVERAGE_MEMBERS:,} members per cooperative on average.")
    stages = list(FormationStage.objects.order_by("order"))
    unit_types = dict(UnitType.objects.filter(code__in=UNIT_CODES).values_list("code", "id"))
    if len(stages) != STAGE_COUNT or len(unit_types) != len(UNIT_CODES):
        raise GenerationRefused("The formation stages or unit types are not the default catalogue; migrate first.")

    started = time.perf_counter()
    result = NationalResult()

    def timed(table: str, work: Callable[[], int]) -> None:
        begun = time.perf_counter()
        rows = work()
        seconds = time.perf_counter() - begun
        result.tables.append(TableResult(table, rows, seconds))
        say(f"  {table:<32} {rows:>10,} rows  {seconds:7.1f} s")

    with transaction.atomic():
        _flush_deferred_checks()
        with connection.cursor() as cursor:
            # For this transaction only: the set-based parts (savings totals, receipt sequences) hash and sort
            # millions of rows, which the default 4 MB would spill to disk.
            cursor.execute("SET LOCAL work_mem = '256MB'")
        if not wipe and Cooperative.objects.exists():
            raise GenerationRefused("Cooperatives already exist; use --wipe to replace them (and their units, "
                                    "members, visits and all targets).")
        if wipe:
            begun = time.perf_counter()
            _wipe()
            say(f"  wiped existing cooperative data ({time.perf_counter() - begun:.1f} s)")
        # Targets are few and written through the ORM: their constraints stay.
        loaded = [model for model in _written_models() if model._meta.model_name != "target"]
        suspended = _suspend_constraints(loaded) if fast else []
        if suspended:
            say(f"  suspended {len(suspended)} foreign keys and non-unique indexes for the load")
        elif fast:
            say("  could not suspend the foreign keys and indexes; loading with them in place (slower)")
        now = timezone.now()
        staff_id, verifier_id, officers = _users()
        context = _Context(rng_seed=seed, now=now, today=timezone.localdate(now), tz=timezone.get_current_timezone(),
                           stages=stages, unit_types=unit_types, staff_id=staff_id, verifier_id=verifier_id,
                           officers=officers)
        timed("(plans)", lambda: _plan(context, villages, cooperatives))
        _assign_member_sizes(context, members)
        # Children first: they tell each cooperative its last activity. Their foreign keys are
        # suspended or deferred (Django creates them DEFERRABLE INITIALLY DEFERRED), so the order is free.
        timed("koperasi_stageprogress", lambda: _write_stages(context))
        timed("units_unit", lambda: _write_units(context))
        timed("units_unitmilestone", lambda: _write_milestones(context))
        timed("members_member", lambda: _write_members(context))
        timed("members_position", lambda: _write_positions(context))
        timed("pendampingan_visit", lambda: _write_visits(context, visits))
        timed("koperasi_cooperative", lambda: _write_cooperatives(context))
        timed("koperasi_cooperativevillage", lambda: _write_seats(context))
        timed("targets_target", lambda: _write_targets(context, region))
        timed("simpanan (opening balances)", lambda: savings_national_generate(
            today=context.today, actor_id=staff_id, suspend=_suspend_constraints, restore=_restore_constraints,
            progress=say))
        timed("pembangunan (plots, projects)", lambda: land_write(context, copy=_copy, next_id=_next_id))
        if suspended:
            timed("(indexes, foreign keys)", lambda: _restore_constraints(suspended))
        for model in _written_models():
            _reset_sequence(model)
    timed("(analyze)", _analyze)
    result.seconds = time.perf_counter() - started
    return result


def _written_models() -> list[type[models.Model]]:
    return [Cooperative, CooperativeVillage, StageProgress, Unit, UnitMilestone, Member, Position, Visit, Target]


@dataclass(frozen=True)
class _Suspended:
    drop: str
    restore: str


def _suspend_constraints(loaded: list[type[models.Model]]) -> list[_Suspended]:
    """
    Drop the foreign keys, the unique constraints no foreign key depends on, and the non-unique indexes of
    these tables, returning how to recreate them: each is then built in one sort and checked in one pass at
    the end of the load, instead of row by row. Primary keys and unique indexes that are not constraints stay
    (some partial ones would not read back word for word from pg_get_indexdef). Should a drop fail (a
    referenced table with pending trigger events, say), everything is kept and the load is merely slower.
    """
    tables = [model._meta.db_table for model in loaded]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT format('ALTER TABLE %%I DROP CONSTRAINT %%I', c.conrelid::regclass::text, c.conname),
                   format('ALTER TABLE %%I ADD CONSTRAINT %%I %%s', c.conrelid::regclass::text, c.conname,
                          pg_get_constraintdef(c.oid))
              FROM pg_constraint AS c
             WHERE c.conrelid = ANY(%s::regclass[])
               AND (c.contype = 'f'
                    OR c.contype = 'u' AND NOT EXISTS (SELECT 1 FROM pg_constraint AS f
                                                        WHERE f.contype = 'f' AND f.conindid = c.conindid))
             ORDER BY c.contype DESC, c.conrelid::regclass::text, c.conname
            """,
            [tables],
        )
        constraints = [_Suspended(*row) for row in cursor.fetchall()]
        cursor.execute(
            """
            SELECT format('DROP INDEX %%I', index.indexrelid::regclass::text), pg_get_indexdef(index.indexrelid)
              FROM pg_index AS index
             WHERE index.indrelid = ANY(%s::regclass[]) AND NOT index.indisunique
               AND NOT EXISTS (SELECT 1 FROM pg_constraint AS c
                                WHERE c.conindid = index.indexrelid AND c.conrelid = index.indrelid
                                  AND c.contype IN ('p', 'u', 'x'))
             ORDER BY 1
            """,
            [tables],
        )
        indexes = [_Suspended(*row) for row in cursor.fetchall()]
    suspended = constraints + indexes
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            for item in suspended:
                cursor.execute(item.drop)
    except DatabaseError:
        return []
    return suspended


def _restore_constraints(suspended: list[_Suspended]) -> int:
    """
    Indexes first, then unique constraints (the foreign-key checks may use either), then the foreign keys,
    each validated now.
    """
    def order(item: _Suspended) -> int:
        if not item.restore.startswith("ALTER"):
            return 0
        return 1 if " UNIQUE " in item.restore else 2

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for item in sorted(suspended, key=order):
            cursor.execute(item.restore)
    return len(suspended)


def _flush_deferred_checks() -> None:
    """
    Run the foreign-key checks still pending in an enclosing transaction now: TRUNCATE and ALTER
    TABLE refuse tables with pending trigger events. Django's foreign keys are all DEFERRABLE
    INITIALLY DEFERRED, which the second statement restores.
    """
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _wipe() -> None:
    quote = connection.ops.quote_name
    tables = ", ".join(quote(model._meta.db_table) for model in wiped_models())
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")


def _analyze() -> int:
    with connection.cursor() as cursor:
        for model in _written_models():
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    return len(_written_models())


def _users() -> tuple[int, int, dict[str, int]]:
    """A field officer who registers and submits, a verifier, and one officer per province for visits."""
    wanted = {
        f"petugas@{GENERATED_EMAIL_DOMAIN}": "Petugas Pendamping (data sintetis)",
        f"verifikator@{GENERATED_EMAIL_DOMAIN}": "Verifikator Dinas Koperasi (data sintetis)",
    }
    provinces = dict(Region.objects.filter(level=RegionLevel.PROVINCE).values_list("code", "name"))
    for code, name in provinces.items():
        wanted[f"provinsi-{code}@{GENERATED_EMAIL_DOMAIN}"] = f"Petugas Provinsi {name} (data sintetis)"
    existing = set(User.objects.filter(email__in=wanted).values_list("email", flat=True))
    new = []
    for email, name in wanted.items():
        if email not in existing:
            user = User(email=email, full_name=name)
            user.set_unusable_password()  # generated accounts cannot sign in until someone sets a password
            new.append(user)
    User.objects.bulk_create(new)
    ids = dict(User.objects.filter(email__in=wanted).values_list("email", "id"))
    officers = {code: ids[f"provinsi-{code}@{GENERATED_EMAIL_DOMAIN}"] for code in provinces}
    held = set(RoleAssignment.objects.filter(user_id__in=officers.values(), role=Role.PROVINCE_OFFICER)
               .values_list("user_id", "region_id"))
    RoleAssignment.objects.bulk_create([
        RoleAssignment(user_id=user_id, role=Role.PROVINCE_OFFICER, region_id=code)
        for code, user_id in officers.items() if (user_id, code) not in held
    ])
    return ids[f"petugas@{GENERATED_EMAIL_DOMAIN}"], ids[f"verifikator@{GENERATED_EMAIL_DOMAIN}"], officers


def _plan(context: _Context, villages, count: int) -> int:
    """Pick the villages, name the cooperatives and plan where each stands."""
    rng = context.rng("plans")
    all_villages = list(villages.only("code", "name", "kind").order_by("code"))
    chosen = sorted(rng.sample(all_villages, count), key=lambda village: village.code)
    names = cooperative_default_names(chosen)
    taken: set[str] = set()
    profile = Profile(reached_weights=NATIONAL_PROFILE_WEIGHTS,
                      start=timezone.make_aware(PROGRAMME_START, context.tz),
                      end=context.now - timedelta(hours=1), pending_share=0.3, rejected_share=0.25)
    first = _next_id(Cooperative)
    for index, village in enumerate(chosen):
        name = _unique_name(names[village.code], taken)
        plan = plan_cooperative(rng, village.code, profile, with_members=False)
        context.coops.append(_Coop(
            pk=first + index, index=index, village=village.code, village_kind=village.kind,
            province=village.code[:2], name=name, plan=plan,
            skip_stages=plan.formation_model != "baru" and rng.random() < 0.7,
        ))
    return count


def _unique_name(name: str, taken: set[str]) -> str:
    """The default name, or with " II", " III", … when it is still taken (names are unique ignoring case)."""
    candidate, number = name, 1
    while candidate.lower() in taken:
        number += 1
        candidate = f"{name}{ROMAN[number]}" if number < len(ROMAN) else f"{name} {number}"
    taken.add(candidate.lower())
    return candidate


def member_sizes(rng: random.Random, weights: list[float], total: int, *, floor: int) -> list[int]:
    """
    Split ``total`` members over cooperatives: each gets ``floor``, the rest in proportion to
    ``weights`` (largest remainders), so the sizes add up exactly.
    """
    extra = total - floor * len(weights)
    scale = extra / sum(weights)
    shares = [weight * scale for weight in weights]
    sizes = [int(share) for share in shares]
    left = extra - sum(sizes)
    by_remainder = sorted(range(len(weights)), key=lambda i: (sizes[i] - shares[i], rng.random()))
    for i in by_remainder[:left]:
        sizes[i] += 1
    return [floor + size for size in sizes]


def _assign_member_sizes(context: _Context, total: int) -> None:
    rng = context.rng("member-sizes")
    # Kelurahan (towns) have larger cooperatives; a gamma spread gives a long tail of big ones.
    weights = [rng.gammavariate(2.0, 1.0) * (1.6 if coop.village_kind == "kelurahan" else 1.0)
               for coop in context.coops]
    floor = min(MIN_BOARD_SIZE, total // len(context.coops))
    first = _next_id(Member)
    for coop, size in zip(context.coops, member_sizes(rng, weights, total, floor=floor), strict=True):
        coop.members, coop.first_member = size, first
        first += size


# SECTION: formation stages and cooperatives


LEGAL_COLUMNS = ("notary_name", "deed_number", "deed_date", "sk_ahu_number", "sk_ahu_date", "npwp", "nib",
                 "bank_name", "bank_account_number", "bank_account_name", "simkopdes_account", "operational_since")
_LEGAL_DATES = frozenset({"deed_date", "sk_ahu_date", "operational_since"})


def _stage_rows(context: _Context, coop: _Coop, rng: random.Random, next_pk: int) -> Iterator[tuple]:
    """Ten stage rows in workflow order; records on ``coop`` what verified stages copied onto it."""
    plan, legal, latest = coop.plan, {}, coop.plan.registered_at
    staff, verifier = str(context.staff_id), str(context.verifier_id)
    for index, stage in enumerate(context.stages):
        status, round_, data = "not_started", 0, {}
        submitted_at = submitted_by = reviewed_at = reviewed_by = completed_at = None
        rejection = not_applicable = ""
        if index < plan.reached:
            completed_at = reviewed_at = plan.completed_at[index]
            reviewed_by = verifier
            if coop.skip_stages and coop.plan.formation_model in stage.skippable_for:
                status, not_applicable = "not_applicable", "Koperasi lama sudah memilikinya"
            else:
                status, round_, submitted_by = "verified", 2 if rng.random() < 0.08 else 1, staff
                previous = plan.completed_at[index - 1] if index else plan.registered_at
                window = min((completed_at - previous).total_seconds(), 3 * 86400)
                submitted_at = completed_at - timedelta(seconds=rng.random() * window)
                held_on = max(context.local_date(previous), context.local_date(submitted_at)
                              - timedelta(days=rng.randint(0, 3)))
                data = {key: stage_field_value(key, number=coop.index + 1, name=coop.name,
                                               village_code=coop.village, held_on=held_on, rng=rng)
                        for key in stage.required_fields}
                legal.update({STAGE_FIELDS[key].cooperative_field: value for key, value in data.items()
                              if STAGE_FIELDS[key].cooperative_field})
        elif index == plan.reached and plan.pending:
            status, round_, submitted_by = plan.pending, 1, staff
            submitted_at = plan.pending_at
            data = {key: stage_field_value(key, number=coop.index + 1, name=coop.name, village_code=coop.village,
                                      held_on=context.local_date(submitted_at), rng=rng)
                    for key in stage.required_fields}
            if plan.pending == "rejected":
                reviewed_by, rejection = verifier, rng.choice(REJECTIONS)
                reviewed_at = min(context.now, submitted_at + timedelta(hours=rng.uniform(2, 72)))
        latest = max(latest, reviewed_at or submitted_at or latest)
        yield (
            str(next_pk + index), str(coop.pk), str(stage.pk), status, _text(json.dumps(data, ensure_ascii=False)),
            str(round_), _opt(submitted_at and submitted_at.isoformat()), submitted_by or "\\N",
            _opt(reviewed_at and reviewed_at.isoformat()), reviewed_by or "\\N", rejection, not_applicable,
            _opt(completed_at and completed_at.isoformat()), "f", "",
        )
    coop.legal = tuple(legal.get(column) for column in LEGAL_COLUMNS)
    coop.updated = latest.isoformat()  # the last stage event that changed the cooperative row
    coop.touch(context.local(latest))


def _write_stages(context: _Context) -> int:
    rng = context.rng("stages")
    first = _next_id(StageProgress)
    columns = ("id", "cooperative_id", "stage_id", "status", "data", "round", "submitted_at", "submitted_by_id",
               "reviewed_at", "reviewed_by_id", "rejection_reason", "not_applicable_reason", "completed_at",
               "from_archive", "archive_note")

    def rows():
        for coop in context.coops:
            yield from _stage_rows(context, coop, rng, first + coop.index * STAGE_COUNT)

    return _copy(StageProgress, columns, rows())


def _write_cooperatives(context: _Context) -> int:
    """The cooperatives, last: their legal identifiers come from the verified stages, their activity from all."""
    stage_ids = [str(stage.pk) for stage in context.stages]
    staff = str(context.staff_id)
    # Built by name and written in the model's column order, so a column the model drops is left out
    # and one it gains is caught by _check_columns.
    columns = tuple(f.column for f in Cooperative._meta.concrete_fields
                    if f.column in _COOPERATIVE_COLUMNS or f.column in LEGAL_COLUMNS)

    def rows():
        for coop in context.coops:
            plan = coop.plan
            reached_at = plan.completed_at[-1] if plan.reached else plan.registered_at
            kelurahan = coop.village_kind == "kelurahan"
            values = {
                "id": str(coop.pk), "name": _text(coop.name), "kind": "kkmp" if kelurahan else "kdmp",
                "formation_model": plan.formation_model,
                "address": _text(f"Balai {'Kelurahan' if kelurahan else 'Desa'} "
                                 f"{coop.name.split(' Merah Putih ', 1)[-1]}"),
                "latitude": "\\N", "longitude": "\\N", "phone": "", "email": "", "nomor_induk_koperasi": "",
                "stage_reached_at": reached_at.isoformat(),
                "formation_completed": "t" if plan.reached == STAGE_COUNT else "f",
                "last_activity_at": coop.activity + context.offset,
                "registered_by_id": staff, "created_at": plan.registered_at.isoformat(),
                "updated_at": coop.updated, "village_id": coop.village,
                "stage_reached_id": stage_ids[plan.reached - 1] if plan.reached else "\\N",
            }
            for column, value in zip(LEGAL_COLUMNS, coop.legal, strict=True):
                values[column] = _text(value) if value is not None else ("\\N" if column in _LEGAL_DATES else "")
            yield tuple(values[column] for column in columns)

    return _copy(Cooperative, columns, rows())


_COOPERATIVE_COLUMNS = frozenset({
    "id", "name", "kind", "formation_model", "address", "latitude", "longitude", "phone", "email",
    "nomor_induk_koperasi", "stage_reached_at", "formation_completed", "last_activity_at", "registered_by_id",
    "created_at", "updated_at", "village_id", "stage_reached_id",
})


def _write_seats(context: _Context) -> int:
    first = _next_id(CooperativeVillage)
    rows = ((str(first + coop.index), "t", str(coop.pk), coop.village) for coop in context.coops)
    return _copy(CooperativeVillage, ("id", "is_seat", "cooperative_id", "village_id"), rows)


# SECTION: business units


def _unit_details(context: _Context, coop: _Coop, rng: random.Random) -> Iterator[tuple]:
    """
    (code, status, milestones [(status, date)], day of the current status or None) for the seven units:
    nothing moves before the SK AHU, and every date lies between it and today.
    """
    plan = coop.plan
    legal_on = context.local_date(plan.completed_at[SK_AHU_INDEX]) if plan.reached > SK_AHU_INDEX else None
    operational_on = coop.legal[LEGAL_COLUMNS.index("operational_since")]
    for code, status, day in zip(UNIT_CODES, plan.unit_statuses, plan.unit_reached_on, strict=True):
        rank = READINESS.index(status) if status in READINESS else -1
        if legal_on is None or status == "rencana":
            yield code, status, [], None
            continue
        if code == "kantor" and status == "operasional" and operational_on:
            day = date.fromisoformat(operational_on) - timedelta(days=rng.randint(0, 14))
        if status == "tidak_dijalankan" or day is None:
            day = legal_on + timedelta(days=rng.randint(0, 60))
        day = min(max(day, legal_on), context.today)
        milestones, moment = [], day
        for level in range(rank, 0, -1):
            milestones.append((READINESS[level], moment))
            moment = max(legal_on, moment - timedelta(days=rng.randint(3, 40)))
        milestones.reverse()
        yield code, status, milestones, day


def _unit_rows(context: _Context, first_pk: int) -> Iterator[tuple[tuple, list]]:
    rng = context.rng("units")
    staff = str(context.staff_id)
    pk = first_pk
    for coop in context.coops:
        registered = coop.plan.registered_at.isoformat()
        for code, status, milestones, day in _unit_details(context, coop, rng):
            rank = READINESS.index(status) if status in READINESS else -1
            reached = dict(milestones)
            licensed = code in ("klinik", "apotek") and rank >= READINESS.index("izin")
            licence_on = reached.get("izin")
            if rank >= 1:
                land, building = 100, (100 if rank >= 2 else rng.choice((0, 10, 25, 40, 60, 80)))
            elif status == "rencana" and coop.reached > SK_AHU_INDEX:
                land, building = rng.choice((0, 0, 20, 50)), 0
            else:
                land = building = 0
            if day is not None:
                changed = context.stamp(day.isoformat(), rng.randint(8, 16), rng.randint(0, 59))
                coop.touch(changed)
                changed += context.offset
            else:
                changed = registered
            yield (
                str(pk), "", status,
                rng.choice(NOT_RUN_REASONS) if status == "tidak_dijalankan" else "",
                str(land), str(building),
                f"503/{coop.index + 1:05d}/SIP-{code.upper()}/{licence_on.year}" if licensed else "",
                licence_on.isoformat() if licensed else "\\N",
                day.isoformat() if status == "operasional" else "\\N",
                "", changed, str(coop.pk), staff, str(context.unit_types[code]),
            ), milestones
            pk += 1


UNIT_COLUMNS = ("id", "name", "status", "not_run_reason", "land_progress", "building_progress", "licence_number",
                "licence_date", "go_live_date", "notes", "status_changed_at", "cooperative_id", "updated_by_id",
                "unit_type_id")


def _write_units(context: _Context) -> int:
    context.first_unit = _next_id(Unit)
    return _copy(Unit, UNIT_COLUMNS, (row for row, _milestones in _unit_rows(context, context.first_unit)))


def _write_milestones(context: _Context) -> int:
    """Replays the unit stream (same seed) to write one milestone per readiness status reached."""
    first = _next_id(UnitMilestone)

    def rows():
        pk = first
        for row, milestones in _unit_rows(context, context.first_unit):
            for status, day in milestones:
                yield str(pk), status, day.isoformat(), row[0]
                pk += 1

    return _copy(UnitMilestone, ("id", "status", "reached_on", "unit_id"), rows())


# SECTION: members and boards


OCCUPATIONS = ("Petani", "Pedagang", "Nelayan", "Buruh", "Wiraswasta", "Guru", "Ibu rumah tangga", "Peternak")


def _birth_days() -> list[tuple[str, str, str]]:
    """Every birth date 1960–2004 as (DDMMYY for men, DDMMYY for women, ISO date); NIK digits 7–12."""
    days, day = [], date(1960, 1, 1)
    while day < date(2005, 1, 1):
        tail = f"{day.month:02d}{day.year % 100:02d}"
        days.append((f"{day.day:02d}{tail}", f"{day.day + 40:02d}{tail}", day.isoformat()))
        day += timedelta(days=1)
    return days


def _founding_date(context: _Context, coop: _Coop) -> date:
    plan = coop.plan
    if plan.reached > FOUNDING_INDEX:
        return context.local_date(plan.completed_at[FOUNDING_INDEX])
    if plan.reached == FOUNDING_INDEX and plan.pending_at:
        return context.local_date(plan.pending_at)
    return context.local_date(plan.registered_at)


def _member_rows(context: _Context) -> Iterator[tuple]:
    """
    Founders first (about eleven), then the kepala desa/lurah, then members who joined later.
    NIKs as ``sampledata.plans.synthetic_nik`` (kecamatan digits, birth date with day + 40 for women,
    sequence 0001–9999), the sequence running on from a random start within each cooperative so
    that NIKs are unique per cooperative.
    """
    rng = context.rng("members")
    births = _birth_days()
    given_names = [(given, given in FEMALE_GIVEN) for given in GIVEN_NAMES]
    by_sex = {female: [given for given, is_female in given_names if is_female == female] for female in (False, True)}
    staff = str(context.staff_id)
    today = context.today.toordinal()
    choice, randint, randrange, random_ = rng.choice, rng.randint, rng.randrange, rng.random
    now, offset = context.now_local, context.offset
    for coop in context.coops:
        prefix = coop.village[:8].replace(".", "")
        founded = _founding_date(context, coop)
        founded_iso, founded_ordinal = founded.isoformat(), founded.toordinal()
        founders = coop.founders = min(choice(FOUNDERS), coop.members - 1)
        sequence = randrange(9999)
        cooperative, village = str(coop.pk), coop.village
        for index in range(coop.members):
            given, female = choice(given_names)
            if index == founders:  # the kepala desa / lurah: ketua pengawas, not a founder
                female = random_() < 0.1
                given = choice(by_sex[female])
            men, women, born = choice(births)
            joined = founded_iso if index <= founders else date.fromordinal(randint(founded_ordinal, today)).isoformat()
            created = f"{joined} {randint(10, 16)}:{randint(10, 59)}:00"
            if created > now:
                created = now
            if created > coop.activity:
                coop.activity = created
            nik = f"{prefix}{women if female else men}{(sequence + index) % 9999 + 1:04d}"
            yield (
                str(coop.first_member + index), nik,
                f"{given} {choice(FAMILY_NAMES)}", "P" if female else "L", born, "",
                "kepala_desa" if index == founders else "", "t" if index < founders else "f", joined, "[]",
                created + offset, cooperative, staff, village,
                f"Dusun {randint(1, 6)}", f"{randint(1, 12):03d}", f"{randint(1, 6):03d}", choice(OCCUPATIONS),
                f"{index + 1:05d}", "aktif", "",
            )


# The member registry fields (address with RT/RW, occupation, member number, status), as the rows give them.
_MEMBER_REGISTRY_COLUMNS = ("address", "rt", "rw", "occupation", "member_number", "status", "status_reason")


def _write_members(context: _Context) -> int:
    columns = ("id", "nik", "name", "sex", "birth_date", "phone", "village_office", "is_founder", "joined_on",
               "nik_warnings", "created_at", "cooperative_id", "created_by_id", "domicile_id",
               *_MEMBER_REGISTRY_COLUMNS)
    return _copy(Member, columns, _member_rows(context))


def _write_positions(context: _Context) -> int:
    """A board once the founding meeting is held: five pengurus, two anggota pengawas, the kades as ketua pengawas."""
    first = _next_id(Position)

    def rows():
        pk = first
        for coop in context.coops:
            founders = coop.founders
            if not coop.has_board or founders < len(PENGURUS) + 2:
                continue
            started = _founding_date(context, coop).isoformat()
            board = [*((i, role) for i, role in enumerate(PENGURUS)),
                     (len(PENGURUS), "anggota_pengawas"), (len(PENGURUS) + 1, "anggota_pengawas"),
                     (founders, "ketua_pengawas")]
            for offset, role in board:
                yield str(pk), role, started, "\\N", str(coop.pk), str(coop.first_member + offset)
                pk += 1

    return _copy(Position, ("id", "role", "started_on", "ended_on", "cooperative_id", "member_id"), rows())


# SECTION: targets and visits


def _write_targets(context: _Context, region: str | None) -> int:
    """SK AHU by 30 June 2025 per kabupaten/kota; Musdesus by 31 May 2025 and gerai sembako per province."""
    stages = {stage.code: stage.pk for stage in context.stages}
    areas = Region.objects.filter(is_active=True, village_count__gt=0)
    if region:
        areas = areas.filter(code__startswith=region)
    regencies = list(areas.filter(level=RegionLevel.REGENCY).values_list("code", "name", "village_count"))
    provinces = list(areas.filter(level=RegionLevel.PROVINCE).values_list("code", "name", "village_count"))
    if region and not provinces:  # a subtree below a province: its national targets sit on the region itself
        provinces = list(Region.objects.filter(code=region).values_list("code", "name", "village_count"))
    admin = context.verifier_id
    start = date(2025, 3, 27)
    targets = [
        Target(region_id=code, title=f"SK AHU {name} (30 Juni 2025)", metric="stage",
               stage_id=stages["sk_ahu"], target_count=count, start_date=start, due_date=date(2025, 6, 30),
               created_by_id=admin)
        for code, name, count in regencies
    ]
    for code, name, count in provinces:
        targets.append(Target(region_id=code, title=f"Musdesus {name} (31 Mei 2025)", metric="stage",
                              stage_id=stages["musdesus"], target_count=count, start_date=start,
                              due_date=date(2025, 5, 31), created_by_id=admin))
        targets.append(Target(region_id=code, title=f"Gerai sembako beroperasi, {name}",
                              metric="unit_status", unit_type_id=context.unit_types["gerai_sembako"],
                              unit_status="operasional", target_count=count, start_date=date(2025, 7, 21),
                              due_date=date(context.today.year, 12, 31), created_by_id=admin))
    Target.objects.bulk_create(targets, batch_size=1000)
    return len(targets)


def _write_visits(context: _Context, count: int) -> int:
    """Visits over the last 90 days by each province's officer; about half set a follow-up, many done."""
    rng = context.rng("visits")
    first = _next_id(Visit)
    today = context.today

    def rows():
        for pk in range(first, first + count):
            coop = rng.choice(context.coops)
            visited = today - timedelta(days=rng.randint(0, 89))
            follow_up = done = None
            if rng.random() < 0.5:
                follow_up = visited + timedelta(days=rng.choice((7, 14, 14, 21, 30)))
                if follow_up <= today and rng.random() < 0.65:
                    done = context.stamp(follow_up.isoformat(), rng.randint(8, 17), rng.randint(0, 59))
                    coop.touch(done)  # marking the follow-up done updates the visit
                    done += context.offset
            created = context.stamp(visited.isoformat(), rng.randint(12, 20), rng.randint(0, 59))
            coop.touch(created)
            yield (
                str(pk), visited.isoformat(), rng.choice(VISIT_PARTICIPANTS), rng.choice(VISIT_TOPICS),
                rng.choice(VISIT_OUTCOMES), rng.choice(VISIT_NEXT_STEPS) if follow_up else "",
                _opt(follow_up and follow_up.isoformat()), done or "\\N", created + context.offset, str(coop.pk),
                str(context.officers[coop.province]), coop.village,
            )

    columns = ("id", "visited_on", "participants", "topic", "outcome", "next_step", "follow_up_on",
               "follow_up_done_at", "created_at", "cooperative_id", "officer_id", "village_id")
    return _copy(Visit, columns, rows())
