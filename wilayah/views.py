"""The region browser: province → kabupaten/kota → kecamatan → desa/kelurahan, within the user's scope."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView

from core.audit import audit_trail
from core.roles import Action
from core.scoping import scope_for
from core.views import ActionRequiredMixin

from .models import Region
from .models import RegionLevel
from .selectors import region_ancestors
from .selectors import region_choice_label
from .selectors import region_list
from .selectors import region_scope_roots
from .selectors import region_suggestions

__all__ = ["RegionDetailView", "RegionOptionsView", "RegionRootView", "RegionSearchView"]

CHILDREN_PER_PAGE = 50
SEARCH_RESULTS_PER_PAGE = 25


class RegionRootView(ActionRequiredMixin, TemplateView):
    """Where browsing starts: all provinces for national users, otherwise the user's own regions."""

    template_name = "wilayah/region_root.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(roots=region_scope_roots(user=self.request.user), **kwargs)


class RegionDetailView(ActionRequiredMixin, TemplateView):
    template_name = "wilayah/region_detail.html"

    def get_context_data(self, code, **kwargs):
        user = self.request.user
        region = get_object_or_404(Region.objects.for_user(user), code=code)
        scope = scope_for(user)
        children = Paginator(region_list(user=user, filters={"parent": region.code}), CHILDREN_PER_PAGE)
        return super().get_context_data(
            region=region,
            breadcrumbs=[(ancestor, scope.contains(ancestor.code)) for ancestor in region_ancestors(region)],
            children=children.get_page(self.request.GET.get("page")),
            history=audit_trail(region.history.all(), limit=20),
            **kwargs,
        )


class RegionSearchView(ActionRequiredMixin, TemplateView):
    """Search by name or code inside the user's scope; answers a fragment to htmx, a full page otherwise."""

    def get_template_names(self):
        if self.request.htmx:
            return ["wilayah/partials/search_results.html"]
        return ["wilayah/region_search.html"]

    def get_context_data(self, **kwargs):
        query = self.request.GET.get("q", "").strip()
        filters = {"q": query}
        if self.request.GET.get("within"):
            filters["code_prefix"] = self.request.GET["within"]
        results = region_list(user=self.request.user, filters=filters) if query else Region.objects.none()
        page = Paginator(results, SEARCH_RESULTS_PER_PAGE).get_page(self.request.GET.get("page"))
        return super().get_context_data(query=query, results=page, within=filters.get("code_prefix", ""), **kwargs)


class RegionOptionsView(ActionRequiredMixin, TemplateView):
    """
    Suggestions for a region picker (``<option>`` elements of its ``<datalist>``, refreshed by htmx):
    regions inside the user's scope for ``action``, of ``levels`` (comma-separated; any when absent),
    matching the text in the parameter named by ``param`` (the picker's own field name).
    """

    template_name = "wilayah/partials/region_options.html"

    def get_context_data(self, **kwargs):
        get = self.request.GET
        text = get.get(get.get("param", "q"), "").replace("\x00", "").strip()[:100]
        action = get.get("action", "")
        action = Action(action) if action in {member.value for member in Action} else Action.VIEW
        levels = [level for level in get.get("levels", "").split(",") if level in RegionLevel.values]
        regions = Region.objects.for_user(self.request.user, action)
        regions = regions.filter(is_active=True, **({"level__in": levels} if levels else {}))
        options = [region_choice_label(region) for region in region_suggestions(regions, text)]
        return super().get_context_data(options=options, **kwargs)
