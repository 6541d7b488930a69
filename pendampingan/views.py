"""Assistance visits: today's and overdue follow-ups, the visit log, and area coordinators per kecamatan."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from accounts.models import RoleAssignment
from core.roles import Action
from core.roles import Role
from core.views import ActionRequiredMixin
from core.views import posted_object
from wilayah.models import Region
from wilayah.models import RegionLevel

from . import services
from .filtersets import DistrictFilterSet
from .forms import VisitForm
from .models import Visit
from .selectors import follow_ups_due
from .selectors import visit_filter

__all__ = ["CoordinatorListView", "VisitListView"]

PER_PAGE = 50
FOLLOW_UPS_SHOWN = 20  # the oldest first; the rest wait on the next visit to the page


class VisitListView(ActionRequiredMixin, TemplateView):
    template_name = "pendampingan/visit_list.html"
    scope_action = Action.LOG_VISITS

    def get_context_data(self, **kwargs):
        user = self.request.user
        everyone = self.request.GET.get("all") == "1"
        kwargs.setdefault("form", VisitForm(actor=user, initial={
            "visited_on": timezone.localdate(), "village": self.request.GET.get("village", "")}))
        follow_ups = follow_ups_due(user=user, mine_only=not everyone)
        filterset = visit_filter(request=self.request, filters=self.request.GET)
        return super().get_context_data(
            today=timezone.localdate(),
            follow_ups=follow_ups[:FOLLOW_UPS_SHOWN], follow_ups_count=follow_ups.count(),
            everyone=everyone, filterset=filterset,
            page=Paginator(filterset.qs, PER_PAGE).get_page(self.request.GET.get("page")),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if request.POST.get("operation") == "done":
            visit = posted_object(Visit.objects.for_user(request.user), request, "visit")
            try:
                services.visit_follow_up_done(actor=request.user, visit=visit)
                messages.success(request, _("Follow-up closed."))
            except (ValidationError, PermissionDenied) as error:
                messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
            return redirect("pendampingan:list")
        form = VisitForm(request.POST, actor=request.user)
        if form.is_valid():
            data = dict(form.cleaned_data)
            village = data.pop("village")
            ok, _visit = form.call_service(services.visit_log, actor=request.user, village_code=village.code, **data)
            if ok:
                messages.success(request, _("Visit logged."))
                return redirect("pendampingan:list")
        return self.render_to_response(self.get_context_data(form=form))


class CoordinatorListView(ActionRequiredMixin, TemplateView):
    """Each kecamatan of the user's area with its area coordinators (kecamatan officer role)."""

    template_name = "pendampingan/coordinators.html"
    scope_action = Action.MANAGE_USERS

    def get_context_data(self, **kwargs):
        districts = (Region.objects.for_user(self.request.user, Action.MANAGE_USERS)
                     .filter(level=RegionLevel.DISTRICT).select_related("parent"))
        filterset = DistrictFilterSet(self.request.GET, districts, user=self.request.user)
        page = Paginator(filterset.qs.order_by("code"), PER_PAGE).get_page(self.request.GET.get("page"))
        coordinators: dict[str, list] = {}
        for assignment in RoleAssignment.objects.filter(
            role=Role.KECAMATAN_OFFICER, region_id__in=[d.code for d in page], user__is_active=True
        ).select_related("user"):
            coordinators.setdefault(assignment.region_id, []).append(assignment.user)
        rows = [(district, coordinators.get(district.code, [])) for district in page]
        return super().get_context_data(page=page, rows=rows, filterset=filterset, **kwargs)
