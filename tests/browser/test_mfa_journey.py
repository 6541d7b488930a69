"""An officer's first sign-in in a real browser: two-factor authentication is activated before anything else."""

import pytest
from allauth.mfa.models import Authenticator

from core.roles import Role
from tests.conftest import PASSWORD
from tests.conftest import PATI
from tests.conftest import assert_accessible
from tests.conftest import browser_login
from tests.conftest import make_user
from tests.conftest import totp_code

pytestmark = [pytest.mark.browser]


def test_an_officer_activates_it_at_the_first_sign_in_and_then_reaches_home(page):
    officer = make_user(Role.KABUPATEN_OFFICER, PATI, mfa=False, full_name="Dinas Koperasi Pati")
    browser_login(page, officer.email)
    # Before activating, allauth asks for the password once more.
    page.wait_for_url("**/accounts/reauthenticate/?next=*")
    assert_accessible(page)
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action$='/accounts/reauthenticate/'] button[type=submit]")

    page.wait_for_url("**/accounts/2fa/totp/activate/")
    assert_accessible(page)
    assert page.locator("#main-menu a").count() == 0  # nothing else to go to yet
    assert page.locator("img.qr").get_attribute("src").startswith("data:image/svg+xml;base64,")
    secret = page.input_value("#totp-secret")  # what the phone's app learns from the QR code
    page.fill("input[name=code]", totp_code(secret))
    page.click("form[action$='/accounts/2fa/totp/activate/'] button[type=submit]")

    page.wait_for_url("**/accounts/2fa/recovery-codes/")
    assert_accessible(page)
    assert page.locator(".recovery-codes li").count() == 10
    page.click("main a.button[href='/']")
    page.wait_for_url(page.base_url + "/")
    assert page.locator("#main-menu a[href='/koperasi/']").count() == 1
    assert "Pati" in page.locator("main").inner_text()
    assert Authenticator.objects.filter(user=officer, type=Authenticator.Type.TOTP).exists()
