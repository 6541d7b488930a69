"""
gunicorn for production: ``gunicorn config.wsgi:application -c config/gunicorn.conf.py``.

The worker model (see docs/deployment.md): ``gthread``, one process per core plus one, four threads each.
The portal is plain synchronous Django; a request spends most of its time in Python (rendering, or a cached
page's few milliseconds) and the rest waiting on PostgreSQL or Redis. Processes give the CPU parallelism
(the GIL lets one thread of a process run Python at a time); a few threads per process keep a core busy
while another request waits on the database, and let a worker accept new connections while one request is
slow, without the memory of more processes. More processes than cores + 1 only add context switches and
memory on a CPU-bound load; async workers would need an async stack the portal does not have.
Override with ``WEB_CONCURRENCY`` (processes) and ``WEB_THREADS``.
"""

import os

cores = os.cpu_count() or 1
workers = int(os.environ.get("WEB_CONCURRENCY", cores + 1))
worker_class = "gthread"
threads = int(os.environ.get("WEB_THREADS", 4))
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
timeout = 60
keepalive = 5  # behind the reverse proxy, which keeps connections open
# Restart a worker now and then, so a slow leak cannot grow without bound (jittered: not all at once).
max_requests = 20000
max_requests_jitter = 2000
