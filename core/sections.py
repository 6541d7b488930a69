"""
Pages that other apps add cards to. A lower app offers a ``SectionRegistry`` for one of its pages;
higher apps register their cards from ``AppConfig.ready()``; the page renders each card's template
with its ``data``. That is how a page shows what apps above it know without importing them.
"""

import inspect
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["Section", "SectionRegistry"]


@dataclass(frozen=True)
class Section:
    """A card of a page, rendered from ``template_name`` with ``data`` beside the page's own context."""

    template_name: str
    data: dict


@dataclass(frozen=True)
class _Entry:
    template_name: str
    context: Callable[..., dict]
    order: int
    parameters: tuple[str, ...]
    # The page arguments ``context`` names (a card that needs the reader asks for ``user``); None: all of them.
    arguments: frozenset[str] | None


class SectionRegistry:
    """
    The cards of one page. Entries are keyed by name, so registering a name again replaces the card;
    cards appear by ``order``, then by name.
    """

    def __init__(self) -> None:
        self._entries: dict[str, _Entry] = {}
        # In order, and the query parameters they read: asked for on every request of a cached page (its key).
        self._in_order: tuple[_Entry, ...] = ()
        self._parameters: tuple[str, ...] = ()

    def register(self, name: str, *, template_name: str, context: Callable[..., dict], order: int = 100,
                 parameters: tuple[str, ...] = ()) -> None:
        """``context(**page_arguments)`` returns the card's data; ``parameters`` are query parameters it reads."""
        signature = inspect.signature(context).parameters.values()
        arguments = (None if any(parameter.kind is parameter.VAR_KEYWORD for parameter in signature)
                     else frozenset(parameter.name for parameter in signature))
        self._entries[name] = _Entry(template_name, context, order, tuple(parameters), arguments)
        self._in_order = tuple(entry for _name, entry in sorted(self._entries.items(),
                                                                 key=lambda item: (item[1].order, item[0])))
        self._parameters = tuple(parameter for entry in self._in_order for parameter in entry.parameters)

    def sections(self, **page_arguments) -> list[Section]:
        """Each card's data: its ``context`` is given those of the page's arguments that it names."""
        return [Section(entry.template_name, entry.context(**(
            page_arguments if entry.arguments is None
            else {name: value for name, value in page_arguments.items() if name in entry.arguments})))
            for entry in self._in_order]

    def parameters(self) -> tuple[str, ...]:
        return self._parameters
