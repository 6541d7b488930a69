"""Bahasa Indonesia is the default language; English is available from the switch."""

from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db

LOCALE = Path(__file__).resolve().parents[2] / "locale"


def test_pages_default_to_indonesian_even_for_english_browsers(client):
    response = client.get("/accounts/login/", headers={"accept-language": "en-US,en;q=0.9"})
    html = response.content.decode()
    assert response["Content-Language"] == "id"
    assert '<html lang="id">' in html
    assert "Masuk" in html and "Lupa kata sandi" in html


def test_language_switch_turns_the_portal_english(client, pati_officer):
    client.force_login(pati_officer)
    switched = client.post("/i18n/setlang/", {"language": "en", "next": "/wilayah/33.18/"})
    assert switched.status_code == 302
    html = client.get("/wilayah/33.18/").content.decode()
    assert '<html lang="en">' in html and "Sub-regions" in html and "Change history" in html
    client.post("/i18n/setlang/", {"language": "id", "next": "/"})
    html = client.get("/wilayah/33.18/").content.decode()
    assert "Sub-wilayah" in html and "Riwayat perubahan" in html


def test_api_errors_are_indonesian_by_default_and_english_on_request(client, pati_officer):
    client.force_login(pati_officer)
    indonesian = client.get("/api/regions/", {"level": "planet"}).json()["level"][0]
    english = client.get("/api/regions/", {"level": "planet"}, headers={"accept-language": "en"}).json()["level"][0]
    assert "pilihan" in indonesian.lower() and "valid choice" in english.lower()


def test_every_message_has_an_indonesian_translation():
    po = (LOCALE / "id" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    entries = po.split("\n\n")[1:]  # the first block is the header
    untranslated = [entry for entry in entries if 'msgstr ""' in entry and "msgstr[" not in entry
                    and entry.rstrip().endswith('msgstr ""')]
    fuzzy = [entry for entry in entries if "#, fuzzy" in entry]
    assert not untranslated, untranslated[:5]
    assert not fuzzy, fuzzy[:5]
    mo = LOCALE / "id" / "LC_MESSAGES" / "django.mo"
    assert mo.exists() and mo.stat().st_mtime >= (LOCALE / "id" / "LC_MESSAGES" / "django.po").stat().st_mtime - 1
