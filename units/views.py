"""Updating a business unit's readiness, and adding local units."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from core.audit import audit_trail
from core.concurrency import etag_of
from core.concurrency import locked_version
from core.roles import Action
from koperasi.views import CooperativeObjectMixin

from . import services
from .forms import LocalUnitForm
from .forms import UnitForm

__all__ = ["LocalUnitCreateView", "UnitEditView"]


class UnitEditView(CooperativeObjectMixin, TemplateView):
    template_name = "units/unit_edit.html"
    scope_action = Action.EDIT_COOPERATIVE

    def get_unit(self):
        return get_object_or_404(self.cooperative.units.select_related("unit_type"), pk=self.kwargs["unit"])

    def get_context_data(self, **kwargs):
        unit = self.get_unit()
        kwargs.pop("unit", None)  # the URL's id; the context gets the object
        kwargs.setdefault("form", UnitForm(instance=unit, version=etag_of(unit)))
        return super().get_context_data(
            cooperative=self.cooperative, unit=unit, milestones=unit.milestones.all(),
            history=audit_trail(unit.history.all(), limit=30), **kwargs,
        )

    @transaction.atomic
    def post(self, request, *args, **kwargs):
        unit = self.get_unit()
        # Its changes are told from the row as it is now, so a form opened before someone else's save must not
        # be taken (their values would count as this user's changes): the version says so.
        form = UnitForm(request.POST, instance=self.get_unit(), version=locked_version(unit))
        if form.is_valid():
            ok, _unit = form.call_service(services.unit_update, actor=request.user, unit=unit,
                                          **{field: form.cleaned_data[field] for field in form.changed_data})
            if ok:
                messages.success(request, _("%(unit)s updated.") % {"unit": unit.display_name})
                return redirect("koperasi:detail", pk=self.cooperative.pk)
        return self.render_to_response(self.get_context_data(form=form))


class LocalUnitCreateView(CooperativeObjectMixin, TemplateView):
    template_name = "units/unit_add.html"
    scope_action = Action.EDIT_COOPERATIVE

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", LocalUnitForm())
        return super().get_context_data(cooperative=self.cooperative, **kwargs)

    def post(self, request, *args, **kwargs):
        form = LocalUnitForm(request.POST)
        if form.is_valid():
            ok, unit = form.call_service(services.unit_add_local, actor=request.user, cooperative=self.cooperative,
                                         **form.cleaned_data)
            if ok:
                messages.success(request, _("%(unit)s added.") % {"unit": unit.display_name})
                return redirect("koperasi:detail", pk=self.cooperative.pk)
        return self.render_to_response(self.get_context_data(form=form))
