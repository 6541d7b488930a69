"""
Charts drawn on the server as SVG, for the PDF report (WeasyPrint draws SVG; no browser runs there).
Numbers and dates on the axes follow the active language's formats (8.158; 12 Jun 2025).
"""

from datetime import date
from html import escape

from django.utils import formats

from core.formatting import grouped

__all__ = ["line_chart_svg", "stacked_bars_svg"]

PALETTE = ("#c9d1d9", "#9ecae1", "#6baed6", "#3182bd", "#08519c", "#1a7f37", "#8c959f")


def _number(value: float) -> str:
    return grouped(round(value))


def stacked_bars_svg(rows: list[tuple[str, list[int]]], series: list[str], *, width: int = 680) -> str:
    """One horizontal bar per row, split by series (e.g. units by readiness), with a legend."""
    label_width, bar_height, gap, legend_height = 170, 16, 8, 22
    total_max = max((sum(values) for _label, values in rows), default=0) or 1
    plot = width - label_width - 50
    height = legend_height + len(rows) * (bar_height + gap) + 10
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" font-family="DejaVu Sans, sans-serif" font-size="9">']
    x = 0
    for index, name in enumerate(series):
        parts.append(f'<rect x="{x}" y="2" width="10" height="10" fill="{PALETTE[index % len(PALETTE)]}"/>'
                     f'<text x="{x + 13}" y="11">{escape(str(name))}</text>')
        x += 16 + 6 * len(str(name))
    for row_index, (label, values) in enumerate(rows):
        y = legend_height + row_index * (bar_height + gap)
        parts.append(f'<text x="0" y="{y + 12}">{escape(str(label))}</text>')
        offset = label_width
        for index, value in enumerate(values):
            length = plot * value / total_max
            if length > 0:
                parts.append(f'<rect x="{offset:.1f}" y="{y}" width="{length:.1f}" height="{bar_height}" '
                             f'fill="{PALETTE[index % len(PALETTE)]}"/>')
            offset += length
        parts.append(f'<text x="{offset + 4:.1f}" y="{y + 12}">{_number(sum(values))}</text>')
    parts.append("</svg>")
    return "".join(parts)


def line_chart_svg(days: list[str], series: list[dict], *, target: float | None = None, due: str | None = None,
                   width: int = 680, height: int = 220) -> str:
    """
    Lines over days (``series``: dicts with ``values`` (None for gaps), ``color``, ``dashed``, ``label``),
    a horizontal target line and a vertical line at the due date.
    """
    left, right, top, bottom = 48, 10, 22, 24
    plot_width, plot_height = width - left - right, height - top - bottom
    values = [value for line in series for value in line["values"] if value is not None]
    top_value = max([*values, target or 0, 1])
    count = max(len(days) - 1, 1)

    def x_of(index: int) -> float:
        return left + plot_width * index / count

    def y_of(value: float) -> float:
        return top + plot_height * (1 - value / top_value)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" font-family="DejaVu Sans, sans-serif" font-size="9">']
    for step in range(5):
        value = top_value * step / 4
        y = y_of(value)
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#e1e4e8"/>'
                     f'<text x="{left - 4}" y="{y + 3:.1f}" text-anchor="end">{_number(value)}</text>')
    for index in sorted({0, len(days) // 2, len(days) - 1}):
        if 0 <= index < len(days):
            label = formats.date_format(date.fromisoformat(days[index]))
            parts.append(f'<text x="{x_of(index):.1f}" y="{height - 8}" text-anchor="middle">{label}</text>')
    if target:
        y = y_of(target)
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#b4121b" '
                     f'stroke-width="1"/>')
    if due and due in days:
        x = x_of(days.index(due))
        parts.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{top + plot_height}" stroke="#b4121b" '
                     f'stroke-dasharray="3 3"/>')
    legend_x = left
    for line in series:
        points = " ".join(f"{x_of(index):.1f},{y_of(value):.1f}" for index, value in enumerate(line["values"])
                          if value is not None)
        dash = ' stroke-dasharray="5 4"' if line.get("dashed") else ""
        if points:
            parts.append(f'<polyline points="{points}" fill="none" stroke="{line["color"]}" stroke-width="2"{dash}/>')
        parts.append(f'<line x1="{legend_x}" y1="8" x2="{legend_x + 14}" y2="8" stroke="{line["color"]}" '
                     f'stroke-width="2"{dash}/><text x="{legend_x + 18}" y="11">{escape(str(line["label"]))}</text>')
        legend_x += 30 + 6 * len(str(line["label"]))
    parts.append("</svg>")
    return "".join(parts)
