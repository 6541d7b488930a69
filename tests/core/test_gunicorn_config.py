"""The production server's settings (config/gunicorn.conf.py), read as gunicorn reads them."""

import gc
import runpy
from pathlib import Path
from types import SimpleNamespace

from django.conf import settings
from django.urls import clear_url_caches
from django.urls import get_resolver


def _config() -> dict:
    return runpy.run_path(str(Path(settings.BASE_DIR) / "config" / "gunicorn.conf.py"))


def test_the_portal_is_loaded_once_in_the_master_and_left_out_of_the_collectors_full_passes():
    config = _config()
    assert config["worker_class"] == "sync" and config["workers"] >= 2 and config["preload_app"]
    clear_url_caches()
    before = gc.get_freeze_count()
    try:
        config["when_ready"](SimpleNamespace(cfg=SimpleNamespace(preload_app=True)))
        # The URLconf is imported before the fork, not by each worker's first request.
        assert "url_patterns" in get_resolver().__dict__
        # Everything alive once the portal is loaded is set aside (Django and the apps are loaded here).
        assert gc.get_freeze_count() > before + 50_000
    finally:
        gc.unfreeze()


def test_without_preloading_each_worker_freezes_what_it_loaded_and_the_master_does_not_try():
    config = _config()
    before = gc.get_freeze_count()
    try:
        config["when_ready"](SimpleNamespace(cfg=SimpleNamespace(preload_app=False)))
        assert gc.get_freeze_count() == before
        config["post_worker_init"](worker=None)
        assert gc.get_freeze_count() > before + 50_000
    finally:
        gc.unfreeze()
