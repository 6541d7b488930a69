"""The landing page: each persona starts the day from what needs them."""

from django.utils import timezone
from django.views.generic import TemplateView

from accounts.selectors import user_assignments
from core.roles import Action
from core.roles import Role
from core.scoping import scope_for
from core.views import ActionRequiredMixin
from reports.selectors import freshness
from wilayah.models import Region
from wilayah.models import RegionLevel

from .selectors import officer_day
from .selectors import overview
from .selectors import village_day

__all__ = ["HomeView"]


class HomeView(ActionRequiredMixin, TemplateView):
    """
    Officers of a kabupaten/kota or kecamatan see their day's work; village staff their cooperative;
    national and province users (and federation directors) the figures of their area.
    """

    template_name = "home.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        scope = scope_for(user)
        assignments = user_assignments(user)
        roles = {assignment.role for assignment in assignments}
        context = {"assignments": assignments, "national": scope.everything, "today": timezone.localdate()}
        roots = [] if scope.everything else list(Region.objects.filter(code__in=scope.roots).order_by("code"))
        if roles & {Role.KABUPATEN_OFFICER, Role.KECAMATAN_OFFICER}:
            context["persona"], context["day"] = "officer", officer_day(user=user)
        elif roles == {Role.VILLAGE_STAFF} and len(roots) == 1 and roots[0].level == RegionLevel.VILLAGE:
            context["persona"], context["village_day"] = "village", village_day(user=user, village=roots[0])
        else:
            context["persona"] = "overview"
            context["area"], context["worst"] = overview(user=user)
            context["freshness"] = freshness()  # the figures come from the roll-up: say how current they are
            context["areas"] = roots
            context["can_verify"] = not scope_for(user, Action.VERIFY_STAGES).is_empty
        return super().get_context_data(**context, **kwargs)
