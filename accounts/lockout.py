"""
The one sign-in lockout, shared by the web sign-in (allauth), the technical admin and the API token
endpoint: all three call ``django.contrib.auth.authenticate``, whose first backend
(``accounts.backends.LockoutModelBackend``) runs every password check inside ``attempt()``.

* An account (the e-mail address typed, in lower case, whether or not an account has it, so that the
  answer never tells which addresses exist) is locked once it has ``SIGN_IN_ACCOUNT_FAILURE_LIMIT``
  failures within ``SIGN_IN_LOCKOUT_MINUTES``; a client IP (``core.client_ip``) once it has
  ``SIGN_IN_IP_FAILURE_LIMIT`` failures, for every account. The lock lifts when enough failures have
  aged out of the window.
* While locked, even the right password is refused, without being checked.
* A successful sign-in clears the account's failures (not the IP's: an attacker's own account must not
  launder the failures of a spraying run).

The rows live in PostgreSQL (``SignInFailure``), not in the cache, so the lockout holds when Redis is down.
An attempt is written *before* the password is checked and counted against the others already written:
of many parallel guesses, no more than the limit get their password checked.
"""

import math
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import ngettext

from core.client_ip import client_ip

from .models import SignInFailure

__all__ = [
    "SignInLocked",
    "attempt",
    "failures_clear",
    "lock_seconds_remaining",
    "locked_message",
    "normalise_identifier",
    "second_factor_identifier",
]


class SignInLocked(PermissionDenied):
    """Raised by the backend instead of checking a password; ``authenticate()`` turns it into None."""

    def __init__(self, seconds: int):
        self.seconds = seconds
        super().__init__(locked_message(seconds))


def _window() -> timedelta:
    return timedelta(minutes=settings.SIGN_IN_LOCKOUT_MINUTES)


def normalise_identifier(value) -> str:
    return str(value or "").strip().lower()[:254]


def locked_message(seconds: int) -> str:
    """The same words for every address, known or not."""
    minutes = max(1, math.ceil(seconds / 60))
    return ngettext(
        "Too many failed sign-in attempts. Try again in %(minutes)d minute, or reset your password.",
        "Too many failed sign-in attempts. Try again in %(minutes)d minutes, or reset your password.",
        minutes,
    ) % {"minutes": minutes}


def _seconds_until_below(rows, limit: int, now) -> int:
    """Seconds until fewer than ``limit`` of ``rows`` (failures in the window) remain in it; 0 when already."""
    times = list(rows.order_by("-attempted_at").values_list("attempted_at", flat=True)[limit - 1:limit])
    if not times:
        return 0
    return max(1, math.ceil((times[0] + _window() - now).total_seconds()))


def lock_seconds_remaining(*, identifier: str, ip: str | None, exclude_pk: int | None = None) -> int:
    """How long the account or the IP stays locked (the longer of the two); 0 when neither is."""
    now = timezone.now()
    recent = SignInFailure.objects.filter(attempted_at__gt=now - _window())
    if exclude_pk is not None:
        recent = recent.exclude(pk=exclude_pk)
    seconds = _seconds_until_below(recent.filter(identifier=identifier), settings.SIGN_IN_ACCOUNT_FAILURE_LIMIT, now)
    if ip:
        seconds = max(seconds, _seconds_until_below(recent.filter(ip_address=ip), settings.SIGN_IN_IP_FAILURE_LIMIT,
                                                    now))
    return seconds


def second_factor_identifier(user) -> str:
    """
    Wrong authenticator codes count under their own name: the right password (which clears the account's
    password failures) must not reset them, or someone who knows the password could guess codes forever.
    """
    return normalise_identifier(f"2fa:{user.email}")


def failures_clear(identifier: str) -> None:
    SignInFailure.objects.filter(identifier=normalise_identifier(identifier)).delete()


@dataclass
class Attempt:
    identifier: str
    ip: str | None
    row: SignInFailure
    succeeded: bool = False


@contextmanager
def attempt(request, identifier: str):
    """
    Wrap one password check: raises ``SignInLocked`` before it while the account or IP is locked; a check
    that ends without ``succeeded = True`` stays recorded as a failure; a success clears the account's.
    """
    identifier = normalise_identifier(identifier)
    ip = client_ip(request) if request is not None else None
    now = timezone.now()
    # Forget what the window no longer counts (an indexed range delete, cheap at any rate of attempts).
    SignInFailure.objects.filter(attempted_at__lte=now - _window()).delete()
    row = SignInFailure.objects.create(identifier=identifier, ip_address=ip, attempted_at=now)
    seconds = lock_seconds_remaining(identifier=identifier, ip=ip, exclude_pk=row.pk)
    if seconds:
        # A refused attempt checks no password, so it is not a failure: hammering a locked account does not
        # keep it locked for longer.
        row.delete()
        raise SignInLocked(seconds)
    current = Attempt(identifier=identifier, ip=ip, row=row)
    yield current
    if current.succeeded:
        failures_clear(identifier)
