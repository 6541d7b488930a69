"""The national benchmark generator (sampledata.national), run small: one kabupaten, 50 cooperatives, 2,000 members."""

import random
import re
from collections import Counter
from collections import defaultdict
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Max
from django.utils import timezone

from koperasi.models import Cooperative
from koperasi.models import CooperativeVillage
from koperasi.models import FormationStage
from koperasi.models import StageProgress
from members.models import Member
from members.models import Position
from pendampingan.models import Visit
from sampledata.national import GenerationRefused
from sampledata.national import generate_national
from sampledata.national import member_sizes
from targets.models import Target
from tests.conftest import PATI
from units.models import READINESS_ORDER
from units.models import Unit
from units.models import UnitMilestone
from wilayah.models import Region

COOPERATIVES, MEMBERS, VISITS = 50, 2_000, 300
COMPLETED = ("verified", "not_applicable")


def _generate(**options):
    defaults = {"cooperatives": COOPERATIVES, "members": MEMBERS, "visits": VISITS, "region": PATI, "seed": 7}
    return generate_national(**{**defaults, **options})


@pytest.fixture(params=[True, False], ids=["constraints-suspended", "constraints-kept"])
def generated(request, db):
    result = _generate(fast=request.param)
    assert any(table.table == "(indexes, foreign keys)" for table in result.tables) == request.param
    return result


def test_row_counts_and_shape(generated):
    assert Cooperative.objects.count() == COOPERATIVES
    assert StageProgress.objects.count() == COOPERATIVES * 10
    assert Unit.objects.count() == COOPERATIVES * 7
    assert Member.objects.count() == MEMBERS
    assert Visit.objects.count() == VISITS
    assert CooperativeVillage.objects.filter(is_seat=True).count() == COOPERATIVES
    assert generated.rows("members_member") == MEMBERS
    for cooperative in Cooperative.objects.all():
        assert cooperative.village_id.startswith(PATI + ".")
        assert cooperative.kind == ("kkmp" if cooperative.village.kind == "kelurahan" else "kdmp")
    assert set(Counter(StageProgress.objects.values_list("cooperative_id", flat=True)).values()) == {10}
    assert set(Counter(Unit.objects.values_list("cooperative_id", flat=True)).values()) == {7}
    names = [name.lower() for name in Cooperative.objects.values_list("name", flat=True)]
    assert len(names) == len(set(names))


def test_stage_reached_matches_the_stage_rows(generated):
    orders = dict(FormationStage.objects.values_list("pk", "order"))
    rows = defaultdict(list)
    for progress in StageProgress.objects.select_related("stage").order_by("cooperative_id", "stage__order"):
        rows[progress.cooperative_id].append(progress)
    for cooperative in Cooperative.objects.all():
        progress = rows[cooperative.pk]
        completed = [p for p in progress if p.status in COMPLETED]
        # Completed stages come first, in order, with increasing completion times.
        assert progress[: len(completed)] == completed
        assert all(p.completed_at for p in completed)
        assert [p.completed_at for p in completed] == sorted({p.completed_at for p in completed})
        reached = completed[-1] if completed else None
        assert cooperative.stage_reached_id == (reached.stage_id if reached else None)
        assert cooperative.stage_reached_at == (reached.completed_at if reached else cooperative.created_at)
        assert cooperative.formation_completed == (len(completed) == 10)
        assert (cooperative.operational_since is not None) == cooperative.formation_completed
        # At most the next stage is pending; everything after it is untouched.
        rest = progress[len(completed):]
        if rest:
            assert rest[0].status in ("not_started", "submitted", "rejected")
            assert all(p.status == "not_started" and p.round == 0 and p.submitted_at is None for p in rest[1:])
            if rest[0].status == "rejected":
                assert rest[0].rejection_reason and rest[0].reviewed_by_id
        for p in progress:
            if p.status == "not_applicable":
                assert cooperative.formation_model != "baru"
                assert cooperative.formation_model in p.stage.skippable_for
            if p.status == "verified":
                assert p.submitted_by_id and p.reviewed_by_id and p.submitted_at <= p.completed_at
                assert set(p.data) == set(p.stage.required_fields)
        sk_ahu = next(p for p in progress if p.stage.code == "sk_ahu")
        if sk_ahu.status == "verified":
            assert cooperative.sk_ahu_number == sk_ahu.data["sk_ahu_number"]
        assert orders[progress[0].stage_id] < orders[progress[-1].stage_id]


def test_units_follow_the_legal_entity(generated):
    legal = {
        p.cooperative_id: timezone.localtime(p.completed_at).date()
        for p in StageProgress.objects.filter(stage__code="sk_ahu", status__in=COMPLETED)
    }
    milestones = defaultdict(dict)
    for milestone in UnitMilestone.objects.all():
        milestones[milestone.unit_id][milestone.status] = milestone.reached_on
    today = timezone.localdate()
    for unit in Unit.objects.select_related("unit_type", "cooperative"):
        if unit.cooperative_id not in legal:
            assert unit.status == "rencana"
        if unit.cooperative.formation_completed and unit.unit_type.code == "kantor":
            assert unit.status == "operasional"
        if unit.unit_type.requires_licence and unit.status in ("izin", "operasional"):
            assert unit.licence_number and unit.licence_date
        assert (unit.status == "operasional") == (unit.go_live_date is not None)
        rank = READINESS_ORDER.index(unit.status) if unit.status in READINESS_ORDER else 0
        reached = milestones[unit.pk]
        assert list(reached) == list(READINESS_ORDER[1: rank + 1])
        assert list(reached.values()) == sorted(reached.values())
        assert all(legal[unit.cooperative_id] <= day <= today for day in reached.values())
        if unit.status == "operasional":
            assert reached["operasional"] == unit.go_live_date


def test_members_have_well_formed_niks_and_a_board(generated):
    sizes = Counter()
    by_cooperative = defaultdict(list)
    for member in Member.objects.select_related("cooperative"):
        sizes[member.cooperative_id] += 1
        by_cooperative[member.cooperative_id].append(member)
        nik = member.nik
        assert re.fullmatch(r"\d{16}", nik)
        assert nik[:6] == member.cooperative.village_id[:8].replace(".", "")
        assert member.domicile_id == member.cooperative.village_id
        day = int(nik[6:8])
        assert member.sex == ("P" if day > 40 else "L")
        assert member.birth_date.day == day - (40 if day > 40 else 0)
        assert nik[8:12] == member.birth_date.strftime("%m%y")
        assert nik[12:] != "0000"
        assert member.joined_on <= timezone.localdate()
    assert sum(sizes.values()) == MEMBERS
    assert len(sizes) == COOPERATIVES and min(sizes.values()) >= 10
    assert len(set(sizes.values())) > 1  # sizes vary
    for members in by_cooperative.values():
        assert len({m.nik for m in members}) == len(members)
        assert [m.village_office for m in members].count("kepala_desa") == 1
        assert 9 <= sum(m.is_founder for m in members) <= 13
    board_roles = {"ketua", "wakil_ketua_usaha", "wakil_ketua_keanggotaan", "sekretaris", "bendahara"}
    for cooperative in Cooperative.objects.filter(stage_reached__order__gte=30):
        positions = list(Position.objects.filter(cooperative=cooperative).select_related("member"))
        assert {p.role for p in positions} >= board_roles | {"ketua_pengawas"}
        assert all(p.member.cooperative_id == cooperative.pk for p in positions)
        chair = next(p for p in positions if p.role == "ketua_pengawas")
        assert chair.member.village_office == "kepala_desa"
        assert not any(p.member.village_office for p in positions if p.role in board_roles)


def test_targets_visits_and_activity(generated):
    pati = Region.objects.get(code=PATI)
    sk_ahu = Target.objects.get(region=pati, stage__code="sk_ahu")
    assert sk_ahu.target_count == pati.village_count and str(sk_ahu.due_date) == "2025-06-30"
    assert Target.objects.filter(stage__code="musdesus").exists()
    today = timezone.localdate()
    for visit in Visit.objects.select_related("cooperative"):
        assert visit.cooperative.village_id == visit.village_id
        assert today - timedelta(days=89) <= visit.visited_on <= today
        if visit.follow_up_done_at:
            assert visit.follow_up_on <= today
    now = timezone.now()
    for cooperative in Cooperative.objects.all():
        latest = max(
            Member.objects.filter(cooperative=cooperative).aggregate(at=Max("created_at"))["at"],
            Unit.objects.filter(cooperative=cooperative).aggregate(at=Max("status_changed_at"))["at"],
            StageProgress.objects.filter(cooperative=cooperative).aggregate(at=Max("reviewed_at"))["at"]
            or cooperative.created_at,
            *(v.follow_up_done_at or v.created_at for v in Visit.objects.filter(cooperative=cooperative)),
        )
        if hasattr(cooperative, "last_activity_at"):
            assert latest <= cooperative.last_activity_at <= now


def test_sequences_continue_after_the_generated_rows(generated):
    for model in (Cooperative, StageProgress, Unit, UnitMilestone, Member, Position, Visit, Target):
        table = model._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [table])
            assert cursor.fetchone()[0] > model.objects.aggregate(top=Max("id"))["top"]


@pytest.mark.django_db
def test_refuses_existing_data_unless_wiped_and_is_reproducible():
    _generate()
    first = list(Member.objects.order_by("id").values_list("cooperative__village_id", "nik", "name"))
    stages = list(Cooperative.objects.order_by("id").values_list("village_id", "stage_reached_id"))
    with pytest.raises(GenerationRefused, match="already exist"):
        _generate()
    _generate(wipe=True)
    assert list(Member.objects.order_by("id").values_list("cooperative__village_id", "nik", "name")) == first
    assert list(Cooperative.objects.order_by("id").values_list("village_id", "stage_reached_id")) == stages
    assert Cooperative.objects.count() == COOPERATIVES and Member.objects.count() == MEMBERS


@pytest.mark.django_db
def test_refuses_what_it_cannot_do(monkeypatch):
    with pytest.raises(GenerationRefused, match="No region"):
        _generate(region="99.99")
    with pytest.raises(GenerationRefused, match="only 406"):
        _generate(cooperatives=500)
    with pytest.raises(GenerationRefused, match="at least as many members"):
        _generate(members=10)
    monkeypatch.setattr(connection, "vendor", "sqlite")
    with pytest.raises(GenerationRefused, match="PostgreSQL"):
        _generate()


@pytest.mark.django_db
def test_command_prints_timings_and_counts():
    out = StringIO()
    call_command("generate_national", "--region", PATI, "--cooperatives", "20", "--members", "300", "--visits", "40",
                 stdout=out)
    text = out.getvalue()
    assert re.search(r"members_member\s+300 rows", text)
    assert re.search(r"koperasi_stageprogress\s+200\b", text)
    with pytest.raises(CommandError, match="--wipe"):
        call_command("generate_national", "--region", PATI, "--cooperatives", "20", stdout=StringIO())


def test_member_sizes_add_up_exactly():
    rng = random.Random(1)
    weights = [rng.gammavariate(2.0, 1.0) for _ in range(1000)]
    sizes = member_sizes(rng, weights, 60_123, floor=10)
    assert sum(sizes) == 60_123 and min(sizes) >= 10 and max(sizes) > 2 * min(sizes)
