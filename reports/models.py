"""Roll-up tables: current counts per region, daily snapshots, the roll-up's state, and export jobs."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.scoping import ScopedQuerySet
from core.storage import private_storage

from .extensions import export_table
from .metrics import BIG_METRIC_COLUMNS
from .metrics import METRIC_COLUMNS

__all__ = [
    "DocumentSequence", "ExportJob", "FederationRollup", "Letterhead", "RegionRollup", "RegionSnapshot", "RollupState",
    "SnapshotDay",
]


class RollupLevel(models.TextChoices):
    NATION = "nation", _("Nation")
    PROVINCE = "province", _("Province")
    REGENCY = "regency", _("Kabupaten/kota")
    DISTRICT = "district", _("Kecamatan")
    VILLAGE = "village", _("Desa/kelurahan")


class RegionRollupBase(models.Model):
    """The counts of one region's subtree: one integer column per entry of METRIC_COLUMNS. Code ``ID`` is the nation."""

    code = models.CharField(verbose_name=_("region code"), max_length=13)
    level = models.CharField(verbose_name=_("level"), max_length=10, choices=RollupLevel.choices)

    objects = ScopedQuerySet.as_manager()

    scope_path = "code"

    class Meta:
        abstract = True

    def metrics(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in METRIC_COLUMNS}


# The metric columns are generated from their single definition rather than typed out 72 times.
for _name in METRIC_COLUMNS:
    RegionRollupBase.add_to_class(_name, (models.BigIntegerField if _name in BIG_METRIC_COLUMNS
                                          else models.IntegerField)(default=0))


class RegionRollup(RegionRollupBase):
    """
    Current counts. Kept fresh within seconds by the incremental refresh of changed villages, and
    rebuilt nightly (and on demand) by the set-based full reconcile. Written only by raw SQL in
    reports.services; never edited by hand, so it carries no audit history.
    """

    updated_at = models.DateTimeField(verbose_name=_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("region roll-up")
        verbose_name_plural = _("region roll-ups")
        constraints = [models.UniqueConstraint(fields=["code"], name="reports_regionrollup_code_unique")]
        indexes = [models.Index(fields=["level"], name="reports_rollup_level")]

    def __str__(self):
        return self.code


class FederationRollup(models.Model):
    """
    The counts of a federation's member villages (as they are today: member villages and the seats of member
    cooperatives), i.e. the sum of their village rows. Refreshed when a member village's row changes or the
    membership changes, and rebuilt by the nightly reconcile (which also catches members whose joining or leaving
    date has come without any write). Written only by reports.federations.
    """

    federation = models.OneToOneField(verbose_name=_("federation"), to="bumdes.Federation", on_delete=models.CASCADE,
                                      related_name="+")
    villages = models.IntegerField(verbose_name=_("member villages"), default=0)
    updated_at = models.DateTimeField(verbose_name=_("updated at"), auto_now=True)

    objects = ScopedQuerySet.as_manager()

    scope_path = "federation__seat__code"
    scope_member_villages = False  # a federation's seat: see core.scoping
    scope_federation_path = "federation_id"

    class Meta:
        verbose_name = _("federation roll-up")
        verbose_name_plural = _("federation roll-ups")

    def __str__(self):
        return str(self.federation_id)

    def metrics(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in METRIC_COLUMNS}


for _name in METRIC_COLUMNS:
    FederationRollup.add_to_class(_name, (models.BigIntegerField if _name in BIG_METRIC_COLUMNS
                                          else models.IntegerField)(default=0))


class RegionSnapshot(RegionRollupBase):
    """The counts as they stood at the end of a day, for nation down to kecamatan: time series without recomputing."""

    day = models.DateField(verbose_name=_("day"))

    class Meta:
        verbose_name = _("region snapshot")
        verbose_name_plural = _("region snapshots")
        constraints = [models.UniqueConstraint(fields=["day", "code"], name="reports_regionsnapshot_day_code")]
        indexes = [models.Index(fields=["code", "day"], name="reports_snapshot_code_day")]

    def __str__(self):
        return f"{self.day} {self.code}"


class SnapshotDay(models.Model):
    """A day whose snapshot was taken: a region without a row that day had nothing to count (zeros)."""

    day = models.DateField(verbose_name=_("day"), primary_key=True)
    taken_at = models.DateTimeField(verbose_name=_("taken at"), auto_now=True)

    class Meta:
        verbose_name = _("snapshot day")
        verbose_name_plural = _("snapshot days")

    def __str__(self):
        return str(self.day)


class RollupState(models.Model):
    """When the roll-up was last rebuilt in full and last refreshed incrementally (a single row)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    reconciled_at = models.DateTimeField(verbose_name=_("last full reconcile"), null=True, blank=True)
    reconcile_seconds = models.FloatField(verbose_name=_("duration of the last full reconcile (s)"), null=True)
    refreshed_at = models.DateTimeField(verbose_name=_("last incremental refresh"), null=True, blank=True)

    class Meta:
        verbose_name = _("roll-up state")

    def __str__(self):
        return str(self.reconciled_at)

    @property
    def as_of(self):
        times = [t for t in (self.reconciled_at, self.refreshed_at) if t]
        return max(times) if times else None


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


EXPORT_KIND_LABELS = {
    "children": _("Table by area"),
    "units": _("Seven-unit readiness"),
    "stages": _("Formation stage reached"),
    "not_updated": _("Not updated"),
    "report": _("Progress report"),
    "federation_report": _("Federation progress report"),
    "cooperatives": _("Cooperatives"),
    "queue": _("Verification queue"),
    "federation_members": _("Federation members"),
}


def export_kind_label(kind: str) -> str:
    """What an export is called (its sheet title too): reports' own tables, or one another app registered."""
    registered = export_table(kind)
    return str(EXPORT_KIND_LABELS.get(kind) or (registered.label if registered else kind))


class ExportJob(models.Model):
    """An export built in the background (large tables, PDF reports), downloadable by whoever asked for it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(verbose_name=_("requested by"), to=settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="exports")
    kind = models.CharField(verbose_name=_("report"), max_length=40)
    fmt = models.CharField(verbose_name=_("format"), max_length=8)
    region_code = models.CharField(verbose_name=_("region"), max_length=13)
    params = models.JSONField(verbose_name=_("parameters"), default=dict, blank=True)
    status = models.CharField(verbose_name=_("status"), max_length=8, choices=ExportStatus.choices,
                              default=ExportStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(verbose_name=_("progress (%)"), default=0)
    file = models.FileField(verbose_name=_("file"), upload_to="exports/", storage=private_storage, blank=True)
    filename = models.CharField(verbose_name=_("file name"), max_length=200, blank=True)
    error = models.TextField(verbose_name=_("error"), blank=True)
    document_number = models.CharField(verbose_name=_("document number"), max_length=60, blank=True)
    created_at = models.DateTimeField(verbose_name=_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(verbose_name=_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        constraints = [
            models.UniqueConstraint(fields=["document_number"], condition=~models.Q(document_number=""),
                                    name="reports_exportjob_document_number_unique"),
        ]

    def __str__(self):
        return f"{self.kind}.{self.fmt} {self.region_code}"

    @property
    def kind_label(self) -> str:
        return export_kind_label(self.kind)


def _logo_path(instance, filename: str) -> str:
    return f"letterheads/{instance.region_id}/{uuid.uuid4().hex}{filename[filename.rfind('.'):].lower()}"


class Letterhead(models.Model):
    """
    The kop surat of a region's office on its official reports: the office's name (e.g. "Dinas Koperasi
    dan UKM Kabupaten Pati"), address, the place written before the date, and an optional logo. A report
    uses the letterhead of its region, else of the nearest region above it.
    """

    region = models.OneToOneField(
        verbose_name=_("region"), to="wilayah.Region", on_delete=models.PROTECT, related_name="+",
    )
    office_name = models.CharField(verbose_name=_("office name"), max_length=200)
    address = models.CharField(verbose_name=_("address"), max_length=300, blank=True)
    place = models.CharField(verbose_name=_("place"), max_length=100,
                             help_text=_("Written before the date under the report, e.g. Pati."))
    logo = models.ImageField(verbose_name=_("logo"), upload_to=_logo_path, storage=private_storage, blank=True)
    updated_by = models.ForeignKey(
        verbose_name=_("updated by"), to=settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(verbose_name=_("updated at"), auto_now=True)

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()

    scope_path = "region__code"
    audit_hidden_fields = ("logo",)

    class Meta:
        verbose_name = _("letterhead")
        verbose_name_plural = _("letterheads")

    def __str__(self):
        return self.office_name


class DocumentSequence(models.Model):
    """The last number given in one register (e.g. the progress reports of Kabupaten Pati in 2026)."""

    key = models.CharField(verbose_name=_("register"), max_length=60, unique=True)
    last = models.PositiveIntegerField(verbose_name=_("last number"), default=0)

    class Meta:
        verbose_name = _("document sequence")
        verbose_name_plural = _("document sequences")

    def __str__(self):
        return f"{self.key}: {self.last}"
