"""Abstract building blocks shared by the apps' models (no tables of its own)."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

__all__ = ["BilingualNameMixin", "in_active_language"]


def in_active_language(indonesian: str, english: str) -> str:
    """Catalogue text kept in both languages: the one the user reads in."""
    return english if (get_language() or "id").startswith("en") else indonesian


class BilingualNameMixin(models.Model):
    """Catalogue rows (stages, document and unit types) are data, so their labels carry both languages."""

    name = models.CharField(verbose_name=_("name (Indonesian)"), max_length=120)
    name_en = models.CharField(verbose_name=_("name (English)"), max_length=120)

    class Meta:
        abstract = True

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return in_active_language(self.name, self.name_en)
