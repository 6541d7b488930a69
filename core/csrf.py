"""
The CSRF token of a page, as Django's ``get_token`` makes it, at a tenth of its cost.

Django masks the CSRF secret anew for every page it is put in (so that a compressed page never repeats it, the
BREACH attack): 32 random characters, each drawn by ``secrets.choice`` with its own read of the kernel's random
source. On a cached dashboard that was a tenth of the page's whole cost (bench/page_cost.py: 0.57 of 5.9 million
instructions, and 32 system calls). Here the mask comes from one read of ``os.urandom``, each character uniform
over the 62 allowed (bytes that would favour some are dropped), and the cipher is Django's own: CsrfViewMiddleware
unmasks and checks these tokens like its own.
"""

import os

from django.middleware.csrf import CSRF_ALLOWED_CHARS
from django.middleware.csrf import CSRF_SECRET_LENGTH
from django.middleware.csrf import get_token

__all__ = ["csrf_token"]

_INDEX = {char: index for index, char in enumerate(CSRF_ALLOWED_CHARS)}
_ALPHABET = len(CSRF_ALLOWED_CHARS)
# Bytes at or above this are dropped: below it every character has exactly four bytes that map to it.
_UNBIASED_BELOW = 256 - 256 % _ALPHABET
# One read nearly always gives 32 usable bytes (each is dropped with probability 8/256).
_READ = CSRF_SECRET_LENGTH + 8


def _mask() -> list[int]:
    """CSRF_SECRET_LENGTH indexes into the allowed characters, uniformly random."""
    chosen: list[int] = []
    while len(chosen) < CSRF_SECRET_LENGTH:
        chosen += [byte % _ALPHABET for byte in os.urandom(_READ) if byte < _UNBIASED_BELOW]
    return chosen[:CSRF_SECRET_LENGTH]


def csrf_token(request) -> str:
    """
    A newly masked CSRF token for this request's secret, with ``get_token``'s effect: the response sends the CSRF
    cookie again, which renews its expiry. A request with no secret yet gets one from Django itself.
    """
    secret = request.META.get("CSRF_COOKIE")
    if secret is None or len(secret) != CSRF_SECRET_LENGTH:
        return get_token(request)
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True  # as get_token does
    mask = _mask()
    chars = CSRF_ALLOWED_CHARS
    return "".join(chars[index] for index in mask) + "".join(
        chars[(_INDEX[char] + index) % _ALPHABET] for char, index in zip(secret, mask, strict=True))
