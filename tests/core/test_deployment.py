"""Production settings pass Django's deployment checklist; the API schema is valid."""

import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import Resolver404
from django.urls import URLResolver
from django.urls.resolvers import RegexPattern

import config.urls

BASE_DIR = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "k" * 20 + "production-check-0123456789-abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "portal.example.go.id",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
    "REDIS_URL": "redis://127.0.0.1:6379/15",
}


def _manage(*args, env):
    # The test process allows async-unsafe ORM calls for Playwright; a production process must not.
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env={**clean, **env},
                          capture_output=True, text=True, timeout=120)


def test_check_deploy_reports_no_issues():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_required_settings():
    missing_secret = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = _manage("check", env=missing_secret)
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr
    sqlite = {**PRODUCTION_ENV, "DATABASE_URL": "sqlite:///tmp.db"}
    result = _manage("check", env=sqlite)
    assert result.returncode != 0 and "DATABASE_URL" in result.stderr


@pytest.mark.django_db
def test_openapi_schema_is_valid_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    schema = (tmp_path / "schema.yaml").read_text()
    assert "/api/regions/{code}/" in schema and "/api/users/{id}/deactivate/" in schema


def test_no_route_serves_the_uploaded_and_exported_files_even_in_debug():
    """The quickstart (DEBUG) had served MEDIA_ROOT, private exports included, to anyone who guessed a name."""
    with override_settings(DEBUG=True):
        try:
            patterns = importlib.reload(config.urls).urlpatterns  # as a DEBUG process builds them
        finally:
            importlib.reload(config.urls)
    with pytest.raises(Resolver404):
        URLResolver(RegexPattern(r"^/"), patterns).resolve("/media/private/exports/rekap-per-wilayah-33.18.csv")
