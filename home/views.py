"""The landing page: each persona starts the day from their own area."""

from django.shortcuts import redirect
from django.views.generic import TemplateView

from accounts.selectors import user_assignments
from core.scoping import scope_for
from core.views import ActionRequiredMixin
from koperasi.models import Cooperative
from wilayah.models import Region

__all__ = ["HomeView"]


class HomeView(ActionRequiredMixin, TemplateView):
    """Sends each persona to their scope: straight there when they have one area, else a chooser."""

    template_name = "home.html"

    def get(self, request, *args, **kwargs):
        scope = scope_for(request.user)
        if not scope.everything and len(scope.roots) == 1:
            root = next(iter(scope.roots))
            cooperative = Cooperative.objects.for_user(request.user).filter(villages__village_id=root).first()
            if cooperative:  # village staff go straight to their cooperative
                return redirect("koperasi:detail", pk=cooperative.pk)
            return redirect("wilayah:detail", code=root)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        scope = scope_for(self.request.user)
        return super().get_context_data(
            national=scope.everything,
            areas=Region.objects.filter(code__in=scope.roots).order_by("code"),
            assignments=user_assignments(self.request.user),
            **kwargs,
        )
