"""
What an import kind is: its columns (the template) and how it checks and writes one row. The engine in
``services`` reads the file, feeds each row to the kind and counts the outcomes; a kind keeps its rules in
the services of its own app (members, koperasi, simpanan) and calls them.
"""

from abc import ABC
from abc import abstractmethod
from dataclasses import dataclass
from dataclasses import field
from typing import IO

from core.roles import Action

from .readers import Column

__all__ = [
    "ERROR",
    "NEW",
    "UNCHANGED",
    "UPDATED",
    "ImportKindBase",
    "RowOutcome",
    "import_kind",
    "import_kinds",
    "register_import_kind",
]

NEW, UNCHANGED, UPDATED, ERROR = "new", "unchanged", "updated", "errors"


@dataclass
class RowOutcome:
    action: str
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column key, message)

    @classmethod
    def failed(cls, errors: dict[str, list[str]] | list[tuple[str, str]]) -> "RowOutcome":
        if isinstance(errors, dict):
            errors = [(key, str(message)) for key, messages in errors.items() for message in messages]
        return cls(ERROR, errors)


class ImportKindBase(ABC):
    """
    One kind of import. ``start`` prepares a run (reads what the rows are compared with, takes locks when
    writing), ``check`` checks one row and, unless ``dry_run``, writes it (or buffers it), ``finish``
    writes what is buffered. The engine runs all of it inside one transaction.
    """

    do_not_call_in_templates = True  # templates list the kind classes themselves
    kind: str = ""
    order = 0  # in the kind choice, the first is preselected
    label = ""
    columns: tuple[Column, ...] = ()
    action: Action = Action.EDIT_COOPERATIVE
    needs_cooperative = True
    # Kinds whose rows are written by a service one by one check a row by writing it in a savepoint; their
    # dry run writes too, and the engine rolls the whole run back.
    writes_in_dry_run = False

    def __init__(self, *, job, actor, dry_run: bool):
        self.job, self.actor, self.dry_run = job, actor, dry_run

    def start(self) -> None:  # noqa: B027 - optional hook: most kinds need no preparation
        """Prepare a run: read what the rows are compared with, take locks when writing."""

    @abstractmethod
    def check(self, number: int, values: dict) -> RowOutcome:
        """The outcome of row ``number`` (its values by column key); written too unless ``dry_run``."""

    # A kind may also define ``check_cells(number, cells)``: ``check`` of a row given as its cells in the order of
    # ``columns``; the engine calls it instead of ``check`` when the file has every column.

    def finish(self) -> None:  # noqa: B027 - optional hook: kinds that write row by row buffer nothing
        """Write what ``check`` buffered."""

    # Kinds that keep what their dry run checked: ``checked_rows`` (after a dry run) gives a file of the rows
    # ready to write and ``checked_token()``; the import later calls ``start`` and, while ``checked_token()``
    # still gives the same token (nothing the rows were checked against has changed), ``commit_checked(handle)``
    # and ``finish`` instead of checking every row again. A kind that keeps nothing (``checked_rows`` None, the
    # default) leaves no kept file, so the engine never asks it to ``commit_checked``.

    def checked_rows(self) -> tuple[IO, str] | None:
        return None

    def checked_token(self) -> str:
        return ""

    @classmethod
    def column(cls, key: str) -> Column:
        return next(column for column in cls.columns if column.key == key)


_KINDS: dict[str, type[ImportKindBase]] = {}


def register_import_kind(kind_class: type[ImportKindBase]) -> type[ImportKindBase]:
    _KINDS[kind_class.kind] = kind_class
    return kind_class


def import_kind(kind: str) -> type[ImportKindBase]:
    return _KINDS[kind]


def import_kinds() -> list[type[ImportKindBase]]:
    return sorted(_KINDS.values(), key=lambda kind_class: kind_class.order)
