"""
The page around a cached body (navigation, bell, language switch), kept rendered per user in this process.

A dashboard whose content is cached still rendered base.html on every request: some twenty URLs reversed, the
menu's translations, the context processors. That page shell depends on nothing but who asks and how:
the user, the values the context processors give (menu rights, the unread count, the language), the
two-factor state, the path (the language switch returns to it) and the page's title. ``render_with_shell``
renders it once with placeholders for the body and the CSRF token, keeps it under a key made of exactly those
values, and fills in the body and the request's own token afterwards.

Fail-safe rules: a context processor value that is not a plain value (text, number, yes/no) and not one of the
request-bound objects the shell reads through the request itself (``request``, ``user``, ``perms``,
``messages``, the CSRF token, the language list) turns the cache off for that page, so a new processor can
never leave a stale value in a kept shell; a request with messages to show is rendered in full; the key
holds the user's id, so one user's shell is never another's.
"""

import threading
from collections import OrderedDict

from django.contrib.messages import get_messages
from django.middleware.csrf import get_token
from django.template import engines
from django.template.loader import render_to_string
from django.template.response import SimpleTemplateResponse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

__all__ = ["render_with_shell"]

BODY_PLACEHOLDER = "__page_shell_body__"
CSRF_PLACEHOLDER = "__page_shell_csrf_token__"
# Kept per process; a shell is ~10 kB, and a user's next page usually differs only in its body.
MOST_SHELLS = 1000
# Values the context processors give that the shell reads through the request or that never change.
REQUEST_BOUND = frozenset({"request", "user", "perms", "messages", "DEFAULT_MESSAGE_LEVELS", "csrf_token",
                           "LANGUAGES"})
PLAIN = (str, int, bool, type(None))

_shells: OrderedDict[tuple, str] = OrderedDict()
_lock = threading.Lock()


def _shell_key(request, template_name: str, shell_context: dict) -> tuple | None:
    """What the shell depends on, or None when it must be rendered in full."""
    if len(get_messages(request)):  # shown once, in this page
        return None
    user = request.user
    values = []
    for processor in engines["django"].engine.template_context_processors:
        for name, value in processor(request).items():
            if name in REQUEST_BOUND:
                continue
            if not isinstance(value, PLAIN):
                return None
            values.append((name, value))
    page = tuple(sorted((name, value) for name, value in shell_context.items() if isinstance(value, PLAIN)))
    if len(page) != len(shell_context):
        return None
    return (template_name, get_language(), request.get_full_path(), getattr(request, "mfa_pending", False),
            user.pk, user.get_username(), user.get_short_name(), tuple(sorted(values)), page)


def render_with_shell(request, template_name: str, *, body: str, shell_context: dict, context: dict,
                      enabled: bool = True) -> SimpleTemplateResponse:
    """
    The page ``template_name`` (which shows ``{{ body }}``) for this request: its shell rendered once per key and
    kept, the body and the CSRF token filled in. ``shell_context`` holds the plain values the shell reads besides
    the request's (e.g. the page title); ``context`` is handed to the response for whoever inspects it (tests).
    """
    key = _shell_key(request, template_name, shell_context) if enabled else None
    with _lock:
        shell = _shells.get(key) if key else None
        if shell is not None:
            _shells.move_to_end(key)
    if shell is None:
        placeholders = {"body": mark_safe(BODY_PLACEHOLDER), "csrf_token": CSRF_PLACEHOLDER}  # noqa: S308 - constants
        shell = render_to_string(template_name, {**context, **shell_context, **placeholders}, request=request)
        if key:
            with _lock:
                _shells[key] = shell
                while len(_shells) > MOST_SHELLS:
                    _shells.popitem(last=False)
    html = shell.replace(CSRF_PLACEHOLDER, get_token(request)).replace(BODY_PLACEHOLDER, body)
    # Rendered through a template that shows it as is, without the request (no context processor runs again).
    return SimpleTemplateResponse("page_as_rendered.html", {**context, "html": mark_safe(html)})  # noqa: S308
