"""The business units of a cooperative: the seven mandated ones plus local ones."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import BilingualNameMixin
from core.scoping import ScopedQuerySet

__all__ = ["READINESS_ORDER", "Unit", "UnitMilestone", "UnitStatus", "UnitType"]


class UnitType(BilingualNameMixin):
    """A kind of business unit. The seven mandated by Inpres 9/2025 are ``is_mandatory``."""

    code = models.SlugField(verbose_name=_("code"), max_length=40, unique=True)
    order = models.PositiveSmallIntegerField(verbose_name=_("order"), default=0)
    is_mandatory = models.BooleanField(verbose_name=_("mandated for every cooperative"), default=False)
    requires_licence = models.BooleanField(
        verbose_name=_("needs a licence"), default=False,
        help_text=_("Klinik and apotek need an operating licence before they can open."),
    )

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("unit type")
        verbose_name_plural = _("unit types")


class UnitStatus(models.TextChoices):
    RENCANA = "rencana", _("Planned")
    LAHAN_TERSEDIA = "lahan_tersedia", _("Land available")
    BANGUNAN = "bangunan", _("Building ready")
    IZIN = "izin", _("Licensed")
    OPERASIONAL = "operasional", _("Operational")
    TIDAK_DIJALANKAN = "tidak_dijalankan", _("Not run")


# The readiness ladder; "not run" stands outside it.
READINESS_ORDER = (
    UnitStatus.RENCANA,
    UnitStatus.LAHAN_TERSEDIA,
    UnitStatus.BANGUNAN,
    UnitStatus.IZIN,
    UnitStatus.OPERASIONAL,
)


class Unit(models.Model):
    """One business unit of one cooperative, with its readiness and go-live."""

    cooperative = models.ForeignKey(
        verbose_name=_("cooperative"), to="koperasi.Cooperative", on_delete=models.CASCADE, related_name="units"
    )
    unit_type = models.ForeignKey(
        verbose_name=_("unit type"), to=UnitType, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text=_("Empty for a local unit such as pariwisata."),
    )
    name = models.CharField(verbose_name=_("name"), max_length=120, blank=True)
    status = models.CharField(
        verbose_name=_("readiness"), max_length=20, choices=UnitStatus.choices, default=UnitStatus.RENCANA
    )
    not_run_reason = models.TextField(verbose_name=_("reason it is not run"), blank=True)
    land_progress = models.PositiveSmallIntegerField(verbose_name=_("land progress (%)"), default=0)
    building_progress = models.PositiveSmallIntegerField(verbose_name=_("building progress (%)"), default=0)
    licence_number = models.CharField(verbose_name=_("licence number"), max_length=100, blank=True)
    licence_date = models.DateField(verbose_name=_("licence date"), null=True, blank=True)
    go_live_date = models.DateField(verbose_name=_("go-live date"), null=True, blank=True)
    notes = models.TextField(verbose_name=_("notes"), blank=True)
    status_changed_at = models.DateTimeField(verbose_name=_("status changed at"), auto_now_add=True)
    updated_by = models.ForeignKey(
        verbose_name=_("updated by"), to=settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()

    scope_path = "cooperative__village__code"

    class Meta:
        ordering = ["cooperative_id", "unit_type__order", "name"]
        verbose_name = _("business unit")
        verbose_name_plural = _("business units")
        constraints = [
            models.UniqueConstraint(
                fields=["cooperative", "unit_type"], condition=Q(unit_type__isnull=False),
                name="units_unit_one_per_type",
                violation_error_message=_("The cooperative already has this unit."),
            ),
            models.CheckConstraint(
                condition=Q(land_progress__lte=100) & Q(building_progress__lte=100),
                name="units_unit_progress_percent",
                violation_error_message=_("Progress is a percentage from 0 to 100."),
            ),
        ]
        indexes = [models.Index(fields=["unit_type", "status"], name="units_unit_type_status")]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.unit_type.label if self.unit_type_id else self.name


class UnitMilestone(models.Model):
    """The date a unit first reached a readiness status; feeds unit targets and their run-rate."""

    unit = models.ForeignKey(verbose_name=_("unit"), to=Unit, on_delete=models.CASCADE, related_name="milestones")
    status = models.CharField(verbose_name=_("status"), max_length=20, choices=UnitStatus.choices)
    reached_on = models.DateField(verbose_name=_("reached on"))

    objects = ScopedQuerySet.as_manager()

    scope_path = "unit__cooperative__village__code"

    class Meta:
        ordering = ["unit_id", "reached_on"]
        verbose_name = _("unit milestone")
        verbose_name_plural = _("unit milestones")
        constraints = [models.UniqueConstraint(fields=["unit", "status"], name="units_milestone_unique")]
        indexes = [models.Index(fields=["status", "reached_on"], name="units_milestone_status_date")]

    def __str__(self):
        return f"{self.get_status_display()} {self.reached_on}"
