"""
Land and construction (pembangunan): the plots a cooperative offers for its gerai and warehouse, their
documents and photos, the construction projects built on them with their progress reports and handover, and
the monthly business reports of units once they operate.
"""

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.scoping import ScopedQuerySet
from core.storage import private_storage

__all__ = [
    "ConstructionProject",
    "Executor",
    "LandDocumentKind",
    "LandPlot",
    "LandPlotDocument",
    "LegalStatus",
    "OwnerKind",
    "PlotStatus",
    "ProgressReport",
    "SitePhoto",
    "UnitMonthlyReport",
]


class OwnerKind(models.TextChoices):
    TANAH_KAS_DESA = "tanah_kas_desa", _("Village land (tanah kas desa)")
    ASET_PEMDA = "aset_pemda", _("Regional government asset (aset pemda)")
    ASET_NEGARA = "aset_negara", _("State asset (BMN/BUMN)")
    HIBAH_WARGA = "hibah_warga", _("Grant from a resident (hibah warga)")
    SEWA = "sewa", _("Lease (sewa)")
    LAINNYA = "lainnya", _("Other")


class LegalStatus(models.TextChoices):
    SERTIFIKAT = "sertifikat", _("Certificate (SHM/HGB/HP)")
    GIRIK = "girik", _("Girik / letter C")
    SURAT_HIBAH = "surat_hibah", _("Letter of grant (surat hibah)")
    PERJANJIAN_SEWA = "perjanjian_sewa", _("Lease agreement")
    PERDES = "perdes", _("Village regulation (Perdes)")
    DALAM_PROSES = "dalam_proses", _("Being processed")


class LandDocumentKind(models.TextChoices):
    SERTIFIKAT = "sertifikat", _("Certificate")
    SURAT_HIBAH = "surat_hibah", _("Letter of grant")
    PERJANJIAN_SEWA = "perjanjian_sewa", _("Lease agreement")
    PERDES = "perdes", _("Perdes")
    BERITA_ACARA = "berita_acara", _("Survey report (berita acara)")
    LAINNYA = "lainnya", _("Other document")


class PlotStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    SURVEYED = "surveyed", _("Surveyed")
    VERIFIED = "verified", _("Verified by the Dinas")
    REJECTED = "rejected", _("Rejected")
    CONSTRUCTION = "construction", _("Under construction")
    HANDED_OVER = "handed_over", _("Handed over")


# The ladder a plot climbs; "rejected" stands beside it (a rejected plot can be surveyed again).
PLOT_LADDER = (PlotStatus.PROPOSED, PlotStatus.SURVEYED, PlotStatus.VERIFIED, PlotStatus.CONSTRUCTION,
               PlotStatus.HANDED_OVER)
# Statuses in which the Dinas has verified the plot.
VERIFIED_STATUSES = (PlotStatus.VERIFIED, PlotStatus.CONSTRUCTION, PlotStatus.HANDED_OVER)


class LandPlot(models.Model):
    """One candidate plot of one cooperative: where it is, whose it is, and how far it has come."""

    cooperative = models.ForeignKey(verbose_name=_("cooperative"), to="koperasi.Cooperative",
                                    on_delete=models.PROTECT, related_name="land_plots")
    village = models.ForeignKey(verbose_name=_("desa/kelurahan"), to="wilayah.Region", on_delete=models.PROTECT,
                                related_name="+", help_text=_("Where the plot lies."))
    name = models.CharField(verbose_name=_("name"), max_length=150,
                            help_text=_("How people call the plot, e.g. “Tanah kas desa, Dusun Krajan”."))
    address = models.TextField(verbose_name=_("address or directions"), blank=True)
    latitude = models.DecimalField(verbose_name=_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(verbose_name=_("longitude"), max_digits=9, decimal_places=6, null=True,
                                    blank=True)
    area_m2 = models.PositiveIntegerField(verbose_name=_("area (m²)"))
    owner_kind = models.CharField(verbose_name=_("owner"), max_length=20, choices=OwnerKind.choices)
    owner_name = models.CharField(verbose_name=_("owner's name"), max_length=150, blank=True)
    legal_status = models.CharField(verbose_name=_("legal status"), max_length=20, choices=LegalStatus.choices)
    legal_reference = models.CharField(verbose_name=_("certificate or letter number"), max_length=100, blank=True)
    unit_types = models.ManyToManyField(verbose_name=_("units it will host"), to="units.UnitType", blank=True,
                                        related_name="+")
    status = models.CharField(verbose_name=_("status"), max_length=20, choices=PlotStatus.choices,
                              default=PlotStatus.PROPOSED)
    surveyed_on = models.DateField(verbose_name=_("surveyed on"), null=True, blank=True)
    rejection_reason = models.TextField(verbose_name=_("reason for rejection"), blank=True)
    # The dates the plot reached each status: the roll-up rebuilds past days (snapshots) from them.
    verified_at = models.DateTimeField(verbose_name=_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(verbose_name=_("verified by"), to=settings.AUTH_USER_MODEL,
                                    on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    rejected_at = models.DateTimeField(verbose_name=_("rejected at"), null=True, blank=True)
    construction_at = models.DateTimeField(verbose_name=_("assigned to construction at"), null=True, blank=True)
    handed_over_at = models.DateTimeField(verbose_name=_("handed over at"), null=True, blank=True)
    recorded_by = models.ForeignKey(verbose_name=_("recorded by"), to=settings.AUTH_USER_MODEL,
                                    on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(verbose_name=_("recorded at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[unit_types])

    # Counted where the cooperative is seated, like every other figure of the cooperative.
    scope_path = "cooperative__village__code"

    class Meta:
        ordering = ["cooperative_id", "created_at"]
        verbose_name = _("land plot")
        verbose_name_plural = _("land plots")
        constraints = [
            models.CheckConstraint(condition=Q(area_m2__gt=0), name="pembangunan_plot_area_positive",
                                   violation_error_message=_("The area must be at least 1 m².")),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__gte=-11.5, latitude__lte=6.5, longitude__gte=94.5, longitude__lte=141.5),
                name="pembangunan_plot_in_indonesia",
                violation_error_message=_("The coordinates must be inside Indonesia."),
            ),
        ]
        indexes = [models.Index(fields=["status"], name="pembangunan_plot_status")]

    def __str__(self):
        return self.name

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None


def _upload_path(instance, filename: str) -> str:
    # Random names: nothing the uploader typed reaches the file system.
    return f"pembangunan/{instance.plot_id}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class LandPlotDocument(models.Model):
    """A legal document of a plot: PDF, JPG or PNG, checked by content, kept in private storage."""

    plot = models.ForeignKey(verbose_name=_("land plot"), to=LandPlot, on_delete=models.CASCADE,
                             related_name="documents")
    kind = models.CharField(verbose_name=_("document"), max_length=20, choices=LandDocumentKind.choices)
    file = models.FileField(verbose_name=_("file"), upload_to=_upload_path, storage=private_storage, max_length=200)
    original_name = models.CharField(verbose_name=_("original file name"), max_length=200)
    content_type = models.CharField(verbose_name=_("content type"), max_length=40)
    size = models.PositiveIntegerField(verbose_name=_("size (bytes)"))
    sha256 = models.CharField(verbose_name=_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(verbose_name=_("uploaded by"), to=settings.AUTH_USER_MODEL,
                                    on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(verbose_name=_("uploaded at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()

    scope_path = "plot__cooperative__village__code"
    audit_hidden_fields = ("file", "sha256", "content_type", "plot")

    class Meta:
        ordering = ["plot_id", "-uploaded_at"]
        verbose_name = _("land document")
        verbose_name_plural = _("land documents")

    def __str__(self):
        return self.original_name


class Executor(models.TextChoices):
    AGRINAS = "agrinas", _("PT Agrinas Pangan Nusantara")
    OTHER = "other", _("Other executor")


class ConstructionProject(models.Model):
    """Building the gerai, warehouse and their equipment on one plot, from contract to handover (serah terima)."""

    plot = models.ForeignKey(verbose_name=_("land plot"), to=LandPlot, on_delete=models.PROTECT,
                             related_name="projects")
    title = models.CharField(verbose_name=_("what is built"), max_length=150,
                             help_text=_("e.g. “Gerai and warehouse 20 × 30 m”."))
    executor = models.CharField(verbose_name=_("executor"), max_length=10, choices=Executor.choices,
                                default=Executor.AGRINAS)
    executor_name = models.CharField(verbose_name=_("executor's name"), max_length=150, blank=True,
                                     help_text=_("When the executor is not PT Agrinas."))
    contractor_name = models.CharField(verbose_name=_("contractor"), max_length=150, blank=True)
    building_area_m2 = models.PositiveIntegerField(verbose_name=_("floor area built (m²)"),
                                                   help_text=_("Gerai, warehouse and their annexes together."))
    contract_number = models.CharField(verbose_name=_("contract number"), max_length=100, blank=True)
    contract_value = models.PositiveBigIntegerField(verbose_name=_("contract value (Rp)"))
    contract_date = models.DateField(verbose_name=_("contract date"))
    planned_start = models.DateField(verbose_name=_("planned start"))
    planned_finish = models.DateField(verbose_name=_("planned finish"))
    bank_name = models.CharField(verbose_name=_("financing bank"), max_length=100, blank=True)
    loan_amount = models.PositiveBigIntegerField(verbose_name=_("loan amount (Rp)"), null=True, blank=True)
    loan_tenor_months = models.PositiveSmallIntegerField(verbose_name=_("loan tenor (months)"), null=True,
                                                         blank=True)
    # The latest published progress report's figures, kept in step by the services (lists and the map read them).
    progress_percent = models.PositiveSmallIntegerField(verbose_name=_("progress (%)"), default=0)
    progress_on = models.DateField(verbose_name=_("progress as of"), null=True, blank=True)
    handed_over_on = models.DateField(verbose_name=_("handover date"), null=True, blank=True)
    handover_file = models.FileField(verbose_name=_("handover document"), upload_to="pembangunan/serah-terima/",
                                     storage=private_storage, max_length=200, blank=True)
    handover_original_name = models.CharField(verbose_name=_("handover file name"), max_length=200, blank=True)
    handover_content_type = models.CharField(verbose_name=_("handover content type"), max_length=40, blank=True)
    created_by = models.ForeignKey(verbose_name=_("created by"), to=settings.AUTH_USER_MODEL,
                                   on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()

    scope_path = "plot__cooperative__village__code"
    audit_hidden_fields = ("handover_file", "handover_content_type")

    class Meta:
        ordering = ["plot_id", "created_at"]
        verbose_name = _("construction project")
        verbose_name_plural = _("construction projects")
        constraints = [
            models.CheckConstraint(condition=Q(planned_finish__gte=models.F("planned_start")),
                                   name="pembangunan_project_finish_after_start",
                                   violation_error_message=_("The planned finish cannot be before the start.")),
            models.CheckConstraint(condition=Q(building_area_m2__gt=0), name="pembangunan_project_area_positive",
                                   violation_error_message=_("The floor area must be at least 1 m².")),
            models.CheckConstraint(condition=Q(progress_percent__lte=100), name="pembangunan_project_percent",
                                   violation_error_message=_("Progress is a percentage from 0 to 100.")),
            models.CheckConstraint(condition=Q(loan_tenor_months__isnull=True) | Q(loan_tenor_months__lte=360),
                                   name="pembangunan_project_tenor",
                                   violation_error_message=_("A tenor is at most 360 months.")),
        ]

    def __str__(self):
        return self.title

    @property
    def is_handed_over(self) -> bool:
        return self.handed_over_on is not None

    @property
    def cost_per_m2(self) -> int:
        return self.contract_value // self.building_area_m2 if self.building_area_m2 else 0

    # private_file_response reads these three names.
    @property
    def file(self):
        return self.handover_file

    @property
    def original_name(self) -> str:
        return self.handover_original_name

    @property
    def content_type(self) -> str:
        return self.handover_content_type or "application/octet-stream"


class ProgressReport(models.Model):
    """
    Progress on one day. Percentages never go back (monotonic non-decreasing in date order). A report without
    a photo is a draft: it counts for nothing until a photo shows the site.
    """

    project = models.ForeignKey(verbose_name=_("construction project"), to=ConstructionProject,
                                on_delete=models.CASCADE, related_name="reports")
    reported_on = models.DateField(verbose_name=_("date"))
    percent = models.PositiveSmallIntegerField(verbose_name=_("physical progress (%)"))
    notes = models.TextField(verbose_name=_("notes"), blank=True)
    is_draft = models.BooleanField(verbose_name=_("draft (no photo yet)"), default=True)
    reported_by = models.ForeignKey(verbose_name=_("reported by"), to=settings.AUTH_USER_MODEL,
                                    on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(verbose_name=_("recorded at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()

    scope_path = "project__plot__cooperative__village__code"

    class Meta:
        ordering = ["project_id", "reported_on", "created_at"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        constraints = [
            models.CheckConstraint(condition=Q(percent__lte=100), name="pembangunan_report_percent",
                                   violation_error_message=_("Progress is a percentage from 0 to 100.")),
        ]

    def __str__(self):
        return f"{self.reported_on} {self.percent} %"


def _photo_path(instance, filename: str) -> str:
    return f"pembangunan/foto/{instance.plot_id}/{uuid.uuid4().hex}.jpg"


class SitePhoto(models.Model):
    """
    A photo of a plot or of a construction report, recompressed by the portal (JPEG, bounded size). Its location
    is kept only when the uploader allowed it.
    """

    plot = models.ForeignKey(verbose_name=_("land plot"), to=LandPlot, on_delete=models.CASCADE,
                             related_name="photos")
    report = models.ForeignKey(verbose_name=_("progress report"), to=ProgressReport, on_delete=models.CASCADE,
                               null=True, blank=True, related_name="photos")
    file = models.FileField(verbose_name=_("photo"), upload_to=_photo_path, storage=private_storage, max_length=200)
    width = models.PositiveIntegerField(verbose_name=_("width (px)"), default=0)
    height = models.PositiveIntegerField(verbose_name=_("height (px)"), default=0)
    size = models.PositiveIntegerField(verbose_name=_("size (bytes)"), default=0)
    original_name = models.CharField(verbose_name=_("original file name"), max_length=200)
    caption = models.CharField(verbose_name=_("caption"), max_length=200, blank=True)
    latitude = models.DecimalField(verbose_name=_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(verbose_name=_("longitude"), max_digits=9, decimal_places=6, null=True,
                                    blank=True)
    taken_at = models.DateTimeField(verbose_name=_("taken at"), null=True, blank=True)
    uploaded_by = models.ForeignKey(verbose_name=_("uploaded by"), to=settings.AUTH_USER_MODEL,
                                    on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(verbose_name=_("uploaded at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()

    scope_path = "plot__cooperative__village__code"
    audit_hidden_fields = ("file", "width", "height", "size")

    class Meta:
        ordering = ["plot_id", "uploaded_at"]
        verbose_name = _("site photo")
        verbose_name_plural = _("site photos")

    def __str__(self):
        return self.original_name

    @property
    def content_type(self) -> str:
        return "image/jpeg"

    @property
    def is_geotagged(self) -> bool:
        return self.latitude is not None


class UnitMonthlyReport(models.Model):
    """
    One month of an operating unit's business: revenue and costs in rupiah, and the figures natural to its type
    (``pembangunan.unit_figures``), filed after the month ends.
    """

    unit = models.ForeignKey(verbose_name=_("unit"), to="units.Unit", on_delete=models.CASCADE,
                             related_name="monthly_reports")
    month = models.DateField(verbose_name=_("month"), help_text=_("The first day of the month reported."))
    revenue = models.PositiveBigIntegerField(verbose_name=_("revenue (Rp)"))
    costs = models.PositiveBigIntegerField(verbose_name=_("costs (Rp)"))
    figures = models.JSONField(verbose_name=_("figures"), default=dict, blank=True)
    notes = models.TextField(verbose_name=_("notes"), blank=True)
    filed_at = models.DateTimeField(verbose_name=_("filed at"), auto_now_add=True)
    filed_by = models.ForeignKey(verbose_name=_("filed by"), to=settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                 null=True, blank=True, related_name="+")

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()

    scope_path = "unit__cooperative__village__code"

    class Meta:
        ordering = ["unit_id", "-month"]
        verbose_name = _("unit monthly report")
        verbose_name_plural = _("unit monthly reports")
        constraints = [
            models.UniqueConstraint(fields=["unit", "month"], name="pembangunan_unit_report_once",
                                    violation_error_message=_("This month is already reported for the unit.")),
            models.CheckConstraint(condition=Q(month__day=1), name="pembangunan_unit_report_first_day",
                                   violation_error_message=_("A month is recorded as its first day.")),
        ]
        indexes = [models.Index(fields=["month"], name="pembangunan_unit_report_month")]

    def __str__(self):
        return f"{self.unit_id} {self.month:%Y-%m}"

    @property
    def margin(self) -> int:
        return self.revenue - self.costs
