"""
What a warm dashboard page costs the web process, counted in machine instructions (valgrind's callgrind), a figure
that does not move with the machine's speed: on a shared 2-core machine the same code's pages per second moved by
2× within an hour (README, Performance), so a change of 5–10 % in CPU per page cannot be seen in wall-clock runs.

    .venv/bin/python bench/page_cost.py [--pages 200]      # needs valgrind; the dataset of bench/rollup.py
    .venv/bin/python bench/page_cost.py --drawn [--pages 30]   # a page drawn for its request (no cache)

One process (as a gunicorn worker is after a while): it signs in the benchmark's national and province officers
and serves ``AREAS`` pages drawn at random from bench/rollup.py's mix through Django's WSGI handler, each as
gunicorn hands it over (a WSGI environ, the body read, ``close()`` called): twice, so that they are kept (in Redis
and in the process), then ``--pages`` more among them. Run once without callgrind first (the pages drawn and kept
in Redis: drawing them under callgrind would take minutes), then twice under it, serving 0 and ``--pages`` pages
after the warm-up, side by side; the difference per page is only the requests' own instructions, none of Python's
start or the warm-up. Under callgrind the code runs some 50 times slower, so what a process keeps for a second (the
roll-up's freshness) would be read again every few pages instead of every few hundred: the counted processes' clock
(``time.time`` and ``time.monotonic``) runs ``CALLGRIND_SLOWDOWN`` times slower too.
What gunicorn itself does per request (parsing, the socket) is not in it; the database and Redis servers neither.

``--drawn`` counts a page with the dashboards' cache turned off (DASHBOARD_CACHE_SECONDS=0): each is drawn for its
request, as the first visitor after a change or a deployment has it. The warm-up then serves a few pages once (the
process's own memos), and the drawing's cost is this figure less the warm page's.
"""

import argparse
import gc
import io
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

import rollup  # noqa: E402 - the benchmark's settings, accounts and page mix

SEED = 7
CALLGRIND_SLOWDOWN = 50
AREAS = 120  # under callgrind a page takes ~50 times as long
DRAWN_WARM_UP = 10  # pages served once before counting, with --drawn (each drawn: ~50 times as long)


def environ_for(path: str, cookie: str) -> dict:
    """The WSGI environ gunicorn hands a worker for this page behind nginx (bench/rollup.py's request)."""
    return {
        "REQUEST_METHOD": "GET", "SCRIPT_NAME": "", "PATH_INFO": path, "QUERY_STRING": "", "RAW_URI": path,
        "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.0", "REMOTE_ADDR": "",
        "HTTP_HOST": "127.0.0.1", "HTTP_CONNECTION": "close", "HTTP_X_FORWARDED_PROTO": "https",
        "HTTP_X_FORWARDED_FOR": "127.0.0.1", "HTTP_ACCEPT_LANGUAGE": "id",
        "HTTP_COOKIE": f"sessionid={cookie}; {rollup.CSRF_COOKIE}",
        "wsgi.input": io.BytesIO(), "wsgi.errors": sys.stderr, "wsgi.version": (1, 0), "wsgi.url_scheme": "http",
        "wsgi.multithread": False, "wsgi.multiprocess": True, "wsgi.run_once": False,
        "wsgi.file_wrapper": None,
    }


def serve(application, path: str, cookie: str) -> int:
    status = []
    body = application(environ_for(path, cookie), lambda line, headers, *exc: status.append(line))
    try:
        size = sum(len(chunk) for chunk in body)
    finally:
        body.close()
    if not status[0].startswith("200"):
        raise RuntimeError(f"{path}: {status[0]}")
    return size


def slow_clock(factor: float) -> None:
    """This process's clocks, from now on, run ``factor`` times slower."""
    for name in ("time", "monotonic"):
        real = getattr(time, name)
        started = real()
        setattr(time, name, lambda real=real, started=started: started + (real() - started) / factor)


def serve_pages(count: int, drawn: bool) -> None:
    """In the process callgrind counts: the warm-up, then ``count`` pages of the mix."""
    import django

    django.setup()
    from django.core.handlers.wsgi import WSGIHandler
    from django.urls import get_resolver

    # As gunicorn's master leaves its workers (config/gunicorn.conf.py): the portal loaded and out of the garbage
    # collector's full passes. Else a full pass over the ~200,000 loaded objects (~10 M instructions) fell within
    # the counted pages or not, by chance: ±3 % a page between runs of the same code.
    get_resolver().url_patterns  # noqa: B018 - the property imports every app's URLconf
    gc.collect()
    gc.freeze()

    admin, officers = rollup.bench_accounts()
    mix = rollup.page_mix(rollup.session_cookie(admin),
                          {code: rollup.session_cookie(user) for code, user in officers.items()})
    chosen = random.Random(SEED)
    pages = chosen.sample(sorted(set(mix)), AREAS)
    application = WSGIHandler()
    if drawn:
        for path, cookie in pages[:DRAWN_WARM_UP]:
            serve(application, path, cookie)
    else:
        for _ in range(2):  # drawn and kept, then served once by this process, as in a portal in use
            for path, cookie in pages:
                serve(application, path, cookie)
    gc.collect()  # the counted pages start from the same state in both runs
    for _ in range(count):
        serve(application, *chosen.choice(pages))


def counted(count: int, folder: Path, drawn: bool) -> subprocess.Popen:
    """A process serving ``count`` pages after the warm-up, under callgrind."""
    return subprocess.Popen(["valgrind", "--tool=callgrind", f"--callgrind-out-file={folder / str(count)}",
                             sys.executable, __file__, "--serve", str(count), "--slow-clock",
                             *(["--drawn"] if drawn else [])],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            env=served_environment(drawn))


def served_environment(drawn: bool) -> dict:
    return {**os.environ, "PYTHONHASHSEED": "0", **({"DASHBOARD_CACHE_SECONDS": "0"} if drawn else {})}


def instructions(process: subprocess.Popen, output: Path) -> int:
    errors = process.communicate()[1]
    if process.returncode:
        raise SystemExit(f"the counted run failed:\n{errors[-3000:]}")
    totals = re.search(r"^(?:summary|totals): (\d+)", output.read_text(errors="replace"), re.MULTILINE)
    return int(totals.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=None, help="pages counted (200; 30 with --drawn)")
    parser.add_argument("--drawn", action="store_true", help="each page drawn for its request (no cache)")
    parser.add_argument("--serve", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--slow-clock", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--afresh", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve is not None:
        if args.slow_clock:
            slow_clock(CALLGRIND_SLOWDOWN)
        if args.afresh:
            import django

            django.setup()
            rollup.drop_cached_pages()
        serve_pages(args.serve, args.drawn)
        return
    pages = args.pages or (30 if args.drawn else 200)
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is needed: apt-get install valgrind")
    if not args.drawn:
        # The pages drawn and kept in Redis, afresh, so that every run starts from the same state: a run after
        # another, its drawings then minutes old, counted 8 % more a page (the same Python calls, page for page).
        subprocess.run([sys.executable, __file__, "--serve", "0", "--afresh"], check=True)
    with tempfile.TemporaryDirectory() as folder:
        base_run, served_run = counted(0, Path(folder), args.drawn), counted(pages, Path(folder), args.drawn)
        base = instructions(base_run, Path(folder) / "0")
        served = instructions(served_run, Path(folder) / str(pages))
    per_page = (served - base) / pages
    kind = "Dashboard page drawn for its request" if args.drawn else "Warm dashboard page"
    print(f"{kind}, Django's WSGI handler in one process: {per_page / 1e6:.2f} M instructions a page "
          f"(callgrind, {pages} pages among {AREAS} of the mix, seed {SEED}; "
          f"start and warm-up: {base / 1e9:.2f} G)")


if __name__ == "__main__":
    main()
