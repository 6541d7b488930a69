"""
BUMDes (village-owned enterprises, PP 11/2021) and federations of villages and cooperatives.

A *BUMDes* is the registry entry of a BUM Desa (founded by one desa), a BUM Desa Bersama (by two or more
desa, through a Peraturan Bersama) or a BUM Desa Bersama LKD: its legal registration, organs, the capital
each village put in, its yearly classification and its business lines.

A *federation* is a body that works for many villages and/or cooperatives: a BUM Desa Bersama, the
company (PT) it owns, or a secondary cooperative (koperasi sekunder) of KDKMP. Its members join and leave
on dates (effective-dated), and it runs business sites (clinics, co-working spaces, fuel outlets, …)
with monthly operating figures. A federation's records belong to the area of its seat and to the
federation itself: a role held on the federation reaches them (``scope_federation_path``).

Cooperation agreements tie a KDKMP to a BUMDes or a federation.
"""

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.scoping import ScopedQuerySet
from core.storage import private_storage

__all__ = [
    "SITE_TRANSITIONS",
    "AgreementKind",
    "AgreementStatus",
    "Bumdes",
    "BumdesClass",
    "BumdesClassification",
    "BumdesKind",
    "BumdesOfficer",
    "BumdesOrgan",
    "BumdesVillage",
    "BusinessLine",
    "BusinessSector",
    "BusinessSite",
    "CooperationAgreement",
    "Federation",
    "FederationCooperative",
    "FederationKind",
    "FederationVillage",
    "SiteFigure",
    "SiteKind",
    "SiteStatus",
]


class BumdesKind(models.TextChoices):
    BUM_DESA = "bum_desa", _("BUM Desa")
    BUM_DESA_BERSAMA = "bum_desa_bersama", _("BUM Desa Bersama")
    BUM_DESA_BERSAMA_LKD = "bum_desa_bersama_lkd", _("BUM Desa Bersama LKD")


JOINT_KINDS = (BumdesKind.BUM_DESA_BERSAMA, BumdesKind.BUM_DESA_BERSAMA_LKD)


class BumdesClass(models.TextChoices):
    """The yearly ranking by Kemendesa (each February)."""

    PERINTIS = "perintis", _("Perintis (pioneer)")
    PEMULA = "pemula", _("Pemula (beginner)")
    BERKEMBANG = "berkembang", _("Berkembang (developing)")
    MAJU = "maju", _("Maju (advanced)")


class BumdesOrgan(models.TextChoices):
    """Organs of a BUMDes under PP 11/2021 besides the Musyawarah Desa / Antar Desa itself."""

    PENASIHAT = "penasihat", _("Adviser (penasihat, the kepala desa ex officio)")
    PELAKSANA_OPERASIONAL = "pelaksana_operasional", _("Operational manager (pelaksana operasional)")
    PENGAWAS = "pengawas", _("Supervisor (pengawas)")
    SEKRETARIS = "sekretaris", _("Secretary (sekretaris)")
    BENDAHARA = "bendahara", _("Treasurer (bendahara)")


class BusinessSector(models.TextChoices):
    TRADE = "trade", _("Trade and shops")
    AGRICULTURE = "agriculture", _("Agriculture, fisheries and food")
    SERVICES = "services", _("Services and rentals")
    TOURISM = "tourism", _("Tourism")
    FINANCE = "finance", _("Savings and loans")
    HEALTH = "health", _("Health")
    UTILITIES = "utilities", _("Water, energy and waste")
    OTHER = "other", _("Other")


class Bumdes(models.Model):
    """
    One BUM Desa, BUM Desa Bersama or BUM Desa Bersama LKD. Its seat is the desa of its office (for a BUM
    Desa, its own desa); the villages that put in capital are its ``villages``. It becomes a legal entity
    when the Minister of Law issues its electronic registration certificate.
    """

    name = models.CharField(verbose_name=_("name"), max_length=200)
    kind = models.CharField(verbose_name=_("type"), max_length=24, choices=BumdesKind.choices)
    village = models.ForeignKey(
        verbose_name=_("seat (desa)"), to="wilayah.Region", on_delete=models.PROTECT, related_name="+"
    )
    address = models.TextField(verbose_name=_("address"), blank=True)
    founded_on = models.DateField(verbose_name=_("founded on"), null=True, blank=True,
                                  help_text=_("The date of the Musyawarah Desa / Antar Desa that founded it."))
    name_registration_number = models.CharField(
        verbose_name=_("name registration number"), max_length=100, blank=True,
        help_text=_("From the name registration in the Sistem Informasi Desa (Kemendesa)."),
    )
    regulation_number = models.CharField(
        verbose_name=_("Perdes / Perber number"), max_length=100, blank=True,
        help_text=_("The Peraturan Desa (BUM Desa) or Peraturan Bersama Kepala Desa (BUM Desa Bersama) founding it."),
    )
    regulation_date = models.DateField(verbose_name=_("Perdes / Perber date"), null=True, blank=True)
    registration_number = models.CharField(
        verbose_name=_("registration certificate number"), max_length=100, blank=True,
        help_text=_("The electronic registration certificate of the Minister of Law: with it the BUMDes is a "
                    "legal entity."),
    )
    registration_date = models.DateField(verbose_name=_("registration certificate date"), null=True, blank=True)
    registered_by = models.ForeignKey(
        verbose_name=_("recorded by"), to=settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
        blank=True, related_name="+",
    )
    created_at = models.DateTimeField(verbose_name=_("recorded at"), auto_now_add=True)
    updated_at = models.DateTimeField(verbose_name=_("updated at"), auto_now=True)

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    scope_path = "village__code"
    scope_federation_path = "federation__id"

    class Meta:
        ordering = ["village_id", "name"]
        verbose_name = _("BUMDes")
        verbose_name_plural = _("BUMDes")
        constraints = [
            models.UniqueConstraint(
                Lower("name"), "village", name="bumdes_bumdes_name_unique",
                violation_error_message=_("This desa already has a BUMDes with this name."),
            ),
            models.UniqueConstraint(
                fields=["registration_number"], condition=~Q(registration_number=""),
                name="bumdes_bumdes_registration_unique",
                violation_error_message=_("Another BUMDes already has this registration certificate number."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_legal_entity(self) -> bool:
        return bool(self.registration_number and self.registration_date)

    @property
    def is_joint(self) -> bool:
        return self.kind in JOINT_KINDS


class BumdesVillage(models.Model):
    """A village that founded or put capital into a BUMDes (penyertaan modal), with the amount in rupiah."""

    bumdes = models.ForeignKey(verbose_name=_("BUMDes"), to=Bumdes, on_delete=models.CASCADE, related_name="villages")
    village = models.ForeignKey(verbose_name=_("desa"), to="wilayah.Region", on_delete=models.PROTECT,
                                related_name="+")
    capital = models.BigIntegerField(verbose_name=_("capital participation (Rp)"), default=0)

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()

    scope_path = "bumdes__village__code"
    scope_federation_path = "bumdes__federation__id"

    class Meta:
        ordering = ["bumdes_id", "village_id"]
        verbose_name = _("BUMDes village")
        verbose_name_plural = _("BUMDes villages")
        constraints = [
            models.UniqueConstraint(fields=["bumdes", "village"], name="bumdes_bumdesvillage_unique",
                                    violation_error_message=_("This village is already listed.")),
            models.CheckConstraint(condition=Q(capital__gte=0), name="bumdes_bumdesvillage_capital_positive",
                                   violation_error_message=_("Capital cannot be negative.")),
        ]

    def __str__(self):
        return f"{self.bumdes_id} {self.village_id}"


class BumdesOfficer(models.Model):
    """A person holding an organ of a BUMDes (the adviser is the kepala desa ex officio)."""

    bumdes = models.ForeignKey(verbose_name=_("BUMDes"), to=Bumdes, on_delete=models.CASCADE, related_name="officers")
    organ = models.CharField(verbose_name=_("organ"), max_length=24, choices=BumdesOrgan.choices)
    name = models.CharField(verbose_name=_("name"), max_length=150)
    since = models.DateField(verbose_name=_("since"), null=True, blank=True)
    until = models.DateField(verbose_name=_("until"), null=True, blank=True,
                             help_text=_("Empty while the person holds the office."))

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()

    scope_path = "bumdes__village__code"
    scope_federation_path = "bumdes__federation__id"

    class Meta:
        ordering = ["bumdes_id", "organ", "-since"]
        verbose_name = _("BUMDes officer")
        verbose_name_plural = _("BUMDes officers")

    def __str__(self):
        return f"{self.get_organ_display()}: {self.name}"


class BumdesClassification(models.Model):
    """The class a BUMDes was ranked in for a year (Pemeringkatan BUM Desa)."""

    bumdes = models.ForeignKey(verbose_name=_("BUMDes"), to=Bumdes, on_delete=models.CASCADE,
                               related_name="classifications")
    year = models.PositiveSmallIntegerField(verbose_name=_("year"))
    classification = models.CharField(verbose_name=_("class"), max_length=12, choices=BumdesClass.choices)
    score = models.PositiveSmallIntegerField(verbose_name=_("score"), null=True, blank=True,
                                             help_text=_("0 to 100, if the ranking gave one."))

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()

    scope_path = "bumdes__village__code"
    scope_federation_path = "bumdes__federation__id"

    class Meta:
        ordering = ["bumdes_id", "-year"]
        verbose_name = _("BUMDes classification")
        verbose_name_plural = _("BUMDes classifications")
        constraints = [
            models.UniqueConstraint(fields=["bumdes", "year"], name="bumdes_classification_one_per_year",
                                    violation_error_message=_("This year already has a classification.")),
            models.CheckConstraint(condition=Q(score__lte=100), name="bumdes_classification_score_percent",
                                   violation_error_message=_("The score is between 0 and 100.")),
        ]

    def __str__(self):
        return f"{self.year} {self.get_classification_display()}"


class BusinessLine(models.Model):
    """One line of business a BUMDes runs (unit usaha), directly or through a company of its own."""

    bumdes = models.ForeignKey(verbose_name=_("BUMDes"), to=Bumdes, on_delete=models.CASCADE,
                               related_name="business_lines")
    name = models.CharField(verbose_name=_("name"), max_length=150)
    sector = models.CharField(verbose_name=_("sector"), max_length=16, choices=BusinessSector.choices)
    started_on = models.DateField(verbose_name=_("started on"), null=True, blank=True)
    stopped_on = models.DateField(verbose_name=_("stopped on"), null=True, blank=True,
                                  help_text=_("A BUMDes cannot be dissolved, but a business line can stop."))

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()

    scope_path = "bumdes__village__code"
    scope_federation_path = "bumdes__federation__id"

    class Meta:
        ordering = ["bumdes_id", "name"]
        verbose_name = _("business line")
        verbose_name_plural = _("business lines")
        constraints = [
            models.UniqueConstraint(Lower("name"), "bumdes", name="bumdes_businessline_unique",
                                    violation_error_message=_("The BUMDes already has a business line with this "
                                                              "name.")),
        ]

    def __str__(self):
        return self.name


# SECTION: federations


class FederationKind(models.TextChoices):
    BUMDES_BERSAMA = "bumdes_bersama", _("BUM Desa Bersama")
    COMPANY = "company", _("Company (PT) owned by a BUM Desa Bersama")
    SECONDARY_COOPERATIVE = "secondary_cooperative", _("Secondary cooperative (koperasi sekunder)")


class Federation(models.Model):
    """
    A BUM Desa Bersama, its company, or a secondary cooperative: it has member villages and/or member
    cooperatives (effective-dated), business sites and their figures. Its records belong to the area of
    its seat and to the federation itself (its director and staff hold their roles on it).
    """

    name = models.CharField(verbose_name=_("name"), max_length=200)
    kind = models.CharField(verbose_name=_("type"), max_length=24, choices=FederationKind.choices)
    seat = models.ForeignKey(verbose_name=_("seat (desa/kelurahan)"), to="wilayah.Region", on_delete=models.PROTECT,
                             related_name="+")
    bumdes = models.OneToOneField(
        verbose_name=_("BUM Desa Bersama"), to=Bumdes, on_delete=models.PROTECT, null=True, blank=True,
        related_name="federation", help_text=_("The registry entry of a federation that is a BUM Desa Bersama."),
    )
    parent = models.ForeignKey(
        verbose_name=_("owned by"), to="self", on_delete=models.PROTECT, null=True, blank=True,
        related_name="companies", help_text=_("For a company: the BUM Desa Bersama that owns it."),
    )
    legal_number = models.CharField(
        verbose_name=_("legal entity number"), max_length=100, blank=True,
        help_text=_("A company's SK pengesahan from the Minister of Law; a secondary cooperative's SK AHU. A BUM "
                    "Desa Bersama uses its registration certificate."),
    )
    legal_date = models.DateField(verbose_name=_("legal entity date"), null=True, blank=True)
    address = models.TextField(verbose_name=_("address"), blank=True)
    description = models.TextField(verbose_name=_("description"), blank=True)
    created_by = models.ForeignKey(
        verbose_name=_("recorded by"), to=settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
        blank=True, related_name="+",
    )
    created_at = models.DateTimeField(verbose_name=_("recorded at"), auto_now_add=True)
    updated_at = models.DateTimeField(verbose_name=_("updated at"), auto_now=True)

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    scope_path = "seat__code"
    scope_member_villages = False  # a federation's seat: see core.scoping
    scope_federation_path = "id"

    class Meta:
        ordering = ["name"]
        verbose_name = _("federation")
        verbose_name_plural = _("federations")
        constraints = [
            models.UniqueConstraint(Lower("name"), name="bumdes_federation_name_unique",
                                    violation_error_message=_("Another federation already has this name.")),
            models.CheckConstraint(
                condition=Q(kind=FederationKind.BUMDES_BERSAMA, bumdes__isnull=False)
                | (~Q(kind=FederationKind.BUMDES_BERSAMA) & Q(bumdes__isnull=True)),
                name="bumdes_federation_bumdes_matches_kind",
                violation_error_message=_("A federation that is a BUM Desa Bersama names its registry entry; "
                                          "others do not."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_legal_entity(self) -> bool:
        if self.kind == FederationKind.BUMDES_BERSAMA:
            return self.bumdes is not None and self.bumdes.is_legal_entity
        return bool(self.legal_number and self.legal_date)


class _Membership(models.Model):
    """A member's period in a federation: from ``joined_on`` until the day before ``left_on``."""

    federation = models.ForeignKey(verbose_name=_("federation"), to=Federation, on_delete=models.CASCADE,
                                   related_name="+")
    joined_on = models.DateField(verbose_name=_("joined on"))
    left_on = models.DateField(verbose_name=_("left on"), null=True, blank=True,
                               help_text=_("The first day it is no longer a member; empty while it is."))
    capital = models.BigIntegerField(verbose_name=_("capital share (Rp)"), default=0)
    note = models.CharField(verbose_name=_("note"), max_length=300, blank=True)

    objects = ScopedQuerySet.as_manager()

    scope_path = "federation__seat__code"
    scope_member_villages = False  # a federation's seat: see core.scoping
    scope_federation_path = "federation_id"

    class Meta:
        abstract = True

    def is_member_on(self, day) -> bool:
        return self.joined_on <= day and (self.left_on is None or self.left_on > day)


class FederationVillage(_Membership):
    """A desa/kelurahan's membership of a federation."""

    federation = models.ForeignKey(verbose_name=_("federation"), to=Federation, on_delete=models.CASCADE,
                                   related_name="member_villages")
    village = models.ForeignKey(verbose_name=_("desa/kelurahan"), to="wilayah.Region", on_delete=models.PROTECT,
                                related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["federation_id", "village_id", "joined_on"]
        verbose_name = _("member village")
        verbose_name_plural = _("member villages")
        constraints = [
            models.UniqueConstraint(fields=["federation", "village", "joined_on"],
                                    name="bumdes_federationvillage_unique"),
            models.CheckConstraint(condition=Q(left_on__isnull=True) | Q(left_on__gt=models.F("joined_on")),
                                   name="bumdes_federationvillage_period",
                                   violation_error_message=_("A member leaves after it joined.")),
            models.CheckConstraint(condition=Q(capital__gte=0), name="bumdes_federationvillage_capital_positive",
                                   violation_error_message=_("Capital cannot be negative.")),
        ]
        indexes = [models.Index(fields=["federation", "joined_on", "left_on"], name="bumdes_fedvillage_period")]

    def __str__(self):
        return f"{self.federation_id} {self.village_id}"


class FederationCooperative(_Membership):
    """A KDKMP's membership of a federation (e.g. of a secondary cooperative)."""

    federation = models.ForeignKey(verbose_name=_("federation"), to=Federation, on_delete=models.CASCADE,
                                   related_name="member_cooperatives")
    cooperative = models.ForeignKey(verbose_name=_("cooperative"), to="koperasi.Cooperative",
                                    on_delete=models.PROTECT, related_name="federation_memberships")

    history = HistoricalRecords()

    class Meta:
        ordering = ["federation_id", "cooperative_id", "joined_on"]
        verbose_name = _("member cooperative")
        verbose_name_plural = _("member cooperatives")
        constraints = [
            models.UniqueConstraint(fields=["federation", "cooperative", "joined_on"],
                                    name="bumdes_federationcooperative_unique"),
            models.CheckConstraint(condition=Q(left_on__isnull=True) | Q(left_on__gt=models.F("joined_on")),
                                   name="bumdes_federationcooperative_period",
                                   violation_error_message=_("A member leaves after it joined.")),
            models.CheckConstraint(condition=Q(capital__gte=0),
                                   name="bumdes_federationcooperative_capital_positive",
                                   violation_error_message=_("Capital cannot be negative.")),
        ]
        indexes = [models.Index(fields=["federation", "joined_on", "left_on"], name="bumdes_fedcoop_period")]

    def __str__(self):
        return f"{self.federation_id} {self.cooperative_id}"


class SiteKind(models.TextChoices):
    CLINIC = "clinic", _("Klinik pratama (clinic)")
    COWORKING = "coworking", _("Co-working space")
    FUEL = "fuel", _("Fuel outlet (Pertamini)")
    WAREHOUSE = "warehouse", _("Warehouse")
    SHOP = "shop", _("Shop")
    OTHER = "other", _("Other")


class SiteStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    PREPARING = "preparing", _("Preparing")
    OPERATING = "operating", _("Operating")
    CLOSED = "closed", _("Closed")


# The moves a site's status may make. A plan can be dropped (closed) or postponed back from preparing;
# an operating site can only close; a closed site can be prepared again (reopened).
SITE_TRANSITIONS: dict[str, frozenset[str]] = {
    SiteStatus.PLANNED: frozenset({SiteStatus.PREPARING, SiteStatus.CLOSED}),
    SiteStatus.PREPARING: frozenset({SiteStatus.PLANNED, SiteStatus.OPERATING, SiteStatus.CLOSED}),
    SiteStatus.OPERATING: frozenset({SiteStatus.CLOSED}),
    SiteStatus.CLOSED: frozenset({SiteStatus.PREPARING}),
}


class BusinessSite(models.Model):
    """One place where a federation runs (or plans) a business: a clinic, a co-working space, a fuel outlet, …"""

    federation = models.ForeignKey(verbose_name=_("federation"), to=Federation, on_delete=models.CASCADE,
                                   related_name="sites")
    kind = models.CharField(verbose_name=_("kind"), max_length=12, choices=SiteKind.choices)
    name = models.CharField(verbose_name=_("name"), max_length=150)
    village = models.ForeignKey(verbose_name=_("desa/kelurahan"), to="wilayah.Region", on_delete=models.PROTECT,
                                related_name="+")
    latitude = models.DecimalField(verbose_name=_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(verbose_name=_("longitude"), max_digits=9, decimal_places=6, null=True,
                                    blank=True)
    status = models.CharField(verbose_name=_("status"), max_length=10, choices=SiteStatus.choices,
                              default=SiteStatus.PLANNED)
    opened_on = models.DateField(verbose_name=_("opened on"), null=True, blank=True)
    closed_on = models.DateField(verbose_name=_("closed on"), null=True, blank=True)
    licence_number = models.CharField(verbose_name=_("operating licence number"), max_length=100, blank=True,
                                      help_text=_("A klinik pratama needs its operating licence before it opens."))
    licence_date = models.DateField(verbose_name=_("licence date"), null=True, blank=True)
    note = models.TextField(verbose_name=_("note"), blank=True)
    status_changed_at = models.DateTimeField(verbose_name=_("status changed at"), auto_now_add=True)
    created_at = models.DateTimeField(verbose_name=_("recorded at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()

    scope_path = "federation__seat__code"
    scope_member_villages = False  # a federation's seat: see core.scoping
    scope_federation_path = "federation_id"

    class Meta:
        ordering = ["federation_id", "kind", "name"]
        verbose_name = _("business site")
        verbose_name_plural = _("business sites")
        constraints = [
            models.UniqueConstraint(Lower("name"), "federation", name="bumdes_businesssite_name_unique",
                                    violation_error_message=_("The federation already has a site with this name.")),
        ]
        indexes = [models.Index(fields=["federation", "status"], name="bumdes_site_status")]

    def __str__(self):
        return self.name

    @property
    def needs_licence(self) -> bool:
        return self.kind == SiteKind.CLINIC


class SiteFigure(models.Model):
    """A site's operating figures for one month, in whole rupiah (and patients, for a clinic)."""

    site = models.ForeignKey(verbose_name=_("site"), to=BusinessSite, on_delete=models.CASCADE,
                             related_name="figures")
    month = models.DateField(verbose_name=_("month"), help_text=_("The first day of the month."))
    revenue = models.BigIntegerField(verbose_name=_("revenue (Rp)"), default=0)
    costs = models.BigIntegerField(verbose_name=_("operating costs (Rp)"), default=0)
    patients = models.PositiveIntegerField(verbose_name=_("patients"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        verbose_name=_("recorded by"), to=settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
        blank=True, related_name="+",
    )
    updated_at = models.DateTimeField(verbose_name=_("updated at"), auto_now=True)

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    scope_path = "site__federation__seat__code"
    scope_member_villages = False  # a federation's seat: see core.scoping
    scope_federation_path = "site__federation_id"

    class Meta:
        ordering = ["site_id", "-month"]
        verbose_name = _("monthly figures")
        verbose_name_plural = _("monthly figures")
        constraints = [
            models.UniqueConstraint(fields=["site", "month"], name="bumdes_sitefigure_one_per_month",
                                    violation_error_message=_("This month is already recorded for the site.")),
            models.CheckConstraint(condition=Q(revenue__gte=0) & Q(costs__gte=0),
                                   name="bumdes_sitefigure_amounts_positive",
                                   violation_error_message=_("Amounts cannot be negative.")),
        ]

    def __str__(self):
        return f"{self.site_id} {self.month:%Y-%m}"


# SECTION: cooperation between KDKMP and BUMDes


class AgreementKind(models.TextChoices):
    ASSET_USE = "asset_use", _("Use of assets (warehouse, gerai building, …)")
    SUPPLY = "supply", _("Supply of goods")
    CAPITAL = "capital", _("Capital")
    DISTRIBUTION = "distribution", _("Distribution and marketing")
    SERVICES = "services", _("Services")


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    ENDED = "ended", _("Ended")
    CANCELLED = "cancelled", _("Cancelled")


def _terms_path(instance, filename: str) -> str:
    # Random names: nothing the uploader typed reaches the file system.
    return f"agreements/{instance.cooperative_id}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class CooperationAgreement(models.Model):
    """
    An agreement between a KDKMP and a BUMDes or a federation. It becomes active only when both sides are
    legal entities: the cooperative has its SK AHU, the BUMDes its registration certificate.
    """

    cooperative = models.ForeignKey(verbose_name=_("cooperative"), to="koperasi.Cooperative",
                                    on_delete=models.PROTECT, related_name="agreements")
    bumdes = models.ForeignKey(verbose_name=_("BUMDes"), to=Bumdes, on_delete=models.PROTECT, null=True,
                               blank=True, related_name="agreements")
    federation = models.ForeignKey(verbose_name=_("federation"), to=Federation, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="agreements")
    kind = models.CharField(verbose_name=_("kind"), max_length=16, choices=AgreementKind.choices)
    title = models.CharField(verbose_name=_("subject"), max_length=200)
    starts_on = models.DateField(verbose_name=_("starts on"))
    ends_on = models.DateField(verbose_name=_("ends on"), null=True, blank=True)
    value = models.BigIntegerField(verbose_name=_("value (Rp)"), null=True, blank=True)
    status = models.CharField(verbose_name=_("status"), max_length=10, choices=AgreementStatus.choices,
                              default=AgreementStatus.DRAFT)
    terms_document = models.FileField(verbose_name=_("terms document"), upload_to=_terms_path,
                                      storage=private_storage, max_length=200, blank=True)
    terms_document_name = models.CharField(verbose_name=_("terms document name"), max_length=200, blank=True)
    note = models.TextField(verbose_name=_("note"), blank=True)
    activated_at = models.DateTimeField(verbose_name=_("activated at"), null=True, blank=True)
    created_by = models.ForeignKey(
        verbose_name=_("recorded by"), to=settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
        blank=True, related_name="+",
    )
    created_at = models.DateTimeField(verbose_name=_("recorded at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()

    scope_path = "cooperative__village__code"
    scope_federation_path = "federation_id"
    audit_hidden_fields = ("terms_document",)
    audit_reasons = {"expired": _("its end date passed")}

    class Meta:
        ordering = ["-starts_on", "-created_at"]
        verbose_name = _("cooperation agreement")
        verbose_name_plural = _("cooperation agreements")
        constraints = [
            models.CheckConstraint(
                condition=(Q(bumdes__isnull=False) & Q(federation__isnull=True))
                | (Q(bumdes__isnull=True) & Q(federation__isnull=False)),
                name="bumdes_agreement_one_partner",
                violation_error_message=_("An agreement is with one BUMDes or one federation."),
            ),
            models.CheckConstraint(condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                                   name="bumdes_agreement_period",
                                   violation_error_message=_("An agreement ends after it starts.")),
        ]

    def __str__(self):
        return self.title

    @property
    def partner(self):
        return self.bumdes if self.bumdes_id else self.federation
