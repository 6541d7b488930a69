from decimal import Decimal

from django import template
from django.contrib.humanize.templatetags.humanize import intword
from django.utils.http import urlencode

from core.formatting import grouped

register = template.Library()


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """
    The current query string with some parameters replaced (for pagination and sorting links). A
    page whose content is shared between requests puts the parameters it reads in ``page_query``.
    """
    params = (context["page_query"] if "page_query" in context else context["request"].GET).copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + urlencode(sorted(params.lists()), doseq=True) if params else "?"


@register.simple_tag(takes_context=True)
def query_with_page(context, number) -> str:
    """
    ``query_with`` for a page number, under the name the list reads it from (``page_param``, "page" by default:
    a page showing two long lists pages through each on its own), opening at the list (``page_anchor``).
    """
    link = query_with(context, **{context.get("page_param") or "page": number})
    return link + (f"#{context['page_anchor']}" if context.get("page_anchor") else "")


@register.filter
def get_item(mapping, key):
    """``mapping[key]`` in a template (empty when absent), e.g. the split parts of a target by its id."""
    return mapping.get(key, ()) if hasattr(mapping, "get") else ()


@register.filter(is_safe=True)
def number(value) -> str:
    """A number with its thousands grouped as the reader's language writes them (8.158; 8,158): ``intcomma``, faster."""
    return grouped(value)


@register.filter(is_safe=True)
def rupiah(value) -> str:
    """An amount in whole rupiah as the reader's language groups it, kept on one line: "Rp 1.250.000"."""
    return "Rp\u00a0" + grouped(value) if value is not None else "—"


@register.filter(is_safe=True)
def amount_in_words(value) -> str:
    """
    A headline amount: from a million in words as the reader's language writes them (1,2 juta; 1.2 million),
    below it grouped (600.000), where ``intword`` would leave the bare digits (600000).
    """
    if value is None:
        return "—"
    if isinstance(value, int | Decimal) and abs(value) < 1_000_000:
        return grouped(value)
    return intword(value)
