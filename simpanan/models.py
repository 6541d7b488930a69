"""
A cooperative's savings (simpanan pokok, wajib, sukarela) and SHU distribution.

The ledger (``Posting``) is append-only: a row is never changed or deleted (the model refuses it and a
PostgreSQL trigger refuses it for any other client), a correction is a reversal that references the
original. Balances (``MemberSavings`` per member, ``CooperativeSavings`` per cooperative) and what is paid
on each bill (``Bill.paid_amount``) are maintained by the posting services in the same transaction, so a
read never sums the ledger; ``manage.py check_savings`` proves they equal it.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.scoping import ScopedQuerySet

__all__ = [
    "Bill",
    "CooperativeSavings",
    "EntryType",
    "MemberSavings",
    "Posting",
    "ReceiptSequence",
    "SavingsKind",
    "SavingsSetting",
    "ShuDistribution",
    "ShuLine",
    "ShuStatus",
    "WajibPeriod",
]

MAX_AMOUNT = 10**13  # Rp 10 trillion: far above any member's savings; anything larger is a typing error


class SavingsKind(models.TextChoices):
    POKOK = "pokok", _("Simpanan pokok")
    WAJIB = "wajib", _("Simpanan wajib")
    SUKARELA = "sukarela", _("Simpanan sukarela")


class WajibPeriod(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    YEARLY = "yearly", _("Yearly")


class SavingsSetting(models.Model):
    """The AD/ART amounts of a cooperative from ``effective_from`` on (until a later setting takes over)."""

    cooperative = models.ForeignKey(verbose_name=_("cooperative"), to="koperasi.Cooperative",
                                    on_delete=models.PROTECT, related_name="savings_settings")
    effective_from = models.DateField(verbose_name=_("effective from"))
    pokok_amount = models.PositiveBigIntegerField(verbose_name=_("simpanan pokok (once)"))
    wajib_amount = models.PositiveBigIntegerField(verbose_name=_("simpanan wajib per period"))
    wajib_period = models.CharField(verbose_name=_("wajib period"), max_length=8, choices=WajibPeriod.choices,
                                    default=WajibPeriod.MONTHLY)
    basis = models.CharField(verbose_name=_("basis (AD/ART article, meeting decision)"), max_length=200, blank=True)
    created_by = models.ForeignKey(verbose_name=_("entered by"), to=settings.AUTH_USER_MODEL,
                                   on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(verbose_name=_("entered at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()

    scope_path = "cooperative__village__code"

    class Meta:
        ordering = ["cooperative_id", "-effective_from"]
        verbose_name = _("savings setting")
        verbose_name_plural = _("savings settings")
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "effective_from"], name="simpanan_setting_unique_day",
                                    violation_error_message=_("A setting already starts on this day.")),
        ]

    def __str__(self):
        return f"{self.cooperative_id} {self.effective_from}"


class BillKind(models.TextChoices):
    POKOK = "pokok", _("Simpanan pokok")
    WAJIB = "wajib", _("Simpanan wajib")


class Bill(models.Model):
    """
    A tagihan: simpanan pokok once at admission, simpanan wajib once per member and period (the period's
    first day). ``paid_amount`` is maintained by the postings against the bill (partial payments allowed).
    """

    cooperative = models.ForeignKey(verbose_name=_("cooperative"), to="koperasi.Cooperative",
                                    on_delete=models.PROTECT, related_name="savings_bills")
    # A member removed from the register (a typing mistake) takes their unpaid bills along; one with postings
    # cannot be removed (Posting.member protects them): they leave the cooperative instead (status keluar).
    member = models.ForeignKey(verbose_name=_("member"), to="members.Member", on_delete=models.CASCADE,
                               related_name="savings_bills")
    kind = models.CharField(verbose_name=_("kind"), max_length=8, choices=BillKind.choices)
    period = models.DateField(verbose_name=_("period"))
    amount = models.PositiveBigIntegerField(verbose_name=_("amount billed"))
    paid_amount = models.PositiveBigIntegerField(verbose_name=_("amount paid"), default=0)
    created_at = models.DateTimeField(verbose_name=_("billed at"), default=timezone.now)

    objects = ScopedQuerySet.as_manager()

    scope_path = "cooperative__village__code"

    class Meta:
        ordering = ["member_id", "period"]
        verbose_name = _("bill")
        verbose_name_plural = _("bills")
        constraints = [
            models.UniqueConstraint(fields=["member", "kind", "period"], name="simpanan_bill_member_period"),
            models.UniqueConstraint(fields=["member"], condition=Q(kind="pokok"), name="simpanan_bill_pokok_once"),
            models.CheckConstraint(condition=Q(paid_amount__lte=F("amount")), name="simpanan_bill_not_overpaid"),
        ]
        indexes = [
            # The arrears list: the open wajib bills of one cooperative.
            models.Index(fields=["cooperative", "member", "period"], condition=Q(paid_amount__lt=F("amount")),
                         name="simpanan_bill_open"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.period:%m/%Y}"

    @property
    def outstanding(self) -> int:
        return self.amount - self.paid_amount


class EntryType(models.TextChoices):
    OPENING = "opening", _("Opening balance")
    PAYMENT = "payment", _("Bill payment")
    DEPOSIT = "deposit", _("Deposit")
    WITHDRAWAL = "withdrawal", _("Withdrawal")
    SHU = "shu", _("SHU share")
    REVERSAL = "reversal", _("Reversal")


class AppendOnlyQuerySet(ScopedQuerySet):
    def update(self, **kwargs):
        raise TypeError("The savings ledger is append-only: post a reversal instead of changing a posting.")

    def delete(self):
        raise TypeError("The savings ledger is append-only: post a reversal instead of deleting a posting.")


class Posting(models.Model):
    """
    One entry of the savings ledger. ``amount`` is signed: what it adds to the member's balance of ``kind``
    (a withdrawal and the reversal of a deposit are negative). Never changed, never deleted.
    """

    # No index of their own: the receipt number's unique (cooperative, receipt_number) and the member's
    # (member, transaction_date) index lead with them, and a ledger of millions of rows pays for every index.
    cooperative = models.ForeignKey(verbose_name=_("cooperative"), to="koperasi.Cooperative",
                                    on_delete=models.PROTECT, related_name="savings_postings", db_index=False)
    member = models.ForeignKey(verbose_name=_("member"), to="members.Member", on_delete=models.PROTECT,
                               related_name="savings_postings", db_index=False)
    kind = models.CharField(verbose_name=_("kind"), max_length=8, choices=SavingsKind.choices)
    entry_type = models.CharField(verbose_name=_("type"), max_length=10, choices=EntryType.choices)
    amount = models.BigIntegerField(verbose_name=_("amount"))
    bill = models.ForeignKey(verbose_name=_("bill"), to=Bill, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="postings")
    reverses = models.OneToOneField(verbose_name=_("reverses"), to="self", on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="reversed_by")
    shu_line = models.OneToOneField(verbose_name=_("SHU line"), to="simpanan.ShuLine", on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="posting")
    transaction_date = models.DateField(verbose_name=_("transaction date"))
    receipt_number = models.CharField(verbose_name=_("receipt number"), max_length=20)
    reference = models.CharField(verbose_name=_("reference / note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(verbose_name=_("recorded by"), to=settings.AUTH_USER_MODEL,
                                    on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(verbose_name=_("recorded at"), default=timezone.now)
    # The form or API request that posted it (one key per form shown, or the API's Idempotency-Key): the same
    # submission again (pressed twice, resent after a slow link timed out) returns this posting, not a second one.
    submission_key = models.UUIDField(verbose_name=_("submission key"), null=True, blank=True, editable=False)

    objects = AppendOnlyQuerySet.as_manager()

    scope_path = "cooperative__village__code"

    class Meta:
        ordering = ["-recorded_at", "-id"]
        verbose_name = _("savings posting")
        verbose_name_plural = _("savings postings")
        default_permissions = ("add", "view")  # no change or delete permission exists, in the admin either
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "receipt_number"], name="simpanan_posting_receipt_unique"),
            models.CheckConstraint(condition=~Q(amount=0), name="simpanan_posting_not_zero"),
            models.CheckConstraint(
                condition=Q(entry_type="reversal", reverses__isnull=False)
                | (~Q(entry_type="reversal") & Q(reverses__isnull=True)),
                name="simpanan_posting_reversal_references",
            ),
        ]
        indexes = [
            models.Index(fields=["member", "transaction_date"], name="simpanan_posting_member_day"),
            models.Index(fields=["submission_key"], condition=Q(submission_key__isnull=False),
                         name="simpanan_posting_submission"),
        ]

    def __str__(self):
        return f"{self.receipt_number} {self.get_entry_type_display()} {self.amount}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ValidationError(_("The savings ledger is append-only: post a reversal instead."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("The savings ledger is append-only: post a reversal instead."))


class ReceiptSequence(models.Model):
    """The last receipt number a cooperative gave in a year; taken under a row lock, so gap-free."""

    cooperative = models.ForeignKey(to="koperasi.Cooperative", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cooperative", "year"], name="simpanan_receipt_seq_unique")]

    def __str__(self):
        return f"{self.cooperative_id}/{self.year}: {self.last_number}"


class MemberSavings(models.Model):
    """A member's balance of each kind, maintained at posting time; never below zero."""

    member = models.OneToOneField(verbose_name=_("member"), to="members.Member", on_delete=models.CASCADE,
                                  primary_key=True, related_name="savings")
    # Indexed once, by the named index in Meta (the foreign key's own index would be the same index twice).
    cooperative = models.ForeignKey(verbose_name=_("cooperative"), to="koperasi.Cooperative",
                                    on_delete=models.PROTECT, related_name="+", db_index=False)
    pokok = models.BigIntegerField(verbose_name=_("simpanan pokok"), default=0)
    wajib = models.BigIntegerField(verbose_name=_("simpanan wajib"), default=0)
    sukarela = models.BigIntegerField(verbose_name=_("simpanan sukarela"), default=0)
    updated_at = models.DateTimeField(verbose_name=_("updated at"), auto_now=True)

    objects = ScopedQuerySet.as_manager()

    scope_path = "cooperative__village__code"

    class Meta:
        verbose_name = _("member's savings")
        verbose_name_plural = _("members' savings")
        constraints = [
            models.CheckConstraint(condition=Q(pokok__gte=0) & Q(wajib__gte=0) & Q(sukarela__gte=0),
                                   name="simpanan_member_savings_not_negative"),
        ]
        indexes = [models.Index(fields=["cooperative"], name="simpanan_member_savings_coop")]

    def __str__(self):
        return f"{self.member_id}: {self.total}"

    @property
    def total(self) -> int:
        return self.pokok + self.wajib + self.sukarela


class CooperativeSavings(models.Model):
    """
    A cooperative's totals, maintained with every posting and billing run: what the roll-ups read.
    ``arrears`` is what open wajib bills still owe.
    """

    cooperative = models.OneToOneField(verbose_name=_("cooperative"), to="koperasi.Cooperative",
                                       on_delete=models.PROTECT, primary_key=True, related_name="savings_totals")
    pokok = models.BigIntegerField(verbose_name=_("simpanan pokok"), default=0)
    wajib = models.BigIntegerField(verbose_name=_("simpanan wajib"), default=0)
    sukarela = models.BigIntegerField(verbose_name=_("simpanan sukarela"), default=0)
    arrears = models.BigIntegerField(verbose_name=_("wajib in arrears"), default=0)
    updated_at = models.DateTimeField(verbose_name=_("updated at"), auto_now=True)

    objects = ScopedQuerySet.as_manager()

    scope_path = "cooperative__village__code"

    class Meta:
        verbose_name = _("cooperative's savings")
        verbose_name_plural = _("cooperatives' savings")
        constraints = [
            models.CheckConstraint(
                condition=Q(pokok__gte=0) & Q(wajib__gte=0) & Q(sukarela__gte=0) & Q(arrears__gte=0),
                name="simpanan_coop_savings_not_negative"),
        ]

    def __str__(self):
        return f"{self.cooperative_id}: {self.total}"

    @property
    def total(self) -> int:
        return self.pokok + self.wajib + self.sukarela


class ShuStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REVIEWED = "reviewed", _("Reviewed")
    POSTED = "posted", _("Posted")


class ShuDistribution(models.Model):
    """
    The SHU of a closed financial year: the surplus and its shares by the AD/ART in basis points
    (1 % = 100), computed per member with the largest-remainder rule (docs/simpanan.md), reviewed, posted.
    """

    cooperative = models.ForeignKey(verbose_name=_("cooperative"), to="koperasi.Cooperative",
                                    on_delete=models.PROTECT, related_name="shu_distributions")
    year = models.PositiveSmallIntegerField(verbose_name=_("financial year"))
    surplus = models.PositiveBigIntegerField(verbose_name=_("surplus (SHU)"))
    jasa_modal_bp = models.PositiveIntegerField(verbose_name=_("jasa modal (basis points)"))
    jasa_usaha_bp = models.PositiveIntegerField(verbose_name=_("jasa usaha (basis points)"))
    # Other allocations of the AD/ART: {"cadangan": 4000, "dana pengurus": 500, ...} in basis points.
    other_allocations = models.JSONField(verbose_name=_("other allocations"), default=dict, blank=True)
    # The amounts of all allocations after rounding (sum = surplus), filled when computed.
    allocation_amounts = models.JSONField(verbose_name=_("allocation amounts"), default=dict, blank=True)
    status = models.CharField(verbose_name=_("status"), max_length=8, choices=ShuStatus.choices,
                              default=ShuStatus.DRAFT)
    created_by = models.ForeignKey(verbose_name=_("entered by"), to=settings.AUTH_USER_MODEL,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(verbose_name=_("entered at"), auto_now_add=True)
    reviewed_by = models.ForeignKey(verbose_name=_("reviewed by"), to=settings.AUTH_USER_MODEL,
                                    on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reviewed_at = models.DateTimeField(verbose_name=_("reviewed at"), null=True, blank=True)
    posted_by = models.ForeignKey(verbose_name=_("posted by"), to=settings.AUTH_USER_MODEL,
                                  on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    posted_at = models.DateTimeField(verbose_name=_("posted at"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()

    scope_path = "cooperative__village__code"

    class Meta:
        ordering = ["cooperative_id", "-year"]
        verbose_name = _("SHU distribution")
        verbose_name_plural = _("SHU distributions")
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "year"], name="simpanan_shu_one_per_year",
                                    violation_error_message=_("This year's SHU is already entered.")),
        ]

    def __str__(self):
        return f"SHU {self.year}"


class ShuLine(models.Model):
    """One member's SHU: jasa modal on their savings at year end, jasa usaha on their transactions."""

    distribution = models.ForeignKey(verbose_name=_("SHU distribution"), to=ShuDistribution,
                                     on_delete=models.CASCADE, related_name="lines")
    member = models.ForeignKey(verbose_name=_("member"), to="members.Member", on_delete=models.PROTECT,
                               related_name="shu_lines")
    savings_basis = models.PositiveBigIntegerField(verbose_name=_("savings at year end"), default=0)
    transactions_basis = models.PositiveBigIntegerField(verbose_name=_("transactions in the year"), default=0)
    jasa_modal = models.PositiveBigIntegerField(verbose_name=_("jasa modal"), default=0)
    jasa_usaha = models.PositiveBigIntegerField(verbose_name=_("jasa usaha"), default=0)

    objects = ScopedQuerySet.as_manager()

    scope_path = "distribution__cooperative__village__code"

    class Meta:
        ordering = ["distribution_id", "member_id"]
        verbose_name = _("SHU line")
        verbose_name_plural = _("SHU lines")
        constraints = [
            models.UniqueConstraint(fields=["distribution", "member"], name="simpanan_shu_line_unique"),
        ]

    def __str__(self):
        return f"{self.member_id}: {self.total}"

    @property
    def total(self) -> int:
        return self.jasa_modal + self.jasa_usaha
