"""Business units: the seven mandated ones are created with the cooperative; local ones may be added."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from core.changes import village_backdated
from core.roles import Action
from core.scoping import require_scope
from core.services import is_explained
from core.services import require_known_fields
from koperasi.services import cooperative_activity
from koperasi.stage_fields import EXISTING_COOPERATIVE_EARLIEST
from koperasi.stage_fields import date_in_bounds

from .models import READINESS_ORDER
from .models import Unit
from .models import UnitMilestone
from .models import UnitStatus
from .models import UnitType

__all__ = ["unit_add_local", "unit_update", "units_create_mandatory"]

_EDITABLE = {"status", "not_run_reason", "land_progress", "building_progress", "licence_number", "licence_date",
             "go_live_date", "notes", "name"}


def units_create_mandatory(*, cooperative, actor) -> list[Unit]:
    """The seven units every KDKMP runs, all at "planned". Called when the cooperative is registered."""
    units = [
        Unit(cooperative=cooperative, unit_type=unit_type, updated_by=actor)
        for unit_type in UnitType.objects.filter(is_mandatory=True)
    ]
    return bulk_create_with_history(units, Unit, default_user=actor)


@transaction.atomic
def unit_add_local(*, actor, cooperative, name: str, notes: str = "") -> Unit:
    """A unit beyond the mandated seven, e.g. pariwisata (as in Kab. Blitar)."""
    require_scope(actor, Action.EDIT_COOPERATIVE, cooperative.village_id)
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": _("Name the unit, e.g. Pariwisata.")})
    if cooperative.units.filter(unit_type__isnull=True, name__iexact=name).exists():
        raise ValidationError({"name": _("The cooperative already has a unit with this name.")})
    unit = Unit(cooperative=cooperative, name=name, notes=notes, updated_by=actor)
    unit._history_user = actor
    unit.save()
    cooperative_activity(cooperative.pk, cooperative.village_id)
    return unit


def _rank(status: str) -> int:
    return READINESS_ORDER.index(status) if status in READINESS_ORDER else -1


# A planned go-live date (the units are built over the programme's years): further ahead is a typing error.
PLANNED_GO_LIVE_YEARS = 5


def _validate(unit: Unit, today: date) -> None:
    errors = {}
    if unit.status == UnitStatus.TIDAK_DIJALANKAN and not is_explained(unit.not_run_reason):
        errors["not_run_reason"] = [_("Explain why the unit is not run (at least 5 characters).")]
    licensed = _rank(unit.status) >= _rank(UnitStatus.IZIN)
    if licensed and unit.unit_type_id and unit.unit_type.requires_licence:
        if not unit.licence_number.strip():
            errors["licence_number"] = [_("A %(unit)s needs its licence number before it is licensed or open.")
                                        % {"unit": unit.unit_type.label}]
        if not unit.licence_date:
            errors["licence_date"] = [_("Give the date the licence was issued.")]
    if unit.licence_date and unit.licence_date > today:
        errors["licence_date"] = [_("The licence date cannot be in the future.")]
    if unit.status == UnitStatus.OPERASIONAL:
        if not unit.go_live_date:
            errors["go_live_date"] = [_("Give the date the unit started operating.")]
        elif unit.go_live_date > today:
            errors["go_live_date"] = [_("An operational unit cannot go live in the future; keep the earlier status.")]

    for field in ("licence_date", "go_live_date"):
        value = getattr(unit, field)
        # An existing cooperative's unit may have run for decades, but not since before the republic: a typo.
        if value and value < EXISTING_COOPERATIVE_EARLIEST:
            try:
                date_in_bounds(value, EXISTING_COOPERATIVE_EARLIEST)
            except ValidationError as error:
                errors[field] = error.messages
    for field in ("land_progress", "building_progress"):
        value = getattr(unit, field)
        if value is None or not 0 <= int(value) <= 100:
            errors[field] = [_("Progress is a percentage from 0 to 100.")]
    if errors:
        raise ValidationError(errors)


def _sync_milestones(unit: Unit, today: date) -> date | None:
    """
    Keep one milestone per readiness status at or below the current one, dated when first reached (going live on
    its go-live date). Returns the earliest day whose counts changed (a milestone added or removed), if any.
    One read, then only the writes a change needs: every save of a unit comes here, most with nothing to do.
    """
    kept_statuses = set(READINESS_ORDER[: _rank(unit.status) + 1])
    stored = list(UnitMilestone.objects.filter(unit=unit).values_list("pk", "status", "reached_on"))
    above = [(pk, reached_on) for pk, status, reached_on in stored if status not in kept_statuses]
    if above:
        UnitMilestone.objects.filter(pk__in=[pk for pk, _day in above]).delete()
    reached = {status for _pk, status, _day in stored}
    new = [UnitMilestone(unit=unit, status=status,
                         reached_on=unit.go_live_date if status == UnitStatus.OPERASIONAL and unit.go_live_date
                         else today)
           for status in READINESS_ORDER[1:] if status in kept_statuses and status not in reached]
    if new:
        UnitMilestone.objects.bulk_create(new)
    changed = [day for _pk, day in above if day] + [milestone.reached_on for milestone in new]
    return min(changed) if changed else None


@transaction.atomic
def unit_update(*, actor, unit: Unit, **changes) -> Unit:
    """
    Update a unit's readiness (planned → land → building → licensed → operational, or not run with
    a reason), progress, licence and go-live. Klinik and apotek need a licence before they are
    licensed or open; an operational unit needs its go-live date.
    """
    unit = Unit.objects.select_for_update(of=("self",)).select_related("unit_type", "cooperative").get(pk=unit.pk)
    require_scope(actor, Action.EDIT_COOPERATIVE, unit.cooperative.village_id)
    require_known_fields(changes, _EDITABLE)
    if not changes:  # nothing asked: no save, no history entry, the version (ETag) stays
        return unit
    planned = changes.get("go_live_date")
    if planned and changes.get("status", unit.status) != UnitStatus.OPERASIONAL \
            and planned > timezone.localdate().replace(day=1, year=timezone.localdate().year + PLANNED_GO_LIVE_YEARS):
        # Checked when typed, not on every later save: a unit stored with such a date keeps taking its notes.
        raise ValidationError({"go_live_date": [_("A planned go-live date at most %(years)s years ahead; check the "
                                                  "year.") % {"years": PLANNED_GO_LIVE_YEARS}]})
    if "name" in changes and unit.unit_type_id:
        raise ValidationError({"name": _("A mandated unit keeps its standard name.")})
    if "status" in changes and changes["status"] not in UnitStatus.values:
        raise ValidationError({"status": _("Choose a valid readiness status.")})
    previous_status = unit.status
    for field, value in changes.items():
        setattr(unit, field, value.strip() if isinstance(value, str) and field != "status" else value)
    if unit.status != UnitStatus.TIDAK_DIJALANKAN:
        unit.not_run_reason = ""
    today = timezone.localdate()
    _validate(unit, today)
    if unit.status != previous_status:
        unit.status_changed_at = timezone.now()
    unit.updated_by = actor
    unit._history_user = actor
    unit.save()
    earliest = _sync_milestones(unit, today)
    cooperative_activity(unit.cooperative_id, unit.cooperative.village_id)
    village_backdated(unit.cooperative.village_id, earliest)  # went live before today: past snapshots change
    return unit
