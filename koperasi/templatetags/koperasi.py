"""The cooperative panel shown on region pages (the region app stays unaware of cooperatives)."""

from django import template

from core.roles import Action
from core.scoping import Scope
from core.views import user_can
from koperasi.models import Cooperative
from koperasi.models import CooperativeVillage
from koperasi.selectors import review_queue

register = template.Library()


@register.inclusion_tag("koperasi/partials/region_panel.html", takes_context=True)
def cooperative_panel(context, region):
    user = context["request"].user
    visible = Cooperative.objects.for_user(user)
    if region.is_village:
        link = CooperativeVillage.objects.filter(village=region).select_related("cooperative").first()
        cooperative = link.cooperative if link and visible.filter(pk=link.cooperative_id).exists() else None
        return {"region": region, "cooperative": cooperative, "registered_elsewhere": link and not cooperative,
                "can_register": link is None and user_can(user, Action.EDIT_COOPERATIVE, region.code)}
    area = visible.within(Scope.of([region.code]))
    return {
        "region": region,
        "registered": area.count(),
        "completed": area.filter(formation_completed=True).count(),
        "awaiting": review_queue(user=user).qs.within(Scope.of([region.code])).count(),
    }
