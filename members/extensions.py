"""
How the apps built on the member register plug into its rules.

``members`` owns the register; ``simpanan`` and the apps that come later stand on it (they import ``members``,
never the reverse). Where a change to the register must respect what they recorded (a joining date moved after
the member's first savings posting; a member who left owing no more bills), ``members`` asks through the
registries below, which each app fills in its ``AppConfig.ready()``. Every path that changes the register calls
them (the services and the member import, whose bulk writes send no model signals). Entries are keyed by name:
registering the same name again replaces the entry.
"""

from collections.abc import Callable
from datetime import date

from .models import Member

__all__ = ["joining_date_refusals", "register_joining_date_check", "register_status_change", "status_changed"]

# name → check(member, new joining date) → why the date cannot be, or None.
_joining_date_checks: dict[str, Callable[[Member, date], str | None]] = {}


def register_joining_date_check(name: str, check: Callable[[Member, date], str | None]) -> None:
    """``check(member, joined_on)`` says why ``member`` cannot have joined on that (later) day, or None."""
    _joining_date_checks[name] = check


def joining_date_refusals(member: Member, joined_on: date) -> list[str]:
    return [refusal for check in _joining_date_checks.values() if (refusal := check(member, joined_on))]


# name → action(member as it is now, its status before, its status date before).
_status_change_actions: dict[str, Callable[[Member, str, date | None], None]] = {}


def register_status_change(name: str, action: Callable[[Member, str, date | None], None]) -> None:
    """``action(member, was_status, was_status_on)`` runs after a member's status or status date changed."""
    _status_change_actions[name] = action


def status_changed(member: Member, was_status: str, was_status_on: date | None) -> None:
    for action in _status_change_actions.values():
        action(member, was_status, was_status_on)
