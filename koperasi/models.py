"""Cooperatives (KDMP/KKMP), their villages, and the stage-gated formation workflow."""

import contextlib
import functools
import uuid
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import formats
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField
from simple_history.models import HistoricalRecords

from core.models import BilingualNameMixin
from core.models import in_active_language
from core.scoping import ScopedQuerySet
from core.storage import private_storage

from .stage_fields import STAGE_FIELDS

__all__ = [
    "REDATED_REASON",
    "Cooperative",
    "CooperativeKind",
    "CooperativeVillage",
    "DocumentType",
    "FormationModel",
    "FormationStage",
    "StageDocument",
    "StageProgress",
    "StageStatus",
]


class FormationModel(models.TextChoices):
    BARU = "baru", _("New cooperative (pendirian baru)")
    PENGEMBANGAN = "pengembangan", _("Development of an existing cooperative (pengembangan)")
    REVITALISASI = "revitalisasi", _("Revitalisation (revitalisasi)")


class CooperativeKind(models.TextChoices):
    KDMP = "kdmp", _("KDMP — Koperasi Desa Merah Putih")
    KKMP = "kkmp", _("KKMP — Koperasi Kelurahan Merah Putih")


class DocumentType(BilingualNameMixin):
    """A kind of document a stage can require, e.g. the berita acara of the Musdesus."""

    code = models.SlugField(verbose_name=_("code"), max_length=60, unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("document type")
        verbose_name_plural = _("document types")


class FormationStage(BilingualNameMixin):
    """
    One step of the formation workflow, configured as data: its order, the documents and fields a
    submission needs, the formation models for which it may be marked not applicable, and whether the law
    lets it be completed in any order once the ordered steps before it are done (``any_order``).
    """

    code = models.SlugField(verbose_name=_("code"), max_length=40, unique=True)
    order = models.PositiveSmallIntegerField(verbose_name=_("order"), unique=True)
    description = models.TextField(verbose_name=_("guidance (Indonesian)"), blank=True)
    description_en = models.TextField(verbose_name=_("guidance (English)"), blank=True)
    required_documents = models.ManyToManyField(
        verbose_name=_("required documents"), to=DocumentType, blank=True, related_name="stages"
    )
    required_fields = models.JSONField(
        verbose_name=_("required fields"), default=list, blank=True,
        help_text=_("Keys of koperasi.stage_fields.STAGE_FIELDS a submission must fill."),
    )
    skippable_for = models.JSONField(
        verbose_name=_("may be not applicable for"), default=list, blank=True,
        help_text=_("Formation models for which an officer may mark this stage not applicable."),
    )
    any_order = models.BooleanField(
        verbose_name=_("may be completed in any order"), default=False,
        help_text=_("Needs only the earlier stages that must be taken in order (e.g. NIB, NPWP, bank account and "
                    "SIMKOPDES once the SK AHU exists); later ordered stages still need it."),
    )

    class Meta:
        ordering = ["order"]
        verbose_name = _("formation stage")
        verbose_name_plural = _("formation stages")

    @property
    def guidance(self) -> str:
        return in_active_language(self.description, self.description_en)


class CooperativeQuerySet(ScopedQuerySet):
    def stalled(self, *, days: int, now=None):
        """
        Formation not complete, not operating (no "operational since" date) and no stage completed, by its event
        date, for more than ``days`` days. A cooperative brought in from history that already serves its members
        is not stalled, however old its last stage.
        """
        now = now or timezone.now()
        return self.filter(formation_completed=False, operational_since__isnull=True,
                           stage_reached_at__lt=now - timezone.timedelta(days=days))


class Cooperative(models.Model):
    """
    A Koperasi Desa/Kelurahan Merah Putih. It has one seat (primary village), which decides its
    type (KDMP for a desa, KKMP for a kelurahan) and its place in every scope and roll-up; a joint
    cooperative of small villages lists the others in ``villages``.
    """

    name = models.CharField(verbose_name=_("name"), max_length=200)
    kind = models.CharField(verbose_name=_("type"), max_length=4, choices=CooperativeKind.choices, editable=False)
    formation_model = models.CharField(
        verbose_name=_("formation model"), max_length=12, choices=FormationModel.choices, default=FormationModel.BARU
    )
    village = models.OneToOneField(
        verbose_name=_("seat (desa/kelurahan)"), to="wilayah.Region", on_delete=models.PROTECT, related_name="+"
    )
    address = models.TextField(verbose_name=_("address"), blank=True)
    latitude = models.DecimalField(verbose_name=_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(verbose_name=_("longitude"), max_digits=9, decimal_places=6, null=True,
                                    blank=True)
    phone = PhoneNumberField(verbose_name=_("phone"), region="ID", blank=True)
    email = models.EmailField(verbose_name=_("e-mail"), blank=True)

    # Legal identifiers, filled from verified stages or edited by officers.
    notary_name = models.CharField(verbose_name=_("notary"), max_length=150, blank=True)
    deed_number = models.CharField(verbose_name=_("deed number"), max_length=60, blank=True)
    deed_date = models.DateField(verbose_name=_("deed date"), null=True, blank=True)
    sk_ahu_number = models.CharField(verbose_name=_("SK AHU number"), max_length=60, blank=True)
    sk_ahu_date = models.DateField(verbose_name=_("SK AHU date"), null=True, blank=True)
    npwp = models.CharField(verbose_name=_("NPWP"), max_length=16, blank=True)
    nib = models.CharField(verbose_name=_("NIB"), max_length=13, blank=True)
    nomor_induk_koperasi = models.CharField(verbose_name=_("Nomor Induk Koperasi"), max_length=20, blank=True)
    bank_name = models.CharField(verbose_name=_("bank"), max_length=100, blank=True)
    bank_account_number = models.CharField(verbose_name=_("bank account number"), max_length=20, blank=True)
    bank_account_name = models.CharField(verbose_name=_("bank account holder"), max_length=200, blank=True)
    simkopdes_account = models.CharField(verbose_name=_("SIMKOPDES account"), max_length=100, blank=True)
    operational_since = models.DateField(verbose_name=_("operational since"), null=True, blank=True)

    # Formation progress, kept in step with StageProgress by the services.
    stage_reached = models.ForeignKey(
        verbose_name=_("stage reached"), to=FormationStage, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", help_text=_("The last stage completed, all earlier ones being completed too."),
    )
    stage_reached_at = models.DateTimeField(verbose_name=_("stage reached at"), default=timezone.now)
    formation_completed = models.BooleanField(verbose_name=_("formation completed"), default=False)

    last_activity_at = models.DateTimeField(
        verbose_name=_("last activity"), default=timezone.now,
        help_text=_("The last change to the cooperative, its stages, units or members, or a visit to it."),
    )
    registered_by = models.ForeignKey(
        verbose_name=_("registered by"), to=settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
        blank=True, related_name="+",
    )
    created_at = models.DateTimeField(verbose_name=_("registered at"), auto_now_add=True)
    updated_at = models.DateTimeField(verbose_name=_("updated at"), auto_now=True)

    objects = CooperativeQuerySet.as_manager()
    # Timestamps that move on every touch would only add noise to the audit trail.
    history = HistoricalRecords(excluded_fields=["last_activity_at", "updated_at"])

    scope_path = "village__code"

    class Meta:
        ordering = ["village_id"]
        verbose_name = _("cooperative")
        verbose_name_plural = _("cooperatives")
        constraints = [
            models.UniqueConstraint(
                Lower("name"), name="koperasi_cooperative_name_unique",
                violation_error_message=_("Another cooperative already has this name."),
            ),
            models.UniqueConstraint(
                fields=["sk_ahu_number"], condition=~Q(sk_ahu_number=""), name="koperasi_cooperative_sk_ahu_unique",
                violation_error_message=_("Another cooperative already has this SK AHU number."),
            ),
            models.UniqueConstraint(
                fields=["npwp"], condition=~Q(npwp=""), name="koperasi_cooperative_npwp_unique",
                violation_error_message=_("Another cooperative already has this NPWP."),
            ),
            models.UniqueConstraint(
                fields=["nib"], condition=~Q(nib=""), name="koperasi_cooperative_nib_unique",
                violation_error_message=_("Another cooperative already has this NIB."),
            ),
        ]
        indexes = [
            models.Index(fields=["formation_completed", "stage_reached_at"], name="koperasi_coop_stalled"),
            models.Index(fields=["stage_reached"], name="koperasi_coop_stage"),
            # Covering (PostgreSQL): the dashboards' "not updated" card reads the least recent ones of an area from
            # the index alone; a province's thousand filtered from the nation's took ~10k row fetches (15 ms).
            models.Index(fields=["last_activity_at", "id"], include=["village", "name"], name="koperasi_coop_quiet"),
            # The same card for a kabupaten or kecamatan: its own cooperatives by village-code prefix (a LIKE range),
            # their quiet ones from the second column. Walking the nation's quiet ones in time order until the area's
            # turned up read ~15k entries (with heap fetches after writes, 5–10 ms) per drawing of a kabupaten page.
            models.Index(fields=["village", "last_activity_at"], include=["id", "name"],
                         opclasses=["varchar_pattern_ops", "timestamptz_ops"], name="koperasi_coop_area_quiet"),
        ]

    def __str__(self):
        return self.name


class CooperativeVillage(models.Model):
    """A village served by a cooperative; each village belongs to at most one cooperative."""

    cooperative = models.ForeignKey(
        verbose_name=_("cooperative"), to=Cooperative, on_delete=models.CASCADE, related_name="villages"
    )
    village = models.OneToOneField(
        verbose_name=_("desa/kelurahan"), to="wilayah.Region", on_delete=models.PROTECT,
        related_name="cooperative_link",
        error_messages={"unique": _("This desa/kelurahan already belongs to a cooperative.")},
    )
    is_seat = models.BooleanField(verbose_name=_("seat"), default=False)

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()

    scope_path = "cooperative__village__code"

    class Meta:
        ordering = ["-is_seat", "village_id"]
        verbose_name = _("cooperative village")
        verbose_name_plural = _("cooperative villages")
        constraints = [
            models.UniqueConstraint(
                fields=["cooperative"], condition=Q(is_seat=True), name="koperasi_cooperativevillage_one_seat"
            )
        ]

    def __str__(self):
        return str(self.village_id)


class StageStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    SUBMITTED = "submitted", _("Submitted, awaiting verification")
    REJECTED = "rejected", _("Rejected — needs correction")
    VERIFIED = "verified", _("Verified")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


COMPLETED_STATUSES = (StageStatus.VERIFIED, StageStatus.NOT_APPLICABLE)


# Stored as the history's change reason (in English before its label existed: kept for the rows written then).
REDATED_REASON = "Dated by its document"


class StageProgress(models.Model):
    """Where one cooperative stands on one stage. Every transition is kept in the history."""

    cooperative = models.ForeignKey(
        verbose_name=_("cooperative"), to=Cooperative, on_delete=models.CASCADE, related_name="stages"
    )
    stage = models.ForeignKey(verbose_name=_("stage"), to=FormationStage, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        verbose_name=_("status"), max_length=16, choices=StageStatus.choices, default=StageStatus.NOT_STARTED
    )
    data = models.JSONField(verbose_name=_("stage data"), default=dict, blank=True)
    round = models.PositiveSmallIntegerField(
        verbose_name=_("submission round"), default=0, help_text=_("1 for the first submission, 2 after a rejection, …")
    )
    submitted_at = models.DateTimeField(verbose_name=_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        verbose_name=_("submitted by"), to=settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(verbose_name=_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        verbose_name=_("reviewed by"), to=settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    rejection_reason = models.TextField(verbose_name=_("reason for rejection"), blank=True)
    not_applicable_reason = models.TextField(verbose_name=_("reason not applicable"), blank=True)
    completed_at = models.DateTimeField(
        verbose_name=_("completed at"), null=True, blank=True,
        help_text=_("When it happened in the world: the date of its documents (meeting held, deed, SK AHU) or of "
                    "the archive record, else when it was verified or marked not applicable."),
    )
    from_archive = models.BooleanField(
        verbose_name=_("from the archive"), default=False,
        help_text=_("Completed before it was recorded here: an officer entered it from paper records, with its date."),
    )
    archive_note = models.TextField(verbose_name=_("archive note"), blank=True)

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()

    scope_path = "cooperative__village__code"
    audit_skip_created = True  # all ten are created empty with the cooperative; their changes tell the story
    # The reason code the system records when it re-dates a stage by its documents (stages_redate), as words.
    audit_reasons = {REDATED_REASON: _("dated by its documents")}

    class Meta:
        ordering = ["cooperative_id", "stage__order"]
        verbose_name = _("stage progress")
        verbose_name_plural = _("stage progress")
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "stage"], name="koperasi_stageprogress_unique")
        ]
        indexes = [
            models.Index(fields=["status", "submitted_at"], name="koperasi_stage_review_queue"),
            models.Index(fields=["stage", "status", "completed_at"], name="koperasi_stage_completion"),
        ]

    def __str__(self):
        return f"{self.cooperative} — {self.stage}"

    @classmethod
    def audit_subject(cls, record) -> str:
        # All ten stages at once, per language: a long history is not one query per entry.
        labels = _stage_labels(get_language())
        if record.stage_id not in labels:  # a stage added since: read the catalogue again
            _stage_labels.cache_clear()
            labels = _stage_labels(get_language())
        return _("Stage %(stage)s") % {"stage": labels.get(record.stage_id, record.stage_id)}

    @classmethod
    def audit_format(cls, name: str, value):
        """Stage data as its labelled fields ("Date held: 14 Apr 2025"), not as JSON keys."""
        if name != "data" or not isinstance(value, dict):
            return None
        return "; ".join(f"{label}: {text}" for label, text in stage_data_rows(value))

    @property
    def is_completed(self) -> bool:
        return self.status in COMPLETED_STATUSES

    @property
    def waiting_days(self) -> int | None:
        """Whole days since submission, while the stage awaits verification."""
        if self.status != StageStatus.SUBMITTED or self.submitted_at is None:
            return None
        return (timezone.now() - self.submitted_at).days


def _document_path(instance, filename: str) -> str:
    # Random names: nothing the uploader typed reaches the file system.
    return f"documents/{instance.progress.cooperative_id}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class StageDocument(models.Model):
    """A file uploaded for a stage: PDF, JPG or PNG, checked by content, stored under a random name."""

    progress = models.ForeignKey(
        verbose_name=_("stage"), to=StageProgress, on_delete=models.CASCADE, related_name="documents"
    )
    document_type = models.ForeignKey(
        verbose_name=_("document type"), to=DocumentType, on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(verbose_name=_("file"), upload_to=_document_path, storage=private_storage, max_length=200)
    original_name = models.CharField(verbose_name=_("original file name"), max_length=200)
    content_type = models.CharField(verbose_name=_("content type"), max_length=40)
    size = models.PositiveIntegerField(verbose_name=_("size (bytes)"))
    sha256 = models.CharField(verbose_name=_("SHA-256"), max_length=64)
    round = models.PositiveSmallIntegerField(verbose_name=_("submission round"), default=1)
    uploaded_by = models.ForeignKey(
        verbose_name=_("uploaded by"), to=settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(verbose_name=_("uploaded at"), auto_now_add=True)
    removed_at = models.DateTimeField(verbose_name=_("removed at"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()

    scope_path = "progress__cooperative__village__code"

    # How the audit trail reads (core.audit): the file's name, never its storage path or hash.
    audit_hidden_fields = ("file", "sha256", "content_type", "progress")
    audit_reasons = {"replaced": _("file replaced")}

    class Meta:
        ordering = ["progress_id", "document_type_id", "-uploaded_at"]
        verbose_name = _("stage document")
        verbose_name_plural = _("stage documents")

    def __str__(self):
        return self.original_name

    @classmethod
    def audit_subject(cls, record) -> str:
        return _("file %(name)s") % {"name": record.original_name}


def stage_data_rows(data: dict) -> list[tuple[str, str]]:
    """Submitted stage values as people read them: each field's label, dates as dates (14 Apr 2025), numbers grouped."""
    rows = []
    for key, item in data.items():
        spec = STAGE_FIELDS.get(key)
        text = str(item)
        if spec is not None and spec.input_type == "date" and item:
            with contextlib.suppress(ValueError):  # an older or hand-written value: shown as stored
                text = formats.date_format(date.fromisoformat(str(item)))
        elif isinstance(item, int):
            text = formats.number_format(item, force_grouping=True)
        rows.append((str(spec.label) if spec else key, text))
    return rows


@functools.lru_cache(maxsize=8)
def _stage_labels(language: str | None) -> dict[int, str]:
    """Stage labels by id in ``language`` (the catalogue changes only with a migration, so a process may keep it)."""
    return {stage.pk: str(stage.label) for stage in FormationStage.objects.all()}
