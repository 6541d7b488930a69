"""The page around a cached dashboard (core.shell): kept once per user, filled in per page and per request."""

import re

import pytest
from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client

from core import shell
from core.shell import render_with_shell
from reports.models import ExportJob
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
    assert shell._PLACEHOLDER.format("") not in kabupaten + kecamatan
    assert 'id="children"' in kabupaten


def test_the_shells_texts_are_escaped_and_filled_in_one_pass(rf, pati_officer, kept_shells):
    """A title is shown as text, and what is filled in is never read again: a title or a body that holds another
    placeholder shows it as written."""
    title = f'Desa "Maju" & <Jaya> {shell._PLACEHOLDER.format("csrf_token")}'
    body = f"<p>Isi {shell._PLACEHOLDER.format('shell_path')}</p>"
    request = rf.get("/dasbor/33.18/", {"k": "2"})
    request.user = pati_officer
    request._messages = CookieStorage(request)

    html = render_with_shell(request, "reports/dashboard.html", body=body.encode(), shell_context={"page_title": title},
                             context={}).content.decode()

    assert f"Desa &quot;Maju&quot; &amp; &lt;Jaya&gt; {shell._PLACEHOLDER.format('csrf_token')} ·" in html
    assert f"<p>Isi {shell._PLACEHOLDER.format('shell_path')}</p>" in html
    assert language_switch_target(html) == "/dasbor/33.18/?k=2"
    assert len(kept_shells) == 1


def test_two_sessions_of_one_officer_share_the_kept_shell_each_with_its_own_csrf_token(areas, pati_officer,
                                                                                      kept_shells):
    """The kept shell's forms (the language switch) carry the token of the browser that asks, not of the first."""
    tokens = []
    for browser in (Client(), Client()):
        browser.force_login(pati_officer)
        html = browser.get(f"/dasbor/{PATI}/").content.decode()
        token = re.search(r'<form class="language".*?name="csrfmiddlewaretoken" value="([^"]+)"', html, re.S).group(1)
        assert _unmask_cipher_token(token) == browser.cookies[settings.CSRF_COOKIE_NAME].value
        tokens.append(browser.cookies[settings.CSRF_COOKIE_NAME].value)
    assert len(kept_shells) == 1 and tokens[0] != tokens[1]


def test_an_ordinary_page_returns_the_language_switch_to_itself(client, pati_officer):
    client.force_login(pati_officer)
    html = client.get("/koperasi/", {"q": "Maju", "stage": "1"}).content.decode()
    assert language_switch_target(html) == "/koperasi/?q=Maju&amp;stage=1"


def export_form(html: str) -> tuple[str, str]:
    """The token and the table of the page's first export form."""
    form = re.search(r'<form[^>]*action="[^"]*/ekspor/".*?</form>', html, re.S).group(0)
    return (re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1),
            re.search(r'name="kind" value="([^"]+)"', form).group(1))


def test_the_dashboards_export_form_posts_with_its_token_and_a_forged_one_is_refused(areas, pati_officer, settings):
    settings.DASHBOARD_CACHE_SECONDS = 60
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(pati_officer)
    browser.get(f"/dasbor/{PATI}/")  # drawn and kept
    page = browser.get(f"/dasbor/{PATI}/")  # served from the cache, the token filled in for this request
    token, kind = export_form(page.content.decode())
    assert settings.CSRF_COOKIE_NAME in page.cookies  # sent again, as Django does, so its expiry is renewed

    forged = token[:-1] + ("a" if token[-1] != "a" else "b")
    refused = browser.post(f"/dasbor/{PATI}/ekspor/", {"kind": kind, "fmt": "csv", "csrfmiddlewaretoken": forged})
    accepted = browser.post(f"/dasbor/{PATI}/ekspor/", {"kind": kind, "fmt": "csv", "csrfmiddlewaretoken": token})

    assert refused.status_code == 403
    assert accepted.status_code == 302 and ExportJob.objects.filter(user=pati_officer).count() == 1
