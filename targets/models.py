"""Targets with deadlines, set on a region for a formation stage or a unit readiness status."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.scoping import ScopedQuerySet
from units.models import UnitStatus

__all__ = ["LandStep", "Target", "TargetMetric"]


class TargetMetric(models.TextChoices):
    STAGE = "stage", _("Cooperatives that completed a formation stage")
    UNIT_STATUS = "unit_status", _("Business units that reached a readiness status")
    LAND = "land", _("Land plots that reached a step (land and construction)")


class LandStep(models.TextChoices):
    """A step of the land ladder counted cumulatively: a handed-over plot has also been recorded, verified, built."""

    RECORDED = "recorded", _("Plots recorded")
    VERIFIED = "verified", _("Plots verified by the Dinas")
    CONSTRUCTION = "construction", _("Construction started")
    HANDED_OVER = "handed_over", _("Sites handed over")


class Target(models.Model):
    """
    "N cooperatives at stage X in region R by date D" (or N units of type T at status S). Targets can
    be split down the tree; each child keeps a link to the target it came from.
    """

    region = models.ForeignKey(verbose_name=_("region"), to="wilayah.Region", on_delete=models.PROTECT,
                               related_name="+")
    title = models.CharField(verbose_name=_("title"), max_length=200, blank=True)
    metric = models.CharField(verbose_name=_("measure"), max_length=12, choices=TargetMetric.choices)
    stage = models.ForeignKey(
        verbose_name=_("stage"), to="koperasi.FormationStage", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    unit_type = models.ForeignKey(
        verbose_name=_("unit type"), to="units.UnitType", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    unit_status = models.CharField(
        verbose_name=_("unit status"), max_length=20, blank=True,
        choices=[(value, label) for value, label in UnitStatus.choices if value != UnitStatus.TIDAK_DIJALANKAN],
    )
    land_step = models.CharField(verbose_name=_("land step"), max_length=20, blank=True, choices=LandStep.choices)
    target_count = models.PositiveIntegerField(verbose_name=_("target"))
    start_date = models.DateField(verbose_name=_("start date"))
    due_date = models.DateField(verbose_name=_("due date"))
    parent = models.ForeignKey(
        verbose_name=_("split from"), to="self", on_delete=models.CASCADE, null=True, blank=True,
        related_name="children",
    )
    notes = models.TextField(verbose_name=_("notes"), blank=True)
    created_by = models.ForeignKey(
        verbose_name=_("set by"), to=settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(verbose_name=_("set at"), auto_now_add=True)
    at_risk_notified = models.BooleanField(
        verbose_name=_("owner told it is at risk"), default=False,
        help_text=_("Set when the daily check tells whoever set the target that it is at risk; cleared when it "
                    "recovers, so that a new slip is told again."),
    )

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()

    scope_path = "region__code"

    class Meta:
        ordering = ["due_date", "region_id"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.CheckConstraint(
                condition=(Q(metric="stage") & Q(stage__isnull=False) & Q(unit_type__isnull=True) & Q(unit_status="")
                           & Q(land_step=""))
                | (Q(metric="unit_status") & Q(stage__isnull=True) & Q(unit_type__isnull=False) & ~Q(unit_status="")
                   & Q(land_step=""))
                | (Q(metric="land") & Q(stage__isnull=True) & Q(unit_type__isnull=True) & Q(unit_status="")
                   & ~Q(land_step="")),
                name="targets_target_metric_fields",
                violation_error_message=_("A stage target names a stage; a unit target names a unit type and status; "
                                          "a land target names a step."),
            ),
            models.CheckConstraint(
                condition=Q(due_date__gte=models.F("start_date")), name="targets_target_due_after_start",
                violation_error_message=_("The due date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(target_count__gt=0), name="targets_target_count_positive",
                violation_error_message=_("The target must be at least 1."),
            ),
            models.UniqueConstraint(
                fields=["parent", "region"], condition=Q(parent__isnull=False), name="targets_target_split_once",
                violation_error_message=_("This target was already split to that region."),
            ),
        ]

    def __str__(self):
        return self.title or f"{self.region.name}: {self.target_count}"
