from django import template

register = template.Library()


@register.filter
def operational_at_least(row, k) -> int:
    return row.operational_at_least(int(k))


@register.filter
def operational_percent(row, k) -> float:
    return row.operational_percent(int(k))
