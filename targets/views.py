"""Target pages: each target with achieved, gap, days left, rates, projection and at-risk; split; stalled list."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView
from django.views.generic import TemplateView

from core.audit import audit_trail
from core.concurrency import etag_of
from core.concurrency import locked_version
from core.roles import Action
from core.scoping import Scope
from core.scoping import scope_for
from core.views import ActionRequiredMixin
from core.views import int_param
from core.views import user_can
from koperasi.selectors import stalled_cooperatives
from targets.selectors import target_rows

from . import services
from .forms import TargetEditForm
from .forms import TargetForm
from .models import Target
from .selectors import target_filter

__all__ = ["TargetCreateView", "TargetDetailView", "TargetListView"]

PER_PAGE = 25


class TargetListView(ActionRequiredMixin, TemplateView):
    template_name = "targets/target_list.html"

    def get_context_data(self, **kwargs):
        filters = {"region": self.request.GET.get("region", ""), "top_level": self.request.GET.get("top_level", "")}
        filterset = target_filter(user=self.request.user, filters=filters)
        page = Paginator(filterset.qs, PER_PAGE).get_page(self.request.GET.get("page"))
        return super().get_context_data(
            page=page, rows=target_rows(list(page)), filters=filters, filterset=filterset,
            window_days=settings.TARGET_RATE_WINDOW_DAYS,
            can_manage=not scope_for(self.request.user, Action.MANAGE_TARGETS).is_empty, **kwargs,
        )


class TargetCreateView(ActionRequiredMixin, FormView):
    template_name = "targets/target_form.html"
    form_class = TargetForm
    scope_action = Action.MANAGE_TARGETS

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "actor": self.request.user}

    def form_valid(self, form):
        data = form.cleaned_data
        ok, target = form.call_service(
            services.target_create,
            actor=self.request.user, region_code=data["region"].code, metric=data["metric"],
            stage_code=data["stage"] or None, unit_type_code=data["unit_type"] or None,
            unit_status=data["unit_status"], land_step=data["land_step"], target_count=data["target_count"],
            start_date=data["start_date"],
            due_date=data["due_date"], title=data["title"], notes=data["notes"],
        )
        if not ok:
            return self.form_invalid(form)
        messages.success(self.request, _("Target set."))
        return redirect("targets:detail", pk=target.pk)


class TargetDetailView(ActionRequiredMixin, TemplateView):
    """One target, its figures, the targets split from it, and the region's stalled cooperatives."""

    template_name = "targets/target_detail.html"

    def get_target(self) -> Target:
        return get_object_or_404(
            Target.objects.for_user(self.request.user).select_related("region", "stage", "unit_type", "parent"),
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs):
        target = self.get_target()
        can_manage = user_can(self.request.user, Action.MANAGE_TARGETS, target.region_id)
        if can_manage:
            kwargs.setdefault("form", TargetEditForm(initial={
                "title": target.title, "target_count": target.target_count, "start_date": target.start_date,
                "due_date": target.due_date, "notes": target.notes}, version=etag_of(target)))
        days = int_param(self.request, "days", settings.STALLED_AFTER_DAYS, 0, 3650)
        stalled = stalled_cooperatives(user=self.request.user, days=days).within(Scope.of([target.region_id]))
        children = target.children.select_related("region", "stage", "unit_type").order_by("region_id")
        row, *child_rows = target_rows([target, *children])
        return super().get_context_data(
            row=row, children=child_rows, window_days=settings.TARGET_RATE_WINDOW_DAYS,
            stalled=stalled[:50], stalled_count=stalled.count(), stalled_days=days,
            can_manage=can_manage, can_split=can_manage and services.target_can_split(target),
            history=audit_trail(target.history.all(), limit=20),
            **kwargs,
        )

    @transaction.atomic
    def post(self, request, *args, **kwargs):
        target = self.get_target()
        operation = request.POST.get("operation")
        if operation not in ("split", "delete"):
            form = TargetEditForm(request.POST, version=locked_version(target))
            if form.is_valid() and form.call_service(services.target_update, actor=request.user, target=target,
                                                     **form.cleaned_data)[0]:
                messages.success(request, _("Target updated."))
                return redirect("targets:detail", pk=target.pk)
            return self.render_to_response(self.get_context_data(form=form))
        try:
            if operation == "split":
                created = services.target_split(actor=request.user, target=target)
                messages.success(request, _("Split into %(count)d targets.") % {"count": len(created)})
            else:
                services.target_delete(actor=request.user, target=target)
                messages.success(request, _("Target deleted."))
                return redirect("targets:list")
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return redirect("targets:detail", pk=target.pk)
