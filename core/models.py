"""
Abstract building blocks shared by the apps' models, and the two tables of the portal's own machinery:
work handed to the queue that must survive the queue being down (``DirtyVillage``, ``OutboxTask``).
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

__all__ = ["BackdatedVillage", "BilingualNameMixin", "DirtyVillage", "OutboxTask", "in_active_language"]


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


class DirtyVillage(models.Model):
    """
    A village whose roll-up refresh could not be queued (Redis unreachable when its change committed).
    ``core.changes`` moves these rows into the Redis queue once Redis answers again; until then the
    dashboards say their figures are pending.
    """

    code = models.CharField(verbose_name=_("village code"), max_length=20, primary_key=True)
    since = models.DateTimeField(verbose_name=_("changed since"), default=timezone.now)

    class Meta:
        verbose_name = _("village awaiting a roll-up refresh")
        verbose_name_plural = _("villages awaiting a roll-up refresh")

    def __str__(self):
        return self.code


class BackdatedVillage(models.Model):
    """
    A village where a fact with a past event date was recorded (a stage completed, a unit milestone, a member
    joining, a visit): the daily snapshots from ``since`` to yesterday no longer tell what happened. The
    snapshot rebuild (reports) reads this queue, rebuilds the snapshots of those days for the village's
    ancestors only, and deletes the row.
    """

    code = models.CharField(verbose_name=_("village code"), max_length=20, primary_key=True)
    since = models.DateField(verbose_name=_("earliest day affected"))

    class Meta:
        verbose_name = _("village with backdated facts")
        verbose_name_plural = _("villages with backdated facts")

    def __str__(self):
        return f"{self.code} {self.since}"


class OutboxTask(models.Model):
    """
    A task written in the same transaction as the change that needs it (a transactional outbox): it is
    handed to the broker after the commit and deleted once the broker took it, or, if the broker was
    down, by the delivery job that runs every minute. The task must be safe to run twice.
    """

    task = models.CharField(verbose_name=_("task"), max_length=200)
    args = models.JSONField(verbose_name=_("arguments"), default=list)
    created_at = models.DateTimeField(verbose_name=_("created"), default=timezone.now, db_index=True)
    attempts = models.PositiveIntegerField(verbose_name=_("failed attempts"), default=0)
    last_error = models.CharField(verbose_name=_("last error"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("queued task")
        verbose_name_plural = _("queued tasks")

    def __str__(self):
        return f"{self.task}{tuple(self.args)}"
