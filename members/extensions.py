"""
How the apps built on the member register plug into its rules.

``members`` owns the register; ``simpanan`` and the apps that come later stand on it (they import ``members``,
never the reverse). Where a change to the register must respect what they recorded (a joining date moved after
the member's first savings posting), ``members`` asks through the registry below, which each app fills in its
``AppConfig.ready()``. Entries are keyed by name: registering the same name again replaces the entry.
"""

from collections.abc import Callable
from datetime import date

from .models import Member

__all__ = ["joining_date_refusals", "register_joining_date_check"]

# name → check(member, new joining date) → why the date cannot be, or None.
_joining_date_checks: dict[str, Callable[[Member, date], str | None]] = {}


def register_joining_date_check(name: str, check: Callable[[Member, date], str | None]) -> None:
    """``check(member, joined_on)`` says why ``member`` cannot have joined on that (later) day, or None."""
    _joining_date_checks[name] = check


def joining_date_refusals(member: Member, joined_on: date) -> list[str]:
    return [refusal for check in _joining_date_checks.values() if (refusal := check(member, joined_on))]
