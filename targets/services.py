"""Setting targets and splitting them down the region tree."""

from datetime import date
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import formats
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from core.concurrency import locked
from core.concurrency import save_changed
from core.roles import Action
from core.scoping import require_scope
from core.services import require_known_fields
from core.versions import region_pages_renew_on_commit
from koperasi.models import FormationStage
from koperasi.stage_fields import KDKMP_EARLIEST
from notifications.models import NotificationKind
from notifications.services import in_each_language
from notifications.services import notify
from units.models import READINESS_ORDER
from units.models import UnitType
from wilayah.models import Region
from wilayah.models import RegionLevel

from .models import LandStep
from .models import Target
from .models import TargetMetric
from .selectors import target_rows

__all__ = ["target_can_split", "target_create", "target_delete", "target_split", "target_update",
           "targets_at_risk_notify"]


def _metric_fields(metric: str, stage_code: str | None, unit_type_code: str | None, unit_status: str,
                   land_step: str = "") -> dict:
    if metric == TargetMetric.LAND:
        if land_step not in LandStep.values:
            raise ValidationError({"land_step": [_("Choose the land step the target counts.")]})
        return {"stage": None, "unit_type": None, "unit_status": "", "land_step": land_step}
    if metric == TargetMetric.STAGE:
        stage = FormationStage.objects.filter(code=stage_code).first()
        if stage is None:
            raise ValidationError({"stage": [_("Choose the formation stage the target counts.")]})
        return {"stage": stage, "unit_type": None, "unit_status": ""}
    if metric == TargetMetric.UNIT_STATUS:
        unit_type = UnitType.objects.filter(code=unit_type_code).first()
        errors = {}
        if unit_type is None:
            errors["unit_type"] = [_("Choose the unit type the target counts.")]
        if unit_status not in READINESS_ORDER[1:]:
            errors["unit_status"] = [_("Choose the readiness status to reach (land available or later).")]
        if errors:
            raise ValidationError(errors)
        return {"stage": None, "unit_type": unit_type, "unit_status": unit_status}
    raise ValidationError({"metric": [_("Choose what the target measures.")]})


TARGET_SPAN_YEARS = 10  # a KDKMP target runs for months, at most a few years


def _check_dates(start_date: date, due_date: date) -> None:
    """Targets of the programme start in 2025 or later and end within ten years of their start."""
    errors = {}
    latest_start = date(timezone.localdate().year + TARGET_SPAN_YEARS, 12, 31)
    if not KDKMP_EARLIEST <= start_date <= latest_start:
        errors["start_date"] = [_("The start date must lie between %(earliest)s and %(latest)s.") % {
            "earliest": formats.date_format(KDKMP_EARLIEST), "latest": formats.date_format(latest_start)}]
    if due_date < start_date:
        errors["due_date"] = [_("The due date cannot be before the start date.")]
    elif due_date > start_date.replace(year=start_date.year + TARGET_SPAN_YEARS, day=min(start_date.day, 28)):
        errors["due_date"] = [_("The due date must lie within %(years)s years of the start date.")
                              % {"years": TARGET_SPAN_YEARS}]
    if errors:
        raise ValidationError(errors)


def _check_count(count: int, region: Region) -> None:
    """At least one, and no more than the desa/kelurahan of the region (one cooperative, one unit of a type each)."""
    if count < 1:
        raise ValidationError({"target_count": [_("The target must be at least 1.")]})
    if count > region.village_count:
        raise ValidationError({"target_count": [
            _("%(region)s has %(villages)s desa/kelurahan; the target cannot be more.")
            % {"region": region.name, "villages": region.village_count}]})


@transaction.atomic
def target_create(*, actor, region_code: str, metric: str, start_date: date, due_date: date,
                  stage_code: str | None = None, unit_type_code: str | None = None, unit_status: str = "",
                  target_count: int | None = None, title: str = "", notes: str = "", land_step: str = "") -> Target:
    """
    Set a target on a region. Without a count it is the number of desa/kelurahan in the region
    (every village to have its cooperative).
    """
    region = Region.objects.filter(code=region_code, is_active=True).first()
    if region is None:
        raise ValidationError({"region": [_("No active region has the code %(code)s.") % {"code": region_code}]})
    require_scope(actor, Action.MANAGE_TARGETS, region.code)
    fields = _metric_fields(metric, stage_code, unit_type_code, unit_status, land_step)
    _check_dates(start_date, due_date)
    count = target_count if target_count is not None else region.village_count
    _check_count(count, region)
    target = Target(region=region, metric=metric, target_count=count, start_date=start_date, due_date=due_date,
                    title=title.strip(), notes=notes.strip(), created_by=actor, **fields)
    target.full_clean()
    target._history_user = actor
    target.save()
    region_pages_renew_on_commit(region.code)  # the cached dashboards that list it are drawn again
    return target


@transaction.atomic
def target_update(*, actor, target: Target, **changes) -> Target:
    require_scope(actor, Action.MANAGE_TARGETS, target.region_id)
    allowed = {"target_count", "start_date", "due_date", "title", "notes"}
    require_known_fields(changes, allowed)
    target = locked(target)  # another officer's change to other fields is kept
    moved = {field for field in ("target_count", "start_date", "due_date")
             if field in changes and changes[field] != getattr(target, field)}
    parts = target.children.count()
    if moved and parts:
        # Its parts were shared out from these figures: changed alone, the parts would no longer add up to it.
        raise ValidationError({sorted(moved)[0]: [_(
            "This target is split into %(count)s parts: change the parts, or delete them and split it again.")
            % {"count": parts}]})
    for field, value in changes.items():
        setattr(target, field, value.strip() if isinstance(value, str) else value)
    _check_dates(target.start_date, target.due_date)
    _check_count(target.target_count, target.region)
    whole = target.parent
    if whole is not None and (target.due_date > whole.due_date or target.start_date < whole.start_date):
        raise ValidationError({"due_date": [_("A part of a target runs within its whole: %(start)s to %(due)s.") % {
            "start": formats.date_format(whole.start_date), "due": formats.date_format(whole.due_date)}]})
    target.full_clean()
    save_changed(target, changes, actor=actor)
    region_pages_renew_on_commit(target.region_id)
    return target


@transaction.atomic
def target_delete(*, actor, target: Target) -> None:
    require_scope(actor, Action.MANAGE_TARGETS, target.region_id)
    target._history_user = actor
    target.delete()
    region_pages_renew_on_commit(target.region_id)


def _allocate(total: int, weights: list[int]) -> list[int]:
    """Split ``total`` in proportion to ``weights`` (largest remainder), so the parts add up exactly."""
    weight_sum = sum(weights)
    if weight_sum == 0:
        return [0] * len(weights)
    exact = [total * w / weight_sum for w in weights]
    parts = [int(x) for x in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: exact[i] - parts[i], reverse=True)
    for i in by_remainder[: total - sum(parts)]:
        parts[i] += 1
    return parts


SPLITTABLE_LEVELS = (RegionLevel.PROVINCE, RegionLevel.REGENCY)


def target_can_split(target: Target) -> bool:
    """Province and kabupaten/kota targets split one level down; kecamatan targets are not split to villages."""
    return target.region.level in SPLITTABLE_LEVELS


@transaction.atomic
def target_split(*, actor, target: Target) -> list[Target]:
    """
    Split a province or kabupaten/kota target into one target per child region (kabupaten/kota or
    kecamatan), in proportion to their desa/kelurahan. Safe to repeat: children that already have
    their share are left as they are.
    """
    require_scope(actor, Action.MANAGE_TARGETS, target.region_id)
    if not target_can_split(target):
        raise ValidationError(_("Only province and kabupaten/kota targets are split (down to kecamatan)."))
    Target.objects.select_for_update().filter(pk=target.pk).first()  # two splits at once: the second waits
    children = list(Region.objects.filter(parent_id=target.region_id, is_active=True).order_by("code"))
    shares = _allocate(target.target_count, [child.village_count for child in children])
    existing = set(target.children.values_list("region_id", flat=True))
    parts = [
        Target(region=child, metric=target.metric, stage=target.stage, unit_type=target.unit_type,
               unit_status=target.unit_status, land_step=target.land_step, target_count=share,
               start_date=target.start_date, due_date=target.due_date, parent=target, created_by=actor)
        # No title of its own: the whole's ("248 koperasi in six months") would read as each part's count.
        for child, share in zip(children, shares, strict=True)
        if child.code not in existing and share
    ]
    region_pages_renew_on_commit(*(part.region_id for part in parts))
    return bulk_create_with_history(parts, Target, default_user=actor)


def targets_at_risk_notify(today: date | None = None) -> int:
    """
    The daily check: whoever set a target that has newly become at risk is told (once per slip; a target
    that recovers and slips again is told again). Repeatable on the same day. Returns how many were told.
    """
    today = today or timezone.localdate()
    targets = list(Target.objects.select_related("region", "stage", "unit_type", "created_by")
                   .filter(start_date__lte=today, due_date__gte=today - timedelta(days=1)))
    told, recovered = [], []
    for row in target_rows(targets, today=today):
        target, figures = row.target, row.figures
        if figures.at_risk and not target.at_risk_notified:
            notify(users=[target.created_by], kind=NotificationKind.TARGET_AT_RISK,
                   url=reverse("targets:detail", args=[target.pk]), dedup_key=f"target_at_risk:{target.pk}:{today}",
                   about=target.region_id,
                   params={"target": target.title or str(target.region.name), "region": target.region.name,
                           "due": in_each_language(lambda day=target.due_date: formats.date_format(day)),
                           "achieved": figures.achieved,
                           "count": figures.target, "days": settings.TARGET_RATE_WINDOW_DAYS})
            told.append(target.pk)
        elif not figures.at_risk and target.at_risk_notified:
            recovered.append(target.pk)
    Target.objects.filter(pk__in=told).update(at_risk_notified=True)
    Target.objects.filter(pk__in=recovered).update(at_risk_notified=False)
    return len(told)
