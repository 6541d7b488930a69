"""Reading targets, what their regions had achieved on a past day, and the cooperatives that stall."""

from datetime import date

from django.conf import settings

from accounts.roles import Action
from core.scoping import Scope
from koperasi.models import COMPLETED_STATUSES
from koperasi.models import Cooperative
from koperasi.models import StageProgress
from units.models import UnitMilestone

from .filtersets import TargetFilterSet
from .models import Target
from .models import TargetMetric

__all__ = ["stalled_cooperatives", "target_achieved", "target_list"]


def target_list(*, user, filters: dict | None = None):
    queryset = Target.objects.for_user(user, Action.VIEW).select_related("region", "stage", "unit_type", "parent")
    return TargetFilterSet(filters or {}, queryset).qs


def target_achieved(target: Target, on: date) -> int:
    """
    How many cooperatives (or units) in the target's region had reached it by the end of ``on``,
    counted from the base tables' dated records. Pages read the roll-up instead (reports.selectors.
    target_rows); this counts what no snapshot holds.
    """
    area = Scope.of([target.region_id])
    if target.metric == TargetMetric.STAGE:
        return (StageProgress.objects.within(area)
                .filter(stage_id=target.stage_id, status__in=COMPLETED_STATUSES, completed_at__date__lte=on).count())
    return (
        UnitMilestone.objects.within(area)
        .filter(unit__unit_type_id=target.unit_type_id, status=target.unit_status, reached_on__lte=on)
        .count()
    )


def stalled_cooperatives(*, user, days: int | None = None):
    """Cooperatives in the user's scope with no stage completed for more than ``days`` days, longest first."""
    days = days if days is not None else settings.STALLED_AFTER_DAYS
    return (
        Cooperative.objects.for_user(user, Action.VIEW)
        .stalled(days=days)
        .select_related("village", "stage_reached")
        .order_by("stage_reached_at")
    )
