"""An independent, plain-Python aggregation of the base tables: what the roll-up must equal."""

from collections import Counter
from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from koperasi.models import Cooperative
from koperasi.models import FormationStage
from members.models import Member
from pendampingan.models import Visit
from reports.metrics import METRIC_COLUMNS
from simpanan.models import Bill
from simpanan.models import Posting
from units.models import Unit
from wilayah.models import Region

MANDATED = ("kantor", "gerai_sembako", "simpan_pinjam", "klinik", "apotek", "pergudangan", "logistik")


def _areas(code: str) -> list[str]:
    return [code, code[:8], code[:5], code[:2], "ID"]


def _savings_from_the_ledger() -> dict[int, Counter]:
    """Each cooperative's savings summed posting by posting, and its arrears bill by bill."""
    savings: dict[int, Counter] = defaultdict(Counter)
    for posting in Posting.objects.all():
        savings[posting.cooperative_id][f"savings_{posting.kind}"] += posting.amount
    for bill in Bill.objects.filter(kind="wajib"):
        savings[bill.cooperative_id]["savings_arrears"] += bill.amount - sum(
            bill.postings.values_list("amount", flat=True))
    return savings


def live_counts() -> dict[str, dict[str, int]]:
    """Counts per region code (villages, their ancestors and the nation), computed object by object."""
    now = timezone.now()
    ranks = {pk: rank for rank, pk in enumerate(FormationStage.objects.order_by("order").values_list("id", flat=True),
                                                start=1)}
    members = Counter(Member.objects.values_list("cooperative_id", flat=True))
    units = defaultdict(list)
    for unit in Unit.objects.select_related("unit_type"):
        units[unit.cooperative_id].append(unit)
    counts: dict[str, Counter] = defaultdict(Counter)
    savings = _savings_from_the_ledger()
    for cooperative in Cooperative.objects.all():
        row = Counter({"cooperatives": 1, f"kind_{cooperative.kind}": 1,
                       f"model_{cooperative.formation_model}": 1,
                       f"stage_{ranks.get(cooperative.stage_reached_id, 0)}": 1,
                       "members": members[cooperative.pk]})
        operational = 0
        for unit in units[cooperative.pk]:
            if unit.unit_type_id is None:
                row["units_local"] += 1
                continue
            row[f"unit_{unit.unit_type.code}_{unit.status}"] += 1
            operational += unit.unit_type.code in MANDATED and unit.status == "operasional"
        row[f"ops_{operational}"] += 1
        stalled_before = now - timedelta(days=settings.STALLED_AFTER_DAYS)
        row["stalled"] = int(not cooperative.formation_completed and cooperative.stage_reached_at < stalled_before)
        row["awaiting_review"] = cooperative.stages.filter(status="submitted").count()
        row.update(savings[cooperative.pk])
        # Each completed stage on its own, whatever the order; the SIMKOPDES account from the field or the stage.
        done = {ranks[pk] for pk in cooperative.stages.filter(status__in=["verified", "not_applicable"])
                .values_list("stage_id", flat=True)}
        row.update({f"stage_done_{rank}": 1 for rank in done})
        row["simkopdes_account"] = int(bool(cooperative.simkopdes_account) or cooperative.stages.filter(
            stage__code="simkopdes", status__in=["verified", "not_applicable"]).exists())
        for area in _areas(cooperative.village_id):
            counts[area].update(row)
        # A joint cooperative covers all its villages; its seat too (also without a link row).
        for village in {cooperative.village_id, *cooperative.villages.values_list("village_id", flat=True)}:
            kind = Region.objects.get(code=village).kind
            for area in _areas(village):
                counts[area].update({"villages_covered": 1, "kelurahan_covered": int(kind == "kelurahan")})
    since = timezone.localdate() - timedelta(days=30)
    for village in Visit.objects.filter(visited_on__gt=since).values_list("village_id", flat=True):
        for area in _areas(village):
            counts[area]["visits_30d"] += 1
    _add_land(counts)
    return {code: {name: row.get(name, 0) for name in METRIC_COLUMNS} for code, row in counts.items()}


def _add_land(counts: dict[str, Counter]) -> None:
    """Land plots by status, counted at their cooperative's seat."""
    from pembangunan.models import LandPlot

    for status, seat in LandPlot.objects.values_list("status", "cooperative__village_id"):
        row = Counter({"land_plots": int(status != "rejected"),
                       "land_verified": int(status in ("verified", "construction", "handed_over")),
                       "land_construction": int(status == "construction"),
                       "land_handed_over": int(status == "handed_over")})
        for area in _areas(seat):
            counts[area].update(row)


def stored_counts() -> dict[str, dict[str, int]]:
    """The roll-up rows, without the all-zero ones (a region whose last cooperative left keeps a zero row)."""
    from reports.models import RegionRollup

    rows = {row.code: row.metrics() for row in RegionRollup.objects.all()}
    return {code: metrics for code, metrics in rows.items() if any(metrics.values())}


def nonzero(counts: dict) -> dict:
    return {code: metrics for code, metrics in counts.items() if any(metrics.values())}
