"""Assistance visits (pendampingan) by officers to villages and their cooperatives."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.scoping import ScopedQuerySet

__all__ = ["Visit"]


class Visit(models.Model):
    """One visit: who went where, what was discussed and agreed, and when to follow up."""

    village = models.ForeignKey(
        verbose_name=_("desa/kelurahan"), to="wilayah.Region", on_delete=models.PROTECT, related_name="+"
    )
    cooperative = models.ForeignKey(
        verbose_name=_("cooperative"), to="koperasi.Cooperative", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="visits",
    )
    officer = models.ForeignKey(
        verbose_name=_("officer"), to=settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="visits"
    )
    visited_on = models.DateField(verbose_name=_("visit date"))
    participants = models.TextField(verbose_name=_("participants"), blank=True)
    topic = models.CharField(verbose_name=_("topic"), max_length=200)
    outcome = models.TextField(verbose_name=_("outcome"), blank=True)
    next_step = models.TextField(verbose_name=_("next step"), blank=True)
    follow_up_on = models.DateField(verbose_name=_("follow-up date"), null=True, blank=True)
    follow_up_done_at = models.DateTimeField(verbose_name=_("follow-up done at"), null=True, blank=True)
    created_at = models.DateTimeField(verbose_name=_("logged at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()

    scope_path = "village__code"

    class Meta:
        ordering = ["-visited_on", "-created_at"]
        verbose_name = _("assistance visit")
        verbose_name_plural = _("assistance visits")
        indexes = [
            models.Index(fields=["follow_up_on"], name="pendampingan_visit_follow_up",
                         condition=models.Q(follow_up_done_at__isnull=True)),
            models.Index(fields=["village", "visited_on"], name="pendampingan_visit_village"),
        ]

    def __str__(self):
        return f"{self.visited_on} {self.topic}"
