"""The production server's settings (config/gunicorn.conf.py), read as gunicorn reads them."""

import gc
import runpy
from pathlib import Path

from django.conf import settings


def test_each_worker_leaves_what_it_loaded_out_of_the_collectors_full_passes():
    config = runpy.run_path(str(Path(settings.BASE_DIR) / "config" / "gunicorn.conf.py"))
    assert config["worker_class"] == "sync" and config["workers"] >= 2
    before = gc.get_freeze_count()
    try:
        config["post_worker_init"](worker=None)
        # Everything alive when the worker has loaded the portal is set aside (Django and the apps are loaded here).
        assert gc.get_freeze_count() > before + 50_000
    finally:
        gc.unfreeze()
