"""
The page around a cached body (navigation, bell, language switch), kept rendered per user in this process.

A dashboard whose content is cached still rendered base.html on every request: some twenty URLs reversed, the
menu's translations, the context processors. That page shell depends on nothing but who asks and how:
the user, the values the context processors give (menu rights, the unread count, the language) and the
two-factor state. ``render_with_shell`` renders it once with placeholders for what differs per page or request
(the body, the CSRF token, the path the language switch returns to, the page's title), keeps it under a key
made of exactly those values, and fills the placeholders in afterwards, in one pass: what one inserts is never
read for another's placeholder. So a user has one shell per process whichever pages they open (with the path
and the title in its key, an officer browsing 800 areas made 800, each ~10 ms to render).

Fail-safe rules: a context processor value that is not a plain value (text, number, yes/no) and not one of the
request-bound objects the shell reads through the request itself (``request``, ``user``, ``perms``,
``messages``, the CSRF token, the language list) turns the cache off for that page, so a new processor can
never leave a stale value in a kept shell; a request with messages to show is rendered in full; the key
holds the user's id, so one user's shell is never another's.
"""

import functools
import re
import secrets
import threading
from collections import OrderedDict

from django.contrib.messages import get_messages
from django.middleware.csrf import get_token
from django.template import engines
from django.template.loader import render_to_string
from django.template.response import SimpleTemplateResponse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

__all__ = ["render_with_shell"]

# Random per process: text a user controls (a name in the menu, a title) can never match a placeholder.
_PLACEHOLDER = "__page_shell_" + secrets.token_hex(8) + "_{}__"
# Filled in as given (the body is HTML already; the CSRF token needs no escaping).
BODY, CSRF_TOKEN = "body", "csrf_token"
# The path the language switch returns to, as base.html's ``shell_path``.
PATH = "shell_path"
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
    if not all(isinstance(value, str) for value in shell_context.values()):
        return None
    return (template_name, get_language(), getattr(request, "mfa_pending", False), user.pk, user.get_username(),
            user.get_short_name(), tuple(sorted(values)), tuple(sorted(shell_context)))


@functools.lru_cache(maxsize=64)
def _placeholders(names: tuple[str, ...]) -> tuple[re.Pattern, dict[str, str]]:
    """One pattern matching these names' placeholders, and each placeholder's name."""
    name_of = {_PLACEHOLDER.format(name): name for name in names}
    return re.compile("|".join(re.escape(placeholder) for placeholder in name_of)), name_of


def render_with_shell(request, template_name: str, *, body: str, shell_context: dict, context: dict,
                      enabled: bool = True, csrf_token: str | None = None) -> SimpleTemplateResponse:
    """
    The page ``template_name`` (which shows ``{{ body }}``) for this request: its shell rendered once per key and
    kept, the body, the CSRF token and the path filled in. ``shell_context`` holds the texts the shell shows besides
    the request's (e.g. the page title), each shown as text (``{{ page_title }}``, escaped, no filter: the shell
    holds a placeholder); ``context`` is handed to the response for whoever inspects it (tests). ``csrf_token``: the
    token the body already carries, if any (each ``get_token`` masks the secret anew, 64 random characters).
    """
    key = _shell_key(request, template_name, shell_context) if enabled else None
    with _lock:
        shell = _shells.get(key) if key else None
        if shell is not None:
            _shells.move_to_end(key)
    names = (*sorted(shell_context), BODY, CSRF_TOKEN, PATH)
    if shell is None:
        placeholders = {name: mark_safe(_PLACEHOLDER.format(name)) for name in names}  # noqa: S308 - constants
        # Only the placeholders besides the request: a value of this page's context shown in the shell would be
        # kept and shown on the user's other pages (the view's context goes to the response only).
        shell = render_to_string(template_name, placeholders, request=request)
        if key:
            with _lock:
                _shells[key] = shell
                while len(_shells) > MOST_SHELLS:
                    _shells.popitem(last=False)
    values = {name: escape(text) for name, text in shell_context.items()}
    values |= {BODY: body, CSRF_TOKEN: csrf_token or get_token(request), PATH: escape(request.get_full_path())}
    pattern, name_of = _placeholders(names)
    html = pattern.sub(lambda found: values[name_of[found.group(0)]], shell)
    # Rendered through a template that shows it as is, without the request (no context processor runs again).
    return SimpleTemplateResponse("page_as_rendered.html", {**context, "html": mark_safe(html)})  # noqa: S308
