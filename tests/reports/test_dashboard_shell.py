"""The page around a cached dashboard (core.shell): kept once per user, filled in per page and per request."""

import re

import pytest
from django.contrib.messages.storage.cookie import CookieStorage

from core import shell
from core.shell import render_with_shell
from tests.conftest import PATI
from tests.conftest import SUKOLILO

pytestmark = pytest.mark.django_db


@pytest.fixture
def kept_shells(settings):
    settings.DASHBOARD_CACHE_SECONDS, settings.DASHBOARD_REFRESH_FLOOR_SECONDS = 60, 20
    from tests.conftest import clear_test_cache

    clear_test_cache()
    shell._shells.clear()
    yield shell._shells
    shell._shells.clear()


def language_switch_target(html: str) -> str:
    return re.search(r'<input name="next" type="hidden" value="([^"]*)">', html).group(1)


def test_one_kept_shell_serves_every_page_an_officer_opens_each_with_its_own_path_and_title(
        client, areas, pati_officer, kept_shells):
    client.force_login(pati_officer)
    kabupaten = client.get(f"/dasbor/{PATI}/?k=2&sort=name").content.decode()
    kecamatan = client.get(f"/dasbor/{SUKOLILO}/").content.decode()

    assert len(kept_shells) == 1  # not one per page: an officer browsing 800 areas rendered 800
    # The language switch returns to the page it is on, its query written as HTML.
    assert language_switch_target(kabupaten) == f"/dasbor/{PATI}/?k=2&amp;sort=name"
    assert language_switch_target(kecamatan) == f"/dasbor/{SUKOLILO}/"
    assert "<title>Dasbor — Kabupaten Pati ·" in kabupaten and "<title>Dasbor — Sukolilo ·" in kecamatan
    # Each page has the request's own CSRF token in the kept shell's form and its own body.
    assert "__page_shell_" not in kabupaten + kecamatan
    assert 'id="children"' in kabupaten


def test_the_shells_texts_are_escaped_and_filled_in_one_pass(rf, pati_officer, kept_shells):
    """A title is shown as text, and what is filled in is never read again: a title or a body that happens to hold a
    placeholder's name shows it as written."""
    title = 'Desa "Maju" & <Jaya> __page_shell_csrf_token__'
    body = "<p>Isi __page_shell_shell_path__</p>"
    request = rf.get("/dasbor/33.18/", {"k": "2"})
    request.user = pati_officer
    request._messages = CookieStorage(request)

    html = render_with_shell(request, "reports/dashboard.html", body=body, shell_context={"page_title": title},
                             context={}).render().content.decode()

    assert "Desa &quot;Maju&quot; &amp; &lt;Jaya&gt; __page_shell_csrf_token__ ·" in html
    assert "<p>Isi __page_shell_shell_path__</p>" in html
    assert language_switch_target(html) == "/dasbor/33.18/?k=2"
    assert len(kept_shells) == 1
