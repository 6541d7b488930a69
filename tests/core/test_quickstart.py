"""
The README's first command (``make run``) on its embedded SQLite database: the demo is set up the same way and each
persona's pages open. The rest of the suite runs on PostgreSQL, so a statement only PostgreSQL reads would otherwise
break the quickstart unseen (a bare ``OFFSET 0`` in the signed-in user's read once did, on every signed-in page).
"""

import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]

# Run in the quickstart's settings, after the same three commands as ``make run``.
PAGES = """
from django.test import Client

pages = {
    "pati@demo.kopdes.id": ["/dasbor/", "/dasbor/33.18/", "/dasbor/33.18.01/", "/koperasi/", "/notifikasi/"],
    "admin@demo.kopdes.id": ["/dasbor/", "/dasbor/33/"],
    "federasi@demo.kopdes.id": ["/dasbor/"],
    "prawoto@demo.kopdes.id": ["/koperasi/"],
}
for login, paths in pages.items():
    client = Client(HTTP_HOST="127.0.0.1")
    signed_in = client.post("/accounts/login/", {"login": login, "password": "demo-kopdes-2025"})
    assert signed_in.status_code == 302, (login, signed_in.status_code)
    for path in paths:
        response = client.get(path, follow=True)
        assert response.status_code == 200, (login, path, response.status_code)
        assert response.wsgi_request.user.email == login, (login, path)
print("PAGES OPEN")
"""


def test_the_quickstart_demo_opens_each_personas_pages_on_sqlite(tmp_path):
    # As a new user's shell has it: none of the suite's own settings (its database, Redis, two-factor roles...).
    env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG", "TMPDIR") if key in os.environ}
    env |= {"DJANGO_SETTINGS_MODULE": "config.settings.local", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "MEDIA_ROOT": str(tmp_path / "media")}

    def manage(*args: str) -> subprocess.CompletedProcess:
        result = subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True,
                                text=True, timeout=600)
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
        return result

    manage("migrate", "--noinput")
    manage("load_wilayah")
    manage("seed_demo")
    assert "PAGES OPEN" in manage("shell", "-c", PAGES).stdout
