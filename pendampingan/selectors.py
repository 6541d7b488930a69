"""Reading visits: the officer's follow-ups that are due, and visit lists."""

from datetime import date

from django.utils import timezone

from core.roles import Action
from koperasi.models import Cooperative

from .filtersets import VisitFilterSet
from .models import Visit

__all__ = ["follow_ups_due", "visit_filter", "visit_section"]


def visit_filter(*, request, filters: dict | None = None) -> VisitFilterSet:
    """Visits in the user's area through the list filters; ``.qs`` the rows, ``.form.errors`` what was refused."""
    visits = Visit.objects.for_user(request.user, Action.VIEW).select_related("village__parent", "cooperative",
                                                                              "officer")
    return VisitFilterSet(filters or {}, visits, request=request)


def follow_ups_due(*, user, today: date | None = None, mine_only: bool = True):
    """Open follow-ups due today or earlier, oldest first: the officer's own, or everyone's in their area."""
    today = today or timezone.localdate()
    visits = (
        Visit.objects.for_user(user, Action.VIEW)
        .filter(follow_up_on__lte=today, follow_up_done_at__isnull=True)
        .select_related("village__parent", "cooperative", "officer")
        .order_by("follow_up_on", "created_at")
    )
    return visits.filter(officer=user) if mine_only else visits


def visit_section(cooperative: Cooperative) -> dict:
    """The latest assistance visits on the cooperative page."""
    return {"visits": list(cooperative.visits.select_related("officer").order_by("-visited_on", "-created_at")[:5])}
