"""
How the apps above reports add to an area's dashboard, its PDF progress report and its table exports.

``reports`` owns the roll-up and the dashboard built from it. Apps that read the roll-up for objects
of their own (``targets``: achieved against due dates) stand above it and add their parts here from
their ``AppConfig.ready()``, so ``reports`` never imports them. Entries are keyed by name, so
registering a name again replaces the entry.
"""

from collections.abc import Callable
from dataclasses import dataclass

from core.sections import Section
from core.sections import SectionRegistry

__all__ = [
    "dashboard_parameters",
    "dashboard_sections",
    "export_table",
    "export_table_kinds",
    "register_dashboard_section",
    "register_export_table",
    "register_report_section",
    "report_sections",
]


_dashboard = SectionRegistry()
_report = SectionRegistry()


def register_dashboard_section(
    name: str, *, template_name: str, context: Callable[..., dict], order: int = 100,
    parameters: tuple[str, ...] = (),
) -> None:
    """
    Add a card to the area dashboard: ``context(user=, board=, query=)`` returns its data, where
    ``query`` holds only the page parameters (``parameters`` names the ones this card reads). Data with
    a true ``chart`` makes the page load the chart library. The card's HTML is cached with the page and shown to
    everyone who may see the whole area, so it may depend on nothing but the board and those parameters: ``user``
    serves to read rows through the scoping mechanism, which inside the area gives every such reader the same rows
    (never a right other than viewing, which differs between them).
    """
    _dashboard.register(name, template_name=template_name, context=context, order=order, parameters=parameters)


def dashboard_sections(*, user, board, query) -> list[Section]:
    return _dashboard.sections(user=user, board=board, query=query)


def dashboard_parameters() -> tuple[str, ...]:
    """The query parameters the registered dashboard cards read."""
    return _dashboard.parameters()


def register_report_section(name: str, *, template_name: str, context: Callable[..., dict], order: int = 100) -> None:
    """Add a part to the PDF progress report: ``context(user=, board=)`` returns its data."""
    _report.register(name, template_name=template_name, context=context, order=order)


def report_sections(*, user, board) -> list[Section]:
    return _report.sections(user=user, board=board)


@dataclass(frozen=True)
class _ExportTable:
    label: str
    rows: Callable
    file_name: str


_export_tables: dict[str, _ExportTable] = {}


def register_export_table(kind: str, *, label, rows: Callable, file_name: str) -> None:
    """
    Make ``kind`` exportable as CSV and XLSX: ``rows(user, code, params, progress)`` returns the header
    and the rows, read through the user's scope like the dashboard; ``file_name`` starts the (Indonesian)
    name of the file, e.g. "target".
    """
    _export_tables[kind] = _ExportTable(label=label, rows=rows, file_name=file_name)


def export_table(kind: str) -> _ExportTable | None:
    return _export_tables.get(kind)


def export_table_kinds() -> tuple[str, ...]:
    return tuple(_export_tables)
