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

The shell is kept as pieces: its text cut at the placeholders, in UTF-8, so that a page is put together by joining
bytes, without searching the text or encoding it again (a dashboard's 20–40 kB, much of it outside Latin-1: a
twentieth of a cached page's cost). ``placeholder_pieces`` and ``filled`` do the same for the cached content a view
puts in the body.
"""

import functools
import re
import secrets
import threading
from collections import OrderedDict

from django.contrib.messages import get_messages
from django.http import HttpResponse
from django.template import engines
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from .csrf import csrf_token as new_csrf_token

__all__ = ["AssembledResponse", "filled", "placeholder_pieces", "render_with_shell"]

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

_shells: OrderedDict[tuple, tuple] = OrderedDict()
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
def _placeholders(names: tuple[str, ...]) -> re.Pattern:
    """One pattern matching these names' placeholders."""
    return re.compile("|".join(re.escape(_PLACEHOLDER.format(name)) for name in names))


def placeholder_pieces(text: str, placeholders: re.Pattern) -> tuple:
    """
    ``text`` cut where ``placeholders`` match: its pieces in UTF-8 (even places) between the placeholders found
    (odd places), for ``filled``.
    """
    pieces, start = [], 0
    for found in placeholders.finditer(text):
        pieces += [text[start:found.start()].encode(), found.group(0)]
        start = found.end()
    pieces.append(text[start:].encode())
    return tuple(pieces)


def filled(pieces: tuple, values: dict[str, bytes]) -> bytes:
    """The text of ``placeholder_pieces`` with each placeholder replaced by its value, in one pass."""
    parts = list(pieces)
    parts[1::2] = [values[placeholder] for placeholder in pieces[1::2]]
    return b"".join(parts)


class AssembledResponse(HttpResponse):
    """
    A page put together from kept pieces, nothing rendered for it. ``context_data`` as on a TemplateResponse: what
    the view put together, for whoever inspects the response (tests).
    """

    def __init__(self, content: bytes, context_data: dict, **kwargs):
        super().__init__(content, **kwargs)
        self.context_data = context_data


def render_with_shell(request, template_name: str, *, body: bytes, shell_context: dict, context: dict,
                      enabled: bool = True, csrf_token: str | None = None) -> AssembledResponse:
    """
    The page ``template_name`` (which shows ``{{ body }}``) for this request: its shell rendered once per key and
    kept, the body (UTF-8), the CSRF token and the path filled in. ``shell_context`` holds the texts the shell shows
    besides the request's (e.g. the page title), each shown as text (``{{ page_title }}``, escaped, no filter: the
    shell holds a placeholder); ``context`` is handed to the response for whoever inspects it (tests).
    ``csrf_token``: the token the body already carries, if any (each token is masked anew, 64 random characters).
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
        shell = placeholder_pieces(render_to_string(template_name, placeholders, request=request),
                                   _placeholders(names))
        if key:
            with _lock:
                _shells[key] = shell
                while len(_shells) > MOST_SHELLS:
                    _shells.popitem(last=False)
    values = {_PLACEHOLDER.format(name): escape(text).encode() for name, text in shell_context.items()}
    values |= {_PLACEHOLDER.format(BODY): body,
               _PLACEHOLDER.format(CSRF_TOKEN): (csrf_token or new_csrf_token(request)).encode(),
               _PLACEHOLDER.format(PATH): escape(request.get_full_path()).encode()}
    return AssembledResponse(filled(shell, values), context)
