from html import escape

from django import template
from django.template.defaultfilters import timesince_filter
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from core.formatting import NumberFormat
from reports.indicators import INDICATORS
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


_CHILD_ROW = ('<tr><td>{name} <span class="muted small">{code}</span></td><td class="num">{}</td>'
              '<td class="num">{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td>'
              '<td class="num">{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td></tr>')
_CHILD_LINK = '<a href="{}">{}</a>'


@register.simple_tag
def children_rows(rows, k, as_of=None):
    """
    The rows of a dashboard's table by area (``reports/partials/children_table.html`` has its head), written in
    Python: through the template engine a province's 35 rows took ~8 ms (~200 µs a row, most of it looking up
    names and the language), and a page whose areas changed is drawn again every refresh floor while officers
    save across the country. Every value is escaped as the template did (``html.escape``, as Django's).
    """
    rows = list(rows)
    if not rows:
        return ""
    numbers = NumberFormat.active()
    operational = operational_indicator(int(k))
    covered, legal = indicator("villages_with_cooperative"), indicator("legal_entity_villages")
    link = None  # the dashboard's URL around a code, from one reverse: the code appears once, at its end
    html = []
    for row in rows:
        code, name = escape(row.code), escape(str(row.name))
        if row.reachable:
            if link is None:
                head, tail = reverse("reports:dashboard-area", args=[row.code]).rsplit(row.code, 1)
                link = (head, tail + (f"?as_of={as_of:%Y-%m-%d}" if as_of else ""))
            name = _CHILD_LINK.format(escape(f"{link[0]}{row.code}{link[1]}"), name)
        cells = (numbers.grouped(row.villages), numbers.grouped(row.cooperatives), covered.display(row, numbers),
                 legal.display(row, numbers), operational.display(row, numbers), numbers.grouped(row.members),
                 numbers.grouped(row.visits_30d), numbers.grouped(row.stalled), numbers.grouped(row.awaiting_review))
        html.append(_CHILD_ROW.format(*(escape(cell) for cell in cells), name=name, code=code))
    return mark_safe("".join(html))  # noqa: S308 - every value escaped above


# The dashboard's other tables, written the same way as ``children_rows`` and for the same reason: a kabupaten's page
# is drawn again every refresh floor while its villages save, and through the template engine these ~30 rows of
# numbers took ~1 ms of its ~15. Also the federation dashboard's and the PDF reports' tables.
_INDICATOR_ROW = ('<tr data-indicator="{}"><td>{}</td><td class="num">{}</td><td class="num">{} '
                  '<span class="muted small">{}</span></td><td class="num">{}</td></tr>')
_NUMBER_CELL = '<td class="num">{}</td>'
_LABELLED_ROW = "<tr><td>{}</td>{}</tr>"


@register.simple_tag
def indicator_rows(row):
    """
    The indicators table's rows: each published indicator's count, base count and base, and percentage; the same
    registry, in the same order, as ``AreaRow.indicators`` gives the API and the exports.
    """
    numbers = NumberFormat.active()
    return mark_safe("".join(  # noqa: S308 - every value escaped
        _INDICATOR_ROW.format(escape(item.code), escape(str(item.label)), escape(numbers.grouped(item.count(row))),
                              escape(numbers.grouped(item.base_count(row))), escape(str(item.base_label())),
                              escape(item.display(row, numbers)))
        for item in INDICATORS))


@register.simple_tag
def unit_matrix_rows(row):
    """The seven-unit readiness table's rows: per unit, its cooperatives in each status."""
    numbers = NumberFormat.active()
    return mark_safe("".join(  # noqa: S308 - every value escaped
        _LABELLED_ROW.format(escape(str(item["label"])),
                             "".join(_NUMBER_CELL.format(escape(numbers.grouped(count))) for count in item["counts"]))
        for item in row.unit_matrix()))


@register.simple_tag
def stage_rows(row):
    """The formation stages table's rows: cooperatives whose furthest stage is each."""
    numbers = NumberFormat.active()
    return mark_safe("".join(  # noqa: S308 - every value escaped
        _LABELLED_ROW.format(escape(str(stage["label"])), _NUMBER_CELL.format(escape(numbers.grouped(stage["count"]))))
        for stage in row.stages()))


_QUIET_ITEM = '<li><a href="{}">{}</a> <span class="muted small">{}</span></li>'


@register.simple_tag
def quiet_cooperative_items(cooperatives):
    """
    The dashboard's follow-up card: each cooperative without updates, linked, with how long it has been quiet. One
    reverse for the links (each took ~40 µs; the card lists ten).
    """
    link = None
    items = []
    for cooperative in cooperatives:
        pk = str(cooperative.pk)
        if link is None:  # the detail page's URL around a primary key: the key appears once, at its end
            link = reverse("koperasi:detail", args=[cooperative.pk]).rsplit(pk, 1)
        items.append(_QUIET_ITEM.format(escape(f"{link[0]}{pk}{link[1]}"), escape(str(cooperative.name)),
                                        escape(timesince_filter(cooperative.last_activity_at))))
    return mark_safe("".join(items))  # noqa: S308 - every value escaped
