"""Members of a cooperative (identified by NIK) and the pengurus, pengawas and manajer positions."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField
from simple_history.models import HistoricalRecords

from core.identifiers import mask_nik
from core.scoping import ScopedQuerySet

__all__ = ["ApplicationStatus", "Member", "MemberApplication", "MemberStatus", "Position", "PositionRole", "Sex",
           "VillageOffice"]


class Sex(models.TextChoices):
    L = "L", _("Male (laki-laki)")
    P = "P", _("Female (perempuan)")


class VillageOffice(models.TextChoices):
    """Village leadership, who may not be pengurus (Juklak 1/2025 ch. III)."""

    KEPALA_DESA = "kepala_desa", _("Kepala desa / lurah")
    PERANGKAT_DESA = "perangkat_desa", _("Perangkat desa / kelurahan staff")
    BPD = "bpd", _("BPD member")


class MemberStatus(models.TextChoices):
    AKTIF = "aktif", _("Active")
    KELUAR = "keluar", _("Left")
    MENINGGAL = "meninggal", _("Deceased")


class Member(models.Model):
    """A person in a cooperative's member register, unique per cooperative by NIK."""

    # No index of its own: the unique (cooperative, NIK) index serves every lookup by cooperative. Each index
    # costs every bulk import a write per row.
    cooperative = models.ForeignKey(
        verbose_name=_("cooperative"), to="koperasi.Cooperative", on_delete=models.CASCADE, related_name="members",
        db_index=False,
    )
    nik = models.CharField(verbose_name=_("NIK"), max_length=16)
    name = models.CharField(verbose_name=_("name"), max_length=150)
    sex = models.CharField(verbose_name=_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(verbose_name=_("birth date"), null=True, blank=True)
    # Not indexed: members are never looked up by domicile across cooperatives, and regions are never deleted
    # (load_wilayah deactivates them), so PROTECT never has to search.
    domicile = models.ForeignKey(
        verbose_name=_("desa/kelurahan of domicile"), to="wilayah.Region", on_delete=models.PROTECT, related_name="+",
        db_index=False,
    )
    phone = PhoneNumberField(verbose_name=_("phone"), region="ID", blank=True)
    address = models.CharField(verbose_name=_("address"), max_length=200, blank=True)
    rt = models.CharField(verbose_name=_("RT"), max_length=3, blank=True)
    rw = models.CharField(verbose_name=_("RW"), max_length=3, blank=True)
    occupation = models.CharField(verbose_name=_("occupation"), max_length=100, blank=True)
    # Numbered per cooperative when the member is admitted; blank only for rows entered before numbering.
    member_number = models.CharField(verbose_name=_("member number"), max_length=20, blank=True)
    status = models.CharField(verbose_name=_("status"), max_length=10, choices=MemberStatus.choices,
                              default=MemberStatus.AKTIF)
    status_on = models.DateField(verbose_name=_("status since"), null=True, blank=True)
    status_reason = models.CharField(verbose_name=_("reason"), max_length=250, blank=True)
    village_office = models.CharField(
        verbose_name=_("village office held"), max_length=16, choices=VillageOffice.choices, blank=True
    )
    is_founder = models.BooleanField(verbose_name=_("founding member"), default=False)
    joined_on = models.DateField(verbose_name=_("joined on"), default=timezone.localdate)
    nik_warnings = models.JSONField(verbose_name=_("NIK warnings"), default=list, blank=True)
    # Who typed the row in: Django sets it to NULL when that account is deleted (SET_NULL runs in Django, not in
    # the database). No database constraint, which would check the same user on every row of a bulk import.
    created_by = models.ForeignKey(
        verbose_name=_("entered by"), to=settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", db_constraint=False,
    )
    created_at = models.DateTimeField(verbose_name=_("entered at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    # The history is read per member (by id), by date and by cooperative; other foreign keys unindexed there.
    # Its user likewise without a database constraint (a bulk import writes one history row per member).
    history = HistoricalRecords(no_db_index=["created_by", "domicile"], user_db_constraint=False)

    scope_path = "cooperative__village__code"

    class Meta:
        ordering = ["cooperative_id", "name"]
        verbose_name = _("member")
        verbose_name_plural = _("members")
        constraints = [
            models.UniqueConstraint(
                fields=["cooperative", "nik"], name="members_member_nik_unique",
                violation_error_message=_("A member with this NIK is already registered in this cooperative."),
            ),
            models.UniqueConstraint(
                fields=["cooperative", "member_number"], condition=~Q(member_number=""),
                name="members_member_number_unique",
                violation_error_message=_("This member number is already used in this cooperative."),
            ),
        ]
        indexes = [models.Index(fields=["cooperative", "status"], name="members_member_coop_status")]

    def __str__(self):
        return f"{self.name} ({self.masked_nik})"

    @property
    def masked_nik(self) -> str:
        return mask_nik(self.nik)


class ApplicationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the pengurus")
    APPROVED = "approved", _("Admitted")
    REJECTED = "rejected", _("Refused")


class MemberApplication(models.Model):
    """
    A person's own application for membership (the public form): it waits until the pengurus of the
    cooperative admits the person (who then gets a member number) or refuses with a reason.
    """

    cooperative = models.ForeignKey(verbose_name=_("cooperative"), to="koperasi.Cooperative",
                                    on_delete=models.CASCADE, related_name="applications")
    nik = models.CharField(verbose_name=_("NIK"), max_length=16)
    name = models.CharField(verbose_name=_("name"), max_length=150)
    sex = models.CharField(verbose_name=_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(verbose_name=_("birth date"), null=True, blank=True)
    domicile = models.ForeignKey(verbose_name=_("desa/kelurahan of domicile"), to="wilayah.Region",
                                 on_delete=models.PROTECT, related_name="+")
    address = models.CharField(verbose_name=_("address"), max_length=200)
    rt = models.CharField(verbose_name=_("RT"), max_length=3, blank=True)
    rw = models.CharField(verbose_name=_("RW"), max_length=3, blank=True)
    occupation = models.CharField(verbose_name=_("occupation"), max_length=100, blank=True)
    phone = PhoneNumberField(verbose_name=_("phone"), region="ID")
    nik_warnings = models.JSONField(verbose_name=_("NIK warnings"), default=list, blank=True)
    status = models.CharField(verbose_name=_("status"), max_length=10, choices=ApplicationStatus.choices,
                              default=ApplicationStatus.PENDING)
    rejection_reason = models.CharField(verbose_name=_("reason for refusal"), max_length=250, blank=True)
    member = models.ForeignKey(verbose_name=_("member"), to=Member, on_delete=models.SET_NULL, null=True,
                               blank=True, related_name="+")
    decided_by = models.ForeignKey(verbose_name=_("decided by"), to=settings.AUTH_USER_MODEL,
                                   on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(verbose_name=_("decided at"), null=True, blank=True)
    submitted_at = models.DateTimeField(verbose_name=_("submitted at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()

    scope_path = "cooperative__village__code"

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("membership application")
        verbose_name_plural = _("membership applications")
        constraints = [
            # One open application per person and cooperative: sending the form twice adds nothing.
            models.UniqueConstraint(fields=["cooperative", "nik"], condition=Q(status="pending"),
                                    name="members_application_one_pending"),
        ]

    def __str__(self):
        return f"{self.name} ({self.masked_nik})"

    @property
    def masked_nik(self) -> str:
        return mask_nik(self.nik)


class PositionRole(models.TextChoices):
    KETUA = "ketua", _("Ketua")
    WAKIL_KETUA_USAHA = "wakil_ketua_usaha", _("Wakil ketua bidang usaha")
    WAKIL_KETUA_KEANGGOTAAN = "wakil_ketua_keanggotaan", _("Wakil ketua bidang keanggotaan")
    SEKRETARIS = "sekretaris", _("Sekretaris")
    BENDAHARA = "bendahara", _("Bendahara")
    PENGURUS_LAIN = "pengurus_lain", _("Other pengurus")
    KETUA_PENGAWAS = "ketua_pengawas", _("Ketua pengawas")
    ANGGOTA_PENGAWAS = "anggota_pengawas", _("Anggota pengawas")
    MANAJER = "manajer", _("Manajer")


PENGURUS_ROLES = frozenset({
    PositionRole.KETUA, PositionRole.WAKIL_KETUA_USAHA, PositionRole.WAKIL_KETUA_KEANGGOTAAN,
    PositionRole.SEKRETARIS, PositionRole.BENDAHARA, PositionRole.PENGURUS_LAIN,
})
PENGAWAS_ROLES = frozenset({PositionRole.KETUA_PENGAWAS, PositionRole.ANGGOTA_PENGAWAS})
# Positions held by one person at a time in a cooperative.
SINGLE_HOLDER_ROLES = frozenset({
    PositionRole.KETUA, PositionRole.WAKIL_KETUA_USAHA, PositionRole.WAKIL_KETUA_KEANGGOTAAN,
    PositionRole.SEKRETARIS, PositionRole.BENDAHARA, PositionRole.KETUA_PENGAWAS,
})
# The five positions a board must have (Juklak 1/2025).
REQUIRED_PENGURUS_ROLES = (
    PositionRole.KETUA, PositionRole.WAKIL_KETUA_USAHA, PositionRole.WAKIL_KETUA_KEANGGOTAAN,
    PositionRole.SEKRETARIS, PositionRole.BENDAHARA,
)


class Position(models.Model):
    """A member's term in a position; ``ended_on`` is empty while it is held."""

    cooperative = models.ForeignKey(
        verbose_name=_("cooperative"), to="koperasi.Cooperative", on_delete=models.CASCADE, related_name="positions"
    )
    member = models.ForeignKey(verbose_name=_("member"), to=Member, on_delete=models.CASCADE, related_name="positions")
    role = models.CharField(verbose_name=_("position"), max_length=24, choices=PositionRole.choices)
    started_on = models.DateField(verbose_name=_("from"), default=timezone.localdate)
    ended_on = models.DateField(verbose_name=_("until"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()

    scope_path = "cooperative__village__code"

    class Meta:
        ordering = ["cooperative_id", "role", "started_on"]
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        constraints = [
            models.UniqueConstraint(
                fields=["cooperative", "role"],
                condition=Q(ended_on__isnull=True) & Q(role__in=sorted(SINGLE_HOLDER_ROLES)),
                name="members_position_single_holder",
                violation_error_message=_("Someone already holds this position."),
            ),
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(ended_on__isnull=True) & Q(role__in=sorted(PENGURUS_ROLES | PENGAWAS_ROLES)),
                name="members_position_one_board_seat",
                violation_error_message=_("A person holds one pengurus or pengawas position at a time."),
            ),
        ]

    def __str__(self):
        return f"{self.get_role_display()}: {self.member.name}"

    @property
    def is_active(self) -> bool:
        return self.ended_on is None


class ReadChannel(models.TextChoices):
    PAGE = "page", _("page")
    API = "api", _("API")
    HISTORY = "history", _("history")


class PersonalDataRead(models.Model):
    """
    One showing of a member's full NIK (UU PDP 27/2022): who, when, which member, from where. Written by
    the portal only, never changed; the national administrator reads the log.
    """

    user = models.ForeignKey(verbose_name=_("read by"), to=settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="+")
    member = models.ForeignKey(verbose_name=_("member"), to=Member, on_delete=models.SET_NULL, null=True,
                               related_name="+")
    member_label = models.CharField(verbose_name=_("member (masked)"), max_length=250)
    channel = models.CharField(verbose_name=_("where"), max_length=8, choices=ReadChannel.choices)
    ip_address = models.GenericIPAddressField(verbose_name=_("IP address"), null=True, blank=True)
    read_at = models.DateTimeField(verbose_name=_("read at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-read_at", "-id"]
        verbose_name = _("read of personal data")
        verbose_name_plural = _("reads of personal data")

    def __str__(self):
        return f"{self.read_at:%Y-%m-%d %H:%M} {self.user} · {self.member_label}"
