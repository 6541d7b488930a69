"""
gunicorn for production: ``gunicorn config.wsgi:application -c config/gunicorn.conf.py``, behind a buffering
reverse proxy (nginx).

The worker model (see docs/deployment.md): ``sync``, two processes per core, one request each. The portal is
plain synchronous Django and its busy pages are CPU-bound (a cached dashboard is ~1½–2 ms of Python, a drawing
20–50 ms). A sync worker takes a connection only when it is free, so requests go to whichever process is idle;
with keep-alive threads (``gthread``) each connection stayed with the process that accepted it and queued there
behind another request's drawing while other cores idled: at 50 connections with 20 writes/s, p95 0.56–0.62 s
with gthread against 0.23–0.36 s with sync, for the same throughput. Two per core, not one: a request waiting
on PostgreSQL or Redis, or a slower page (a PDF), leaves the core to another process. The reverse proxy
buffers slow clients, so a worker is never held by a slow network.
Override with ``WEB_CONCURRENCY`` (processes), ``WEB_WORKER_CLASS`` and ``WEB_THREADS`` (e.g. ``gthread``, 4).
"""

import gc
import os

from django.urls import get_resolver

cores = os.cpu_count() or 1
workers = int(os.environ.get("WEB_CONCURRENCY", cores * 2))
worker_class = os.environ.get("WEB_WORKER_CLASS", "sync")
threads = int(os.environ.get("WEB_THREADS", 1))  # only for gthread
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
timeout = 60
keepalive = int(os.environ.get("WEB_KEEPALIVE", 5))  # gthread only: sync workers close each connection
# Restart a worker now and then, so a slow leak cannot grow without bound (jittered: not all at once).
max_requests = 20000
max_requests_jitter = 2000

# The portal is loaded once, in the master, and each worker is a fork of it: a worker started again (above, or
# after a crash) serves at once instead of spending ~1.5 s of CPU importing Django and the apps while the others
# serve. Nothing opens a connection while loading (database, Redis and Celery connect on first use), so no
# worker inherits one. A new release needs a restart of the master (not HUP), as docs/deployment.md says.
preload_app = True


def when_ready(server):
    """
    In the master, before the first fork: import the URLconf (allauth's pulls in fido2 and cryptography: ~0.35 s
    that every worker's first request paid), then leave everything loaded so far out of the garbage collector's
    full passes (Django, the apps, their modules and models: ~180,000 objects that live as long as the process).
    Each full pass walked them all: under ``make bench`` every worker made one every minute or so, 120–290 ms
    long, holding the request it was serving. Frozen before the fork, the workers also keep sharing these pages
    of memory with the master (a pass would write to each object's header).
    """
    if server.cfg.preload_app:  # else the portal is not loaded yet: each worker does it (post_worker_init)
        get_resolver().url_patterns  # noqa: B018 - the property imports every app's URLconf
        gc.collect()  # what is garbage already is freed, not set aside for the life of the process
        gc.freeze()


def post_worker_init(worker):
    """The same in each worker, for what it loaded itself (everything, if preload_app is turned off)."""
    get_resolver().url_patterns  # noqa: B018
    gc.collect()
    gc.freeze()
