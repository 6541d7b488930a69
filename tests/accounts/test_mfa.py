"""
Two-factor authentication (TOTP with recovery codes): open to everyone, required of officers, applied to
the admin site and to the API token. Codes are computed in the tests as a phone computes them (RFC 6238).
"""

import json

import pytest
from allauth.mfa.models import Authenticator

from accounts.models import User
from accounts.services import role_assign
from accounts.services import user_totp_activate
from core.roles import Role
from tests.conftest import PASSWORD
from tests.conftest import PATI
from tests.conftest import PRAWOTO
from tests.conftest import SUKOLILO
from tests.conftest import TOTP_SECRET
from tests.conftest import clear_test_cache
from tests.conftest import client_login
from tests.conftest import fresh_totp_codes
from tests.conftest import make_user
from tests.conftest import totp_code

pytestmark = pytest.mark.django_db

ACTIVATE = "/accounts/2fa/totp/activate/"
AUTHENTICATE = "/accounts/2fa/authenticate/"
EN = {"django_language": "en"}


@pytest.fixture(autouse=True)
def english_and_fresh_limits(client):
    client.cookies.load(EN)
    clear_test_cache()  # the token endpoint's throttle and allauth's rate limits count per IP address


def _reauthenticate(client, path: str):
    """allauth asks for the password again before changing two-factor settings; give it, then open ``path``."""
    page = client.get(path)
    if page.status_code == 302 and page["Location"].startswith("/accounts/reauthenticate/"):
        confirmed = client.post(page["Location"], {"password": PASSWORD})
        assert confirmed["Location"] == path
        page = client.get(path)
    return page


def _activate(client) -> str:
    """Open the activation page, enter the code of the secret it shows; the secret."""
    page = _reauthenticate(client, ACTIVATE)
    assert page.status_code == 200
    secret = page.context["form"].secret
    assert secret in page.content.decode() and 'src="data:image/svg+xml;base64,' in page.content.decode()
    done = client.post(ACTIVATE, {"code": totp_code(secret)})
    assert done.status_code == 302 and done["Location"] == "/accounts/2fa/recovery-codes/", done
    return secret


def test_anyone_can_activate_it_from_their_profile_and_then_signing_in_asks_for_a_code(client):
    staff = make_user(Role.VILLAGE_STAFF, PRAWOTO)
    assert client_login(client, staff)["Location"] == "/"  # not required of village staff
    profile = client.get("/pengguna/profil/").content.decode()
    assert 'href="/accounts/2fa/"' in profile and "Not active" in profile

    secret = _activate(client)
    codes = client.get("/accounts/2fa/recovery-codes/").context["unused_codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert "Active" in client.get("/pengguna/profil/").content.decode()

    client.post("/accounts/logout/")
    signed_in = client.post("/accounts/login/", {"login": staff.email, "password": PASSWORD})
    assert signed_in["Location"] == AUTHENTICATE
    assert client.get("/").status_code == 302  # the password alone does not sign in
    wrong = client.post(AUTHENTICATE, {"code": "000000" if totp_code(secret) != "000000" else "111111"})
    assert wrong.status_code == 200 and "Incorrect code." in wrong.content.decode()
    assert client.post(AUTHENTICATE, {"code": totp_code(secret)})["Location"] == "/"
    assert client.get("/").status_code == 200


def test_a_recovery_code_signs_in_once(client):
    staff = make_user(Role.VILLAGE_STAFF, PRAWOTO, mfa=True)
    client_login(client, staff)
    code = _reauthenticate(client, "/accounts/2fa/recovery-codes/").context["unused_codes"][3]
    client.post("/accounts/logout/")

    client.post("/accounts/login/", {"login": staff.email, "password": PASSWORD})
    assert client.post(AUTHENTICATE, {"code": code})["Location"] == "/"
    assert code not in _reauthenticate(client, "/accounts/2fa/recovery-codes/").context["unused_codes"]
    client.post("/accounts/logout/")

    client.post("/accounts/login/", {"login": staff.email, "password": PASSWORD})
    again = client.post(AUTHENTICATE, {"code": code})
    assert again.status_code == 200 and "Incorrect code." in again.content.decode()
    assert client.get("/").status_code == 302


def test_an_authenticator_code_works_once(client):
    staff = make_user(Role.VILLAGE_STAFF, PRAWOTO, mfa=True)
    client.post("/accounts/login/", {"login": staff.email, "password": PASSWORD})
    code = totp_code()
    assert client.post(AUTHENTICATE, {"code": code})["Location"] == "/"
    client.post("/accounts/logout/")
    client.post("/accounts/login/", {"login": staff.email, "password": PASSWORD})
    assert client.post(AUTHENTICATE, {"code": code}).status_code == 200  # replayed: refused


@pytest.mark.parametrize("role,region", [(Role.NATIONAL_ADMIN, None), (Role.PROVINCE_OFFICER, "33"),
                                         (Role.KABUPATEN_OFFICER, PATI), (Role.KECAMATAN_OFFICER, SUKOLILO)])
def test_an_officer_without_it_reaches_nothing_but_its_activation(client, role, region):
    officer = make_user(role, region, mfa=False)
    assert client_login(client, officer).status_code == 302
    for path in ("/", "/koperasi/", "/pengguna/profil/", f"/wilayah/{PATI}/", "/notifikasi/", "/accounts/email/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"] == ACTIVATE, path
    assert client.post("/koperasi/daftar/", {}).status_code == 302
    api = client.get("/api/cooperatives/")
    assert api.status_code == 403 and "two-factor authentication" in api.json()["detail"]
    assert client.get("/koperasi/", headers={"HX-Request": "true"})["HX-Redirect"] == ACTIVATE

    page = _reauthenticate(client, ACTIVATE)
    html = page.content.decode()
    assert page.status_code == 200 and "Your role requires two-factor authentication" in html
    assert 'href="/koperasi/"' not in html  # the menu is hidden while it leads nowhere
    assert client.post("/i18n/setlang/", {"language": "id", "next": ACTIVATE}).status_code == 302  # language switch

    _activate(client)
    assert client.get("/accounts/2fa/recovery-codes/").status_code == 200  # shown right after activation
    assert client.get("/").status_code == 200
    assert client.get("/koperasi/").status_code == 200


def test_an_officer_without_it_can_still_sign_out(client, pati_officer):
    officer = make_user(Role.KABUPATEN_OFFICER, PATI, mfa=False)
    client_login(client, officer)
    assert client.post("/accounts/logout/")["Location"] == "/accounts/login/"
    assert client.get(ACTIVATE)["Location"].startswith("/accounts/login/")


def test_village_staff_and_federation_directors_may_opt_in_but_are_not_sent_to_it(client):
    for user in (make_user(Role.VILLAGE_STAFF, PRAWOTO), make_user(Role.FEDERATION_DIRECTOR, PRAWOTO)):
        client_login(client, user)
        assert client.get("/").status_code == 200
        assert client.get("/koperasi/").status_code == 200
        client.post("/accounts/logout/")


def test_an_officer_cannot_turn_it_off_but_village_staff_can(client):
    officer = make_user(Role.KABUPATEN_OFFICER, PATI)
    client_login(client, officer)
    _reauthenticate(client, "/accounts/2fa/totp/deactivate/")
    refused = client.post("/accounts/2fa/totp/deactivate/")
    assert "Your role requires two-factor authentication, so it cannot be turned off." in refused.content.decode()
    assert Authenticator.objects.filter(user=officer, type=Authenticator.Type.TOTP).exists()
    client.post("/accounts/logout/")

    staff = make_user(Role.VILLAGE_STAFF, PRAWOTO, mfa=True)
    client_login(client, staff)
    _reauthenticate(client, "/accounts/2fa/totp/deactivate/")
    assert client.post("/accounts/2fa/totp/deactivate/")["Location"] == "/accounts/2fa/"
    assert not Authenticator.objects.filter(user=staff).exists()  # recovery codes go with it


def test_staff_and_superusers_count_as_national_administrators(client):
    root = User.objects.create_superuser(email="root@test.kopdes.id", password=PASSWORD, full_name="Root")
    client.force_login(root)
    assert client.get("/admin/")["Location"] == ACTIVATE


def test_the_admin_site_signs_in_through_the_portal_and_asks_for_the_code(client):
    admin = make_user(Role.NATIONAL_ADMIN, is_staff=True, is_superuser=True)
    entry = client.get("/admin/")
    assert entry.status_code == 302 and entry["Location"].startswith("/admin/login/")
    to_portal = client.get(entry["Location"])
    assert to_portal.status_code == 302 and to_portal["Location"] == "/accounts/login/?next=%2Fadmin%2F"
    # Django's own admin login form no longer signs anyone in.
    client.post("/admin/login/?next=/admin/", {"username": admin.email, "password": PASSWORD})
    assert client.get("/admin/").status_code == 302

    signed_in = client.post("/accounts/login/?next=/admin/", {"login": admin.email, "password": PASSWORD,
                                                              "next": "/admin/"})
    assert signed_in["Location"] == AUTHENTICATE
    assert client.get("/admin/").status_code == 302  # not before the code
    assert client.post(AUTHENTICATE, {"code": totp_code()})["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_the_secret_is_stored_encrypted():
    officer = make_user(Role.KABUPATEN_OFFICER, PATI)
    stored = json.dumps(list(Authenticator.objects.filter(user=officer).values_list("data", flat=True)))
    assert TOTP_SECRET not in stored and TOTP_SECRET.lower() not in stored
    totp = Authenticator.objects.get(user=officer, type=Authenticator.Type.TOTP).wrap()
    assert totp.validate_code(totp_code())


def test_who_must_use_it_is_one_setting(client, settings):
    settings.MFA_REQUIRED_ROLES = []  # as in the quickstart (config/settings/local.py)
    officer = make_user(Role.KABUPATEN_OFFICER, PATI)
    assert not Authenticator.objects.filter(user=officer).exists()
    client_login(client, officer)
    assert client.get("/").status_code == 200
    client.post("/accounts/logout/")

    settings.MFA_REQUIRED_ROLES = [Role.VILLAGE_STAFF]
    staff = make_user(Role.VILLAGE_STAFF, PRAWOTO, mfa=False)
    client_login(client, staff)
    assert client.get("/")["Location"] == ACTIVATE


def test_a_misspelt_role_in_the_setting_fails_the_system_check(settings):
    from accounts.checks import check_mfa_required_roles

    assert check_mfa_required_roles(None) == []
    settings.MFA_REQUIRED_ROLES = ["kabupaten_oficer"]
    assert [error.id for error in check_mfa_required_roles(None)] == ["accounts.E001"]


def test_the_quickstart_does_not_require_it_and_production_and_the_tests_do(settings):
    from config.settings import base
    from config.settings import local

    officers = {Role.NATIONAL_ADMIN, Role.PROVINCE_OFFICER, Role.KABUPATEN_OFFICER, Role.KECAMATAN_OFFICER}
    assert local.MFA_REQUIRED_ROLES == []
    assert set(base.MFA_REQUIRED_ROLES) == officers == set(settings.MFA_REQUIRED_ROLES)  # production: base


# SECTION: the API token


def _token(api_client, user, **extra):
    return api_client.post("/api/auth/token/", {"email": user.email, "password": PASSWORD, **extra},
                           format="json", headers={"accept-language": "en"})


def test_the_token_needs_a_code_when_two_factor_authentication_is_active(api_client):
    staff = make_user(Role.VILLAGE_STAFF, PRAWOTO, mfa=True)
    missing = _token(api_client, staff)
    assert missing.status_code == 400 and "otp" in missing.json()
    wrong = _token(api_client, staff, otp="12345")
    assert wrong.status_code == 400 and "not correct" in wrong.json()["otp"][0]
    code = totp_code()
    assert _token(api_client, staff, otp=code).status_code == 200
    assert _token(api_client, staff, otp=code).status_code == 400  # a code works once
    assert _token(api_client, staff, otp=fresh_totp_codes()[1]).status_code == 200


def test_a_recovery_code_gets_a_token_once(api_client, client):
    staff = make_user(Role.VILLAGE_STAFF, PRAWOTO, mfa=True)
    client_login(client, staff)
    recovery = _reauthenticate(client, "/accounts/2fa/recovery-codes/").context["unused_codes"][0]
    assert _token(api_client, staff, otp=recovery).status_code == 200
    assert _token(api_client, staff, otp=recovery).status_code == 400


def test_without_two_factor_authentication_the_password_is_enough_unless_the_role_requires_it(api_client):
    staff = make_user(Role.VILLAGE_STAFF, PRAWOTO)
    assert _token(api_client, staff).status_code == 200
    officer = make_user(Role.KABUPATEN_OFFICER, PATI, mfa=False)
    refused = _token(api_client, officer)
    assert refused.status_code == 403 and "activate it" in refused.json()["detail"]


def test_wrong_codes_are_limited_per_account(api_client):
    staff = make_user(Role.VILLAGE_STAFF, PRAWOTO, mfa=True)
    answers = [_token(api_client, staff, otp="99999999").json()["otp"][0] for _ in range(6)]
    assert "Too many wrong codes" in answers[-1]
    assert _token(api_client, staff, otp=totp_code()).status_code == 400  # even a right one, for a while



def test_guessing_codes_on_the_sign_in_step_locks_it_even_for_the_right_code(client):
    staff = make_user(Role.VILLAGE_STAFF, PRAWOTO, mfa=True)
    assert client.post("/accounts/login/", {"login": staff.email, "password": PASSWORD})["Location"] == AUTHENTICATE
    wrong = "000000" if totp_code() != "000000" else "111111"
    for _ in range(5):
        assert client.post(AUTHENTICATE, {"code": wrong}).status_code == 200
    locked = client.post(AUTHENTICATE, {"code": totp_code()})
    assert locked.status_code == 200 and "Too many failed sign-in attempts" in locked.content.decode()
    assert client.get("/").status_code == 302


def test_a_token_issued_before_the_role_required_two_factor_authentication_does_not_get_round_it(api_client):
    """A village staff member's token went on working, with officer rights, after promotion to kecamatan officer."""
    staff = make_user(Role.VILLAGE_STAFF, PRAWOTO)
    key = _token(api_client, staff).json()["token"]
    admin = make_user(Role.NATIONAL_ADMIN)
    role_assign(actor=admin, user=staff, role=Role.KECAMATAN_OFFICER, region_code=SUKOLILO)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}", HTTP_ACCEPT_LANGUAGE="en")
    refused = api_client.get("/api/users/")
    assert refused.status_code == 403 and "Activate it in the portal" in refused.json()["detail"]
    # Once activated, a token issued with a password alone is still not enough: a new one, with a code, is.
    user_totp_activate(user=staff, secret=TOTP_SECRET)
    refused = api_client.get("/api/users/")
    assert refused.status_code == 403 and "issued before two-factor" in refused.json()["detail"]
    api_client.credentials()
    fresh = _token(api_client, staff, otp=totp_code()).json()["token"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {fresh}")
    assert api_client.get("/api/users/").status_code == 200
