"""The official Kemendagri region tree (province → kabupaten/kota → kecamatan → desa/kelurahan)."""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.identifiers import REGION_CODE_PATTERN
from core.scoping import Scope
from core.scoping import ScopedQuerySet

__all__ = ["LEVELS_BY_DEPTH", "Region", "RegionKind", "RegionLevel", "ancestor_codes_of"]


def ancestor_codes_of(code: str) -> list[str]:
    """Codes of the ancestors of the region ``code``, from the province down to the parent (none for a province)."""
    parts = code.split(".")
    return [".".join(parts[:depth]) for depth in range(1, len(parts))]


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    REGENCY = "regency", _("Kabupaten/kota")
    DISTRICT = "district", _("Kecamatan")
    VILLAGE = "village", _("Desa/kelurahan")


# Levels in tree order; a code with n dotted segments is at LEVELS_BY_DEPTH[n - 1].
LEVELS_BY_DEPTH = (RegionLevel.PROVINCE, RegionLevel.REGENCY, RegionLevel.DISTRICT, RegionLevel.VILLAGE)


class RegionKind(models.TextChoices):
    KABUPATEN = "kabupaten", _("Kabupaten")
    KOTA = "kota", _("Kota")
    DESA = "desa", _("Desa")
    KELURAHAN = "kelurahan", _("Kelurahan")
    DESA_ADAT = "desa_adat", _("Desa adat")


class RegionQuerySet(ScopedQuerySet):
    def villages(self):
        return self.filter(level=RegionLevel.VILLAGE)

    def subtree(self, code: str):
        """The region ``code`` and everything below it (a prefix scan on the code index)."""
        return self.within(Scope.of([code]))


class Region(models.Model):
    """
    One administrative region, keyed by its dotted Kemendagri code.

    The code is a materialized path: the subtree of ``33.18`` is every code starting with
    ``33.18``. On PostgreSQL Django adds a ``varchar_pattern_ops`` index to this varchar primary
    key (the ``…_like`` index), which is what makes ``LIKE '33.18%'`` an index range scan under
    the server's non-C collation. Rows are written only by ``region_import`` from the official file.
    """

    code = models.CharField(
        verbose_name=_("code"),
        primary_key=True,
        max_length=13,
        validators=[RegexValidator(REGION_CODE_PATTERN, _("Enter a Kemendagri code such as 33.18.01.2001."))],
    )
    name = models.CharField(
        verbose_name=_("name"),
        max_length=100,
    )
    level = models.CharField(
        verbose_name=_("level"),
        max_length=10,
        choices=RegionLevel.choices,
    )
    kind = models.CharField(
        verbose_name=_("kind"),
        max_length=10,
        choices=RegionKind.choices,
        blank=True,
    )
    parent = models.ForeignKey(
        verbose_name=_("parent region"),
        to="self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        # A plain index (see Meta) is enough for "children of"; the automatic LIKE index is not needed.
        db_index=False,
    )
    child_count = models.PositiveIntegerField(
        verbose_name=_("number of child regions"),
        default=0,
    )
    village_count = models.PositiveIntegerField(
        verbose_name=_("number of desa/kelurahan"),
        default=0,
        help_text=_("Desa and kelurahan in this region's subtree (1 for a village itself)."),
    )
    kelurahan_count = models.PositiveIntegerField(
        verbose_name=_("number of kelurahan"),
        default=0,
        help_text=_("Kelurahan in this region's subtree (1 for a kelurahan itself); the rest of its villages are "
                    "desa."),
    )
    is_active = models.BooleanField(
        verbose_name=_("in the current official list"),
        default=True,
        help_text=_("Regions dropped from the official list are kept, inactive, so that their history survives."),
    )

    objects = RegionQuerySet.as_manager()
    history = HistoricalRecords()

    scope_path = "code"

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        indexes = [
            models.Index(fields=["parent"], name="wilayah_region_parent"),
            models.Index(fields=["level", "kind"], name="wilayah_region_level_kind"),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def ancestor_codes(self) -> list[str]:
        """Codes of the ancestors, from the province down to the parent."""
        return ancestor_codes_of(self.code)

    @property
    def is_village(self) -> bool:
        return self.level == RegionLevel.VILLAGE
