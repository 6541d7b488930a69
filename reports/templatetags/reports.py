from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from reports.indicators import indicator
from reports.indicators import operational_indicator

register = template.Library()


@register.filter
def operational_at_least(row, k) -> int:
    return row.operational_at_least(int(k))


@register.filter
def operational_percent(row, k) -> float:
    return row.operational_percent(int(k))


@register.simple_tag
def indicator_line(row, code: str):
    """``<div>12,34 % of cooperatives</div>``: an indicator's percentage with its base, as the registry declares."""
    return _line(indicator(code), row, code)


def _line(item, row, key: str):
    text = _("%(percent)s of %(base)s") % {"percent": item.display(row), "base": item.base_label()}
    return format_html('<div class="muted small" data-indicator="{}">{}</div>', key, text)


@register.filter
def operational_line(row, k):
    return _line(operational_indicator(int(k)), row, "operational")


@register.simple_tag
def indicator_percent(row, code: str) -> str:
    """An indicator's percentage alone ("4,7 %"), as the registry rounds it."""
    return indicator(code).display(row)


@register.filter
def milestone(row, stage_code: str) -> int:
    """Cooperatives that completed this stage, whatever the order of their other milestones."""
    return row.stage_done(stage_code)


@register.filter
def operational_shown(row, k) -> str:
    return operational_indicator(int(k)).display(row)
