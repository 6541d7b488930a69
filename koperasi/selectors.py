"""Read queries for cooperatives and their formation stages, always starting from the user's scope."""

from django.conf import settings
from django.db.models import BooleanField
from django.db.models import Case
from django.db.models import Value
from django.db.models import When

from core.roles import Action

from .extensions import cooperative_filterset_class
from .filtersets import CooperativeFilterSet
from .filtersets import ReviewQueueFilterSet
from .models import Cooperative
from .models import StageProgress
from .models import StageStatus

__all__ = ["cooperative_filter", "cooperative_stages", "review_queue", "stalled_cooperatives"]


def cooperative_filter(*, user, filters: dict | None = None) -> CooperativeFilterSet:
    """The user's cooperatives through the list filters; ``.qs`` the rows, ``.form.errors`` what was refused."""
    queryset = Cooperative.objects.for_user(user, Action.VIEW).select_related("village__parent", "stage_reached")
    return cooperative_filterset_class(CooperativeFilterSet)(filters or {}, queryset, user=user)


def cooperative_stages(cooperative: Cooperative) -> list[StageProgress]:
    return list(
        cooperative.stages.select_related("stage", "submitted_by", "reviewed_by").order_by("stage__order")
    )


def review_queue(*, user, filters: dict | None = None) -> ReviewQueueFilterSet:
    """
    Submitted stages in the user's verification scope: first those the user may act on, then those
    they submitted themselves (another officer must verify them); each oldest first. ``.qs`` the rows.
    """
    queryset = (
        StageProgress.objects.for_user(user, Action.VERIFY_STAGES)
        .filter(status=StageStatus.SUBMITTED)
        .select_related("cooperative__village__parent", "stage", "submitted_by")
        .annotate(own=Case(When(submitted_by=user, then=Value(True)), default=Value(False),
                           output_field=BooleanField()))
        .order_by("own", "submitted_at")
    )
    return ReviewQueueFilterSet(filters or {}, queryset, user=user)


def stalled_cooperatives(*, user, days: int | None = None):
    """Cooperatives in the user's scope with no stage completed for more than ``days`` days, longest first."""
    days = days if days is not None else settings.STALLED_AFTER_DAYS
    return (
        Cooperative.objects.for_user(user, Action.VIEW)
        .stalled(days=days)
        .select_related("village", "stage_reached")
        .order_by("stage_reached_at")
    )
