"""
The address of the person behind a request: the one answer used by the sign-in lockout, allauth's rate
limits, DRF's throttles and the personal-data read log.

``X-Forwarded-For`` is written by whoever sends the request, so only the entries appended by our own
proxies can be believed. Each proxy appends the address it received the request from; with
``TRUSTED_PROXY_COUNT = n`` the n-th entry from the right is the client as our outermost proxy saw it,
and everything to its left is whatever the client chose to send. With 0 (no proxy), the header is
ignored and the socket's peer (``REMOTE_ADDR``) is the client.
"""

import ipaddress

from django.conf import settings

__all__ = ["client_ip", "trusted_proxy_count"]


def trusted_proxy_count() -> int:
    return max(0, int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0))


def _clean(value: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address((value or "").strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The client's IP address, or None when the request carries none that parses (a test without REMOTE_ADDR)."""
    meta = request.META
    proxies = trusted_proxy_count()
    remote_addr = _clean(meta.get("REMOTE_ADDR"))
    if proxies == 0:
        return remote_addr
    forwarded = [entry.strip() for entry in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if entry.strip()]
    if len(forwarded) < proxies:
        # Fewer entries than proxies: the request did not come through all of them (or a proxy is
        # misconfigured); the peer we can see is the only address we know to be real.
        return remote_addr
    return _clean(forwarded[-proxies]) or remote_addr
