"""
How the apps above reports add to an area's dashboard, its PDF progress report and its table exports.

``reports`` owns the roll-up and the dashboard built from it. Apps that read the roll-up for objects
of their own (``targets``: achieved against due dates) stand above it and add their parts here from
their ``AppConfig.ready()``, so ``reports`` never imports them. Entries are keyed by name, so
registering a name again replaces the entry.
"""

from collections.abc import Callable
from dataclasses import dataclass

__all__ = [
    "Section",
    "dashboard_parameters",
    "dashboard_sections",
    "export_table",
    "export_table_kinds",
    "register_dashboard_section",
    "register_export_table",
    "register_report_section",
    "report_sections",
]


@dataclass(frozen=True)
class Section:
    """A part of a page, rendered from ``template_name`` with ``data`` beside the page's own context."""

    template_name: str
    data: dict


@dataclass(frozen=True)
class _SectionEntry:
    template_name: str
    context: Callable[..., dict]
    order: int
    parameters: tuple[str, ...] = ()


_dashboard_sections: dict[str, _SectionEntry] = {}
_report_sections: dict[str, _SectionEntry] = {}


def _sorted(entries: dict[str, _SectionEntry]) -> list[_SectionEntry]:
    return [entry for _name, entry in sorted(entries.items(), key=lambda item: (item[1].order, item[0]))]


def register_dashboard_section(
    name: str, *, template_name: str, context: Callable[..., dict], order: int = 100,
    parameters: tuple[str, ...] = (),
) -> None:
    """
    Add a card to the area dashboard: ``context(user=, board=, query=)`` returns its data, where
    ``query`` holds only the page parameters (``parameters`` names the ones this card reads). Data with
    a true ``chart`` makes the page load the chart library. The card's HTML is cached with the page, per
    scope, so it may depend on nothing but the user's scope, the board and those parameters.
    """
    _dashboard_sections[name] = _SectionEntry(template_name, context, order, parameters)


def dashboard_sections(*, user, board, query) -> list[Section]:
    return [Section(entry.template_name, entry.context(user=user, board=board, query=query))
            for entry in _sorted(_dashboard_sections)]


def dashboard_parameters() -> tuple[str, ...]:
    """The query parameters the registered dashboard cards read."""
    return tuple(parameter for entry in _sorted(_dashboard_sections) for parameter in entry.parameters)


def register_report_section(name: str, *, template_name: str, context: Callable[..., dict], order: int = 100) -> None:
    """Add a part to the PDF progress report: ``context(user=, board=)`` returns its data."""
    _report_sections[name] = _SectionEntry(template_name, context, order)


def report_sections(*, user, board) -> list[Section]:
    return [Section(entry.template_name, entry.context(user=user, board=board)) for entry in _sorted(_report_sections)]


@dataclass(frozen=True)
class _ExportTable:
    label: str
    rows: Callable


_export_tables: dict[str, _ExportTable] = {}


def register_export_table(kind: str, *, label, rows: Callable) -> None:
    """
    Make ``kind`` exportable as CSV and XLSX: ``rows(user, code, params, progress)`` returns the header
    and the rows, read through the user's scope like the dashboard.
    """
    _export_tables[kind] = _ExportTable(label=label, rows=rows)


def export_table(kind: str) -> _ExportTable | None:
    return _export_tables.get(kind)


def export_table_kinds() -> tuple[str, ...]:
    return tuple(_export_tables)
