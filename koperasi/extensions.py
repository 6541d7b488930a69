"""
How the apps built on the cooperative plug into it.

``koperasi`` owns the cooperative and its formation workflow. ``members``, ``units`` and the apps
that come later stand on it: they import ``koperasi``, never the reverse. Where the workflow or the
cooperative's pages need something from them (the board rules that gate the founding meeting, the
seven units a new cooperative starts with, the unit matrix on its page, the unit filters of its
list), ``koperasi`` asks through the four registries below, which each app fills in its
``AppConfig.ready()``. Reading ``apps.py`` of an app shows everything it adds to the cooperative.

Entries are keyed by name, so registering the same name again replaces the entry instead of
running it twice.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import django_filters

from core.sections import Section
from core.sections import SectionRegistry

from .models import Cooperative

__all__ = [
    "FormationIssue",
    "cooperative_filter_templates",
    "cooperative_filterset_class",
    "cooperative_sections",
    "formation_issues",
    "formation_issues_blocking",
    "list_action_templates",
    "register_cooperative_filters",
    "register_cooperative_section",
    "register_formation_check",
    "register_list_action",
    "register_registration_step",
    "run_registration_steps",
]


# SECTION: formation checks


@dataclass(frozen=True)
class FormationIssue:
    """Something that keeps a cooperative from meeting a formation rule, in plain words."""

    code: str
    message: str
    blocking: bool = True


@dataclass(frozen=True)
class _FormationCheck:
    stage_code: str
    check: Callable[[Cooperative], list[FormationIssue]]


_formation_checks: dict[str, _FormationCheck] = {}


def register_formation_check(
    name: str, *, stage_code: str, check: Callable[[Cooperative], list[FormationIssue]]
) -> None:
    """``check(cooperative)`` lists issues; its blocking ones stop the stage ``stage_code`` from being submitted."""
    _formation_checks[name] = _FormationCheck(stage_code=stage_code, check=check)


def formation_issues(cooperative: Cooperative) -> list[FormationIssue]:
    """Every issue every registered check finds, for the cooperative page and the API."""
    return [issue for entry in _formation_checks.values() for issue in entry.check(cooperative)]


def formation_issues_blocking(cooperative: Cooperative, stage_code: str) -> list[FormationIssue]:
    """The issues that stop ``stage_code`` from being submitted now."""
    return [
        issue
        for entry in _formation_checks.values() if entry.stage_code == stage_code
        for issue in entry.check(cooperative) if issue.blocking
    ]


# SECTION: steps run when a cooperative is registered


_registration_steps: dict[str, Callable[..., None]] = {}


def register_registration_step(name: str, step: Callable[..., None]) -> None:
    """``step(cooperative=, actor=)`` runs inside the registration's transaction, after its stages exist."""
    _registration_steps[name] = step


def run_registration_steps(*, cooperative: Cooperative, actor) -> None:
    for step in _registration_steps.values():
        step(cooperative=cooperative, actor=actor)


# SECTION: cards of the cooperative page


_cooperative_page = SectionRegistry()


def register_cooperative_section(
    name: str, *, template_name: str, context: Callable[..., dict], order: int = 100
) -> None:
    """
    Add a card to the cooperative page: ``context(cooperative)`` returns its data (``context(cooperative, user)``
    for a card that depends on who reads it).
    """
    _cooperative_page.register(name, template_name=template_name, context=context, order=order)


def cooperative_sections(cooperative: Cooperative, user) -> list[Section]:
    return _cooperative_page.sections(cooperative=cooperative, user=user)


# SECTION: actions on the cooperative list and the verification queue (e.g. export them)


_list_actions: dict[str, str] = {}


def register_list_action(name: str, *, template_name: str) -> None:
    """
    Add controls beside the cooperative list and the verification queue; the template gets ``list_kind``
    ("cooperatives" or "queue") and the page's ``request`` (its filters are the query string).
    """
    _list_actions[name] = template_name


def list_action_templates() -> list[str]:
    return list(_list_actions.values())


# SECTION: filters of the cooperative list


@dataclass(frozen=True)
class _FilterEntry:
    filters: type[django_filters.FilterSet]
    template_name: str


_filters: dict[str, _FilterEntry] = {}


def register_cooperative_filters(name: str, *, filters: type[django_filters.FilterSet], template_name: str) -> None:
    """
    Add the filters declared on ``filters`` (a FilterSet without ``Meta``) to the cooperative list of
    the pages and the API; ``template_name`` renders their inputs in the list's filter form.
    """
    _filters[name] = _FilterEntry(filters=filters, template_name=template_name)
    cooperative_filterset_class.cache_clear()


def cooperative_filter_templates() -> list[str]:
    return [entry.template_name for entry in _filters.values()]


@cache
def cooperative_filterset_class(base: type[django_filters.FilterSet]) -> type[django_filters.FilterSet]:
    """``base`` with the registered filters mixed in; FilterSet's metaclass gathers the filters of every base."""
    mixins = tuple(entry.filters for entry in _filters.values())
    return type(base)(base.__name__, (*mixins, base), {"__module__": base.__module__, "__doc__": base.__doc__})
