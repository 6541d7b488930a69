"""An upload of a spreadsheet (members, opening balances, formation progress) and what became of it."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.scoping import ScopedQuerySet
from core.storage import private_storage

__all__ = ["RUNNING_STATUSES", "CommitMode", "ImportJob", "ImportKind", "ImportStatus"]


class ImportKind(models.TextChoices):
    MEMBERS = "anggota", _("Members")
    BALANCES = "saldo_awal", _("Opening savings balances")
    FORMATION = "pembentukan", _("Formation progress")


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to be checked")
    VALIDATING = "validating", _("Checking")
    VALIDATED = "validated", _("Checked; waiting for your decision")
    COMMITTING = "committing", _("Importing")
    COMMITTED = "committed", _("Imported")
    REFUSED = "refused", _("Not imported: the file has errors")
    FAILED = "failed", _("The file could not be read")
    CANCELLED = "cancelled", _("Cancelled")


# Waiting for a worker or at work: the states a job leaves on its own.
RUNNING_STATUSES = (ImportStatus.QUEUED, ImportStatus.VALIDATING, ImportStatus.COMMITTING)


class CommitMode(models.TextChoices):
    VALID_ROWS = "valid_rows", _("Import the valid rows, skip the rows with errors")
    ALL_OR_NOTHING = "all_or_nothing", _("Import only if every row is valid (all or nothing)")


def _upload_path(instance, filename: str) -> str:
    # A random name: the original name is kept in the row and given back on download.
    return f"imports/{instance.pk}/{uuid.uuid4().hex}{filename[filename.rfind('.'):].lower()}"


def _errors_path(instance, filename: str) -> str:
    return f"imports/{instance.pk}/errors-{uuid.uuid4().hex}.xlsx"


def _checked_path(instance, filename: str) -> str:
    return f"imports/{instance.pk}/checked-{uuid.uuid4().hex}.csv"


class ImportJob(models.Model):
    """
    One uploaded file. It is checked in full in the background (a dry run: counts and an error file),
    then imported on the user's decision. Scoped by ``scope_code``: the cooperative's village for member
    and balance imports, the officer's area for formation progress.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(verbose_name=_("kind"), max_length=16, choices=ImportKind.choices)
    cooperative = models.ForeignKey(verbose_name=_("cooperative"), to="koperasi.Cooperative", null=True,
                                    blank=True, on_delete=models.CASCADE, related_name="+")
    scope_code = models.CharField(verbose_name=_("area"), max_length=13, blank=True, db_index=True)
    file = models.FileField(verbose_name=_("file"), upload_to=_upload_path, storage=private_storage, blank=True)
    original_name = models.CharField(verbose_name=_("file name"), max_length=200)
    file_format = models.CharField(verbose_name=_("format"), max_length=4)
    size = models.PositiveIntegerField(verbose_name=_("size (bytes)"), default=0)
    sha256 = models.CharField(verbose_name=_("SHA-256"), max_length=64, db_index=True)
    language = models.CharField(verbose_name=_("language"), max_length=8, default="id")
    status = models.CharField(verbose_name=_("status"), max_length=12, choices=ImportStatus.choices,
                              default=ImportStatus.QUEUED)
    mode = models.CharField(verbose_name=_("import mode"), max_length=16, choices=CommitMode.choices, blank=True)
    rows_total = models.PositiveIntegerField(verbose_name=_("rows"), default=0)
    # Dry run: {"new": n, "unchanged": n, "updated": n, "errors": n}; the commit's own counts likewise.
    counts = models.JSONField(verbose_name=_("counts (check)"), default=dict, blank=True)
    committed_counts = models.JSONField(verbose_name=_("counts (import)"), default=dict, blank=True)
    # The first errors, shown on the page; all of them are in the error file.
    error_preview = models.JSONField(verbose_name=_("first errors"), default=list, blank=True)
    error_file = models.FileField(verbose_name=_("error file"), upload_to=_errors_path, storage=private_storage,
                                  blank=True)
    # What the dry run checked, row by row, ready to write, and a token of everything the rows were checked
    # against (the register, the cooperative's villages, the day): while the token holds, the import writes
    # these rows without checking each again. Holds NIKs: deleted with the upload.
    checked_file = models.FileField(verbose_name=_("checked rows"), upload_to=_checked_path, storage=private_storage,
                                    blank=True)
    checked_token = models.CharField(verbose_name=_("checked against"), max_length=64, blank=True)
    message = models.TextField(verbose_name=_("message"), blank=True)
    # Since when the job waits or runs in its current state, and how many runs of its current phase (the check,
    # then the import) have started: a run whose worker died leaves the job "checking" or "importing", and the
    # services' resume finds it by these (import_runs_resume).
    state_since = models.DateTimeField(verbose_name=_("in this state since"), default=timezone.now)
    runs_started = models.PositiveSmallIntegerField(verbose_name=_("runs started"), default=0)
    created_by = models.ForeignKey(verbose_name=_("uploaded by"), to=settings.AUTH_USER_MODEL,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(verbose_name=_("uploaded at"), auto_now_add=True)
    validated_at = models.DateTimeField(verbose_name=_("checked at"), null=True, blank=True)
    committed_by = models.ForeignKey(verbose_name=_("imported by"), to=settings.AUTH_USER_MODEL, null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="+")
    committed_at = models.DateTimeField(verbose_name=_("imported at"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    scope_path = "scope_code"

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        indexes = [
            models.Index(fields=["cooperative", "-created_at"], name="impor_job_coop_created"),
            # The resume's search: the few jobs waiting or running, among all uploads ever made.
            models.Index(fields=["state_since"], name="impor_job_running_since",
                         condition=models.Q(status__in=["queued", "validating", "committing"])),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.original_name}"

    @property
    def is_running(self) -> bool:
        return self.status in RUNNING_STATUSES

    @property
    def can_commit(self) -> bool:
        return self.status == ImportStatus.VALIDATED
