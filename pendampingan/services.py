"""Logging assistance visits and closing their follow-ups."""

from datetime import date
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import formats
from django.utils import timezone
from django.utils.translation import gettext as _

from core.changes import village_backdated
from core.changes import village_changed
from core.concurrency import locked
from core.concurrency import save_changed
from core.roles import Action
from core.scoping import require_scope
from core.services import has_hidden_characters
from core.services import require_known_fields
from koperasi.models import CooperativeVillage
from koperasi.services import cooperative_activity
from koperasi.stage_fields import KDKMP_EARLIEST
from notifications.models import NotificationKind
from notifications.services import in_each_language
from notifications.services import notify
from wilayah.services import active_village

from .models import Visit

__all__ = ["follow_ups_due_notify", "visit_follow_up_done", "visit_log", "visit_update"]

_EDITABLE = {"visited_on", "participants", "topic", "outcome", "next_step", "follow_up_on"}


def _validate(visit: Visit) -> None:
    errors = {}
    today = timezone.localdate()
    if visit.visited_on > today:
        errors["visited_on"] = [_("Log a visit once it has happened; the date is in the future.")]
    elif visit.visited_on < KDKMP_EARLIEST:
        errors["visited_on"] = [_("Assistance visits of the programme start in 2025; check the year.")]
    if visit.follow_up_on and visit.follow_up_on < visit.visited_on:
        errors["follow_up_on"] = [_("The follow-up cannot be before the visit.")]
    elif visit.follow_up_on and visit.follow_up_on > visit.visited_on + timedelta(days=366):
        errors["follow_up_on"] = [_("Plan the follow-up within a year of the visit.")]
    if not visit.topic.strip():
        errors["topic"] = [_("Say what the visit was about.")]
    for field in ("topic", "next_step"):
        if field not in errors and has_hidden_characters(" ".join(getattr(visit, field, "").split())):
            errors[field] = [_("This text contains a character that is not allowed.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def visit_log(*, actor, village_code: str, visited_on: date, topic: str, participants: str = "", outcome: str = "",
              next_step: str = "", follow_up_on: date | None = None) -> Visit:
    """Record a visit to a desa/kelurahan (and its cooperative, if it has one)."""
    village = active_village(village_code, field="village")
    require_scope(actor, Action.LOG_VISITS, village.code)
    link = CooperativeVillage.objects.filter(village=village).select_related("cooperative").first()
    visit = Visit(
        village=village, cooperative=link.cooperative if link else None, officer=actor, visited_on=visited_on,
        topic=topic.strip(), participants=participants.strip(), outcome=outcome.strip(), next_step=next_step.strip(),
        follow_up_on=follow_up_on,
    )
    _validate(visit)
    visit._history_user = actor
    visit.save()
    _record(visit)
    return visit


def _record(visit: Visit) -> None:
    """
    A visit counts as activity for the village's cooperative and moves the village's visit count; a visit logged
    after its day also changes the snapshots since then.
    """
    village_backdated(visit.village_id, visit.visited_on)
    if visit.cooperative_id:
        cooperative_activity(visit.cooperative_id, visit.village_id)
    else:
        village_changed(visit.village_id)


@transaction.atomic
def visit_update(*, actor, visit: Visit, **changes) -> Visit:
    require_scope(actor, Action.LOG_VISITS, visit.village_id)
    if visit.officer_id != actor.pk:  # a visit report is its officer's own account of the visit
        raise PermissionDenied(_("Only %(officer)s, who logged this visit, can change it.")
                               % {"officer": visit.officer})
    require_known_fields(changes, _EDITABLE)
    visit = locked(visit)  # another change to other fields is kept
    village_backdated(visit.village_id, visit.visited_on)  # a visit moved in time changes the days in between
    previous_follow_up = visit.follow_up_on
    for field, value in changes.items():
        setattr(visit, field, value.strip() if isinstance(value, str) else value)
    _validate(visit)
    if "follow_up_on" in changes and visit.follow_up_on and visit.follow_up_on != previous_follow_up \
            and visit.follow_up_done_at is not None:
        # A follow-up moved to a new day is open again: it would otherwise never come due nor be told.
        visit.follow_up_done_at = None
        changes = {**changes, "follow_up_done_at": None}
    save_changed(visit, changes, actor=actor)
    _record(visit)
    return visit


@transaction.atomic
def visit_follow_up_done(*, actor, visit: Visit) -> Visit:
    require_scope(actor, Action.LOG_VISITS, visit.village_id)
    if visit.officer_id != actor.pk:  # the follow-up is part of the officer's own report, as its other fields
        raise PermissionDenied(_("Only %(officer)s, who logged this visit, can close its follow-up.")
                               % {"officer": visit.officer})
    if visit.follow_up_on is None:
        raise ValidationError(_("This visit has no follow-up to close."))
    if visit.follow_up_done_at is None:
        visit.follow_up_done_at = timezone.now()
        visit._history_user = actor
        visit.save(update_fields=["follow_up_done_at"])
    return visit


def follow_ups_due_notify(today: date | None = None) -> int:
    """
    The morning job: each officer is told of their open follow-ups due today. Repeatable on the same day
    (one notification per visit and day). Returns how many were told.
    """
    today = today or timezone.localdate()
    due = (Visit.objects.filter(follow_up_on=today, follow_up_done_at__isnull=True, officer__is_active=True)
           .select_related("village", "officer"))
    told = 0
    for visit in due:
        told += len(notify(
            users=[visit.officer], kind=NotificationKind.FOLLOW_UP_DUE, url=reverse("pendampingan:list"),
            dedup_key=f"follow_up:{visit.pk}:{today.isoformat()}", about=visit.village_id,
            params={"village": visit.village.name,
                    "visited": in_each_language(lambda day=visit.visited_on: formats.date_format(day)),
                    "next_step": visit.next_step or visit.topic},
        ))
    return told
