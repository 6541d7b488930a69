"""
What each persona's home page shows to start the day, read through the user's scope like every page:

* an officer of a kabupaten/kota or kecamatan: what awaits their verification, targets at risk, their
  follow-ups, the desa/kelurahan with no cooperative yet, and stalled cooperatives;
* village staff: their cooperative's next step and anything sent back;
* national and province users: the summary figures and the areas furthest behind.
"""

from dataclasses import dataclass
from dataclasses import field

from django.db.models import Exists
from django.db.models import OuterRef
from django.utils import timezone

from core.roles import Action
from core.scoping import scope_for
from koperasi.models import Cooperative
from koperasi.models import CooperativeVillage
from koperasi.models import StageStatus
from koperasi.selectors import review_queue
from koperasi.selectors import stalled_cooperatives
from pendampingan.selectors import follow_ups_due
from reports.selectors import AreaRow
from reports.selectors import dashboard
from targets.models import Target
from targets.selectors import TargetRow
from targets.selectors import target_rows
from wilayah.models import Region
from wilayah.models import RegionLevel

__all__ = ["OfficerDay", "VillageDay", "officer_day", "overview", "unregistered_villages", "village_day"]

SHOWN = 5
TARGETS_CHECKED = 200  # the nearest-due targets of the area are checked for risk on the home page


@dataclass
class OfficerDay:
    queue_count: int = 0
    queue_oldest_days: int | None = None
    queue: list = field(default_factory=list)
    own_waiting: int = 0
    targets_at_risk: list[TargetRow] = field(default_factory=list)
    follow_ups_today: int = 0
    follow_ups_overdue: int = 0
    follow_ups: list = field(default_factory=list)
    unregistered_count: int = 0
    unregistered: list[Region] = field(default_factory=list)
    stalled_count: int = 0
    stalled: list = field(default_factory=list)
    can_verify: bool = False
    can_register: bool = False
    can_visit: bool = False


def unregistered_villages(*, user):
    """Active desa/kelurahan in the user's area that no cooperative covers yet ("belum terdaftar")."""
    # NOT EXISTS among the covered villages of the same area: NOT IN hashed all 82,780 of the nation's for a
    # kabupaten's few hundred (a kabupaten officer's home page spent ~60 ms of database time on this card; now ~1 ms,
    # a province's ~25 ms).
    covered = CooperativeVillage.objects.filter(scope_for(user, Action.VIEW).q("village__code"),
                                                village_id=OuterRef("code"))
    return (Region.objects.for_user(user, Action.VIEW).filter(level=RegionLevel.VILLAGE, is_active=True)
            .filter(~Exists(covered)).select_related("parent").order_by("code"))


def officer_day(*, user) -> OfficerDay:
    day = OfficerDay(
        can_verify=not scope_for(user, Action.VERIFY_STAGES).is_empty,
        can_register=not scope_for(user, Action.EDIT_COOPERATIVE).is_empty,
        can_visit=not scope_for(user, Action.LOG_VISITS).is_empty,
    )
    if day.can_verify:
        queue = review_queue(user=user).qs
        actionable = queue.filter(own=False)
        day.queue_count = actionable.count()
        day.own_waiting = queue.filter(own=True).count()
        day.queue = list(actionable[:SHOWN])
        if day.queue:
            day.queue_oldest_days = day.queue[0].waiting_days
    targets = list(Target.objects.for_user(user).select_related("region", "stage", "unit_type")
                   .filter(due_date__gte=timezone.localdate()).order_by("due_date")[:TARGETS_CHECKED])
    day.targets_at_risk = [row for row in target_rows(targets) if row.figures.at_risk]
    if day.can_visit:
        today = timezone.localdate()
        due = follow_ups_due(user=user, today=today)
        day.follow_ups_today = due.filter(follow_up_on=today).count()
        day.follow_ups_overdue = due.filter(follow_up_on__lt=today).count()
        day.follow_ups = list(due[:SHOWN])
    unregistered = unregistered_villages(user=user)
    day.unregistered_count = unregistered.count()
    day.unregistered = list(unregistered[:SHOWN * 2])
    stalled = stalled_cooperatives(user=user)
    day.stalled_count = stalled.count()
    day.stalled = list(stalled[:SHOWN])
    return day


@dataclass
class VillageDay:
    village: Region
    cooperative: Cooperative | None = None
    next_stage: object = None
    sent_back: list = field(default_factory=list)
    can_register: bool = False


def village_day(*, user, village: Region) -> VillageDay:
    cooperative = (Cooperative.objects.for_user(user).filter(villages__village_id=village.code)
                   .select_related("stage_reached").first())
    day = VillageDay(village=village, cooperative=cooperative,
                     can_register=scope_for(user, Action.EDIT_COOPERATIVE).contains(village.code))
    if cooperative:
        stages = list(cooperative.stages.select_related("stage", "reviewed_by").order_by("stage__order"))
        day.next_stage = next((progress for progress in stages if not progress.is_completed), None)
        day.sent_back = [progress for progress in stages if progress.status == StageStatus.REJECTED]
    return day


def overview(*, user) -> tuple[AreaRow, list[AreaRow]]:
    """The user's whole area from the roll-up, and its parts furthest behind (fewest with a cooperative)."""
    scope = scope_for(user)
    single = next(iter(scope.roots)) if not scope.everything and len(scope.roots) == 1 else None
    board = dashboard(user=user, code=single)
    worst = sorted(board.children, key=lambda row: (row.registered_percent, row.legal_entity_percent, row.code))
    return board.area, worst[:SHOWN]
