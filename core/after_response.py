"""
Work a request leaves for after its response has been sent.

The WSGI server calls the response's ``close()`` once it has written the body (PEP 3333), and Django runs the
response's resource closers there, before ``request_finished``: the database connection is still open, but
the reader no longer waits. A busy dashboard uses it to serve its previous drawing at once and draw the
changed figures afterwards (reports.views), instead of making one reader wait for the drawing.

The work runs in the same worker, so it still takes that worker's time: it is for work whose result the next
request needs, not for slow jobs (those go to Celery).
"""

import logging
from collections.abc import Callable

from django.http import HttpResponseBase
from django.utils import translation

__all__ = ["after_response"]

logger = logging.getLogger(__name__)


def after_response(response: HttpResponseBase, work: Callable[[], None]) -> None:
    """Run ``work`` once ``response`` has been sent, in the language the request was answered in."""
    language = translation.get_language()

    def run() -> None:
        try:
            with translation.override(language):
                work()
        except Exception:
            # Django's close() swallows a closer's error without a trace.
            logger.exception("Work left for after the response failed")

    # Django's own list of what close() runs (file responses close their files through it).
    response._resource_closers.append(run)
