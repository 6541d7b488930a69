"""Reading targets with their computed figures, and the cooperatives that stall."""

from dataclasses import dataclass
from datetime import date
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from accounts.roles import Action
from core.scoping import Scope
from koperasi.models import COMPLETED_STATUSES
from koperasi.models import Cooperative
from koperasi.models import StageProgress
from units.models import READINESS_ORDER
from units.models import Unit
from units.models import UnitMilestone

from .filtersets import TargetFilterSet
from .models import Target
from .models import TargetMetric
from .progress import TargetFigures
from .progress import target_figures

__all__ = ["TargetWithFigures", "stalled_cooperatives", "target_achieved", "target_list", "target_with_figures"]


@dataclass(frozen=True)
class TargetWithFigures:
    target: Target
    figures: TargetFigures


def target_list(*, user, filters: dict | None = None):
    queryset = Target.objects.for_user(user, Action.VIEW).select_related("region", "stage", "unit_type", "parent")
    return TargetFilterSet(filters or {}, queryset).qs


def target_achieved(target: Target, on: date | None = None) -> int:
    """How many cooperatives (or units) in the target's region had reached it by the end of ``on``."""
    area = Scope.of([target.region_id])
    if target.metric == TargetMetric.STAGE:
        rows = StageProgress.objects.within(area).filter(stage_id=target.stage_id, status__in=COMPLETED_STATUSES)
        return rows.filter(completed_at__date__lte=on).count() if on else rows.count()
    if on is None:
        reached = READINESS_ORDER[READINESS_ORDER.index(target.unit_status):]
        return Unit.objects.within(area).filter(unit_type_id=target.unit_type_id, status__in=reached).count()
    return (
        UnitMilestone.objects.within(area)
        .filter(unit__unit_type_id=target.unit_type_id, status=target.unit_status, reached_on__lte=on)
        .count()
    )


def target_with_figures(target: Target, today: date | None = None) -> TargetWithFigures:
    today = today or timezone.localdate()
    window = settings.TARGET_RATE_WINDOW_DAYS
    figures = target_figures(
        target=target.target_count,
        achieved=target_achieved(target),
        achieved_window_start=target_achieved(target, today - timedelta(days=window)),
        due_date=target.due_date,
        today=today,
        window_days=window,
    )
    return TargetWithFigures(target, figures)


def stalled_cooperatives(*, user, days: int | None = None):
    """Cooperatives in the user's scope with no stage completed for more than ``days`` days, longest first."""
    days = days if days is not None else settings.STALLED_AFTER_DAYS
    return (
        Cooperative.objects.for_user(user, Action.VIEW)
        .stalled(days=days)
        .select_related("village", "stage_reached")
        .order_by("stage_reached_at")
    )
