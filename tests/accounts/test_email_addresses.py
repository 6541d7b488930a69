"""
The sign-in address (/accounts/email/): a new one replaces the old only after the code e-mailed to it is
entered; another account's address is a form error; nothing ends half-changed or in a 500.
"""

import importlib
import re

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core import mail
from django.test import Client
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from accounts.adapters import InvitationOnlyAccountAdapter
from accounts.models import User
from accounts.services import user_invite
from core.roles import Role
from tests.conftest import PASSWORD
from tests.conftest import PATI
from tests.conftest import PRAWOTO
from tests.conftest import clear_test_cache
from tests.conftest import client_login
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

EMAIL = "/accounts/email/"
CONFIRM = "/accounts/confirm-email/"


@pytest.fixture(autouse=True)
def english_and_fresh_limits(client):
    client.cookies.load({"django_language": "en"})
    clear_test_cache()  # allauth's rate limits (e-mail changes, codes) count in the cache


@pytest.fixture
def staff(client):
    user = make_user(Role.VILLAGE_STAFF, PRAWOTO)
    client_login(client, user)
    return user


def _post_with_password(client, path: str, data: dict):
    """allauth asks for the password again before an address changes, then carries the POST out."""
    response = client.post(path, data)
    if response.status_code == 302 and response["Location"].startswith("/accounts/reauthenticate/"):
        response = client.post(response["Location"], {"password": PASSWORD})
    return response


def _code_sent_to(address: str) -> str:
    message = [message for message in mail.outbox if message.to == [address]][-1]
    return re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", message.body, re.MULTILINE).group(1)


def _addresses(user) -> list[tuple[str, bool, bool]]:
    return list(EmailAddress.objects.filter(user=user).order_by("email").values_list("email", "verified", "primary"))


def test_a_new_address_replaces_the_old_only_after_its_code_is_entered(client, staff):
    old = staff.email
    assert client.get(EMAIL).status_code == 200
    asked = _post_with_password(client, EMAIL, {"action_add": "", "email": "Baru@Example.id"})
    assert asked.status_code == 302 and asked["Location"] == CONFIRM
    code = _code_sent_to("baru@example.id")

    staff.refresh_from_db()
    assert staff.email == old and _addresses(staff) == [(old, True, True)]  # nothing changed yet
    assert Client().post("/accounts/login/", {"login": "baru@example.id", "password": PASSWORD}).status_code == 200
    # Making the pending address primary by hand does nothing either.
    client.post(EMAIL, {"action_primary": "", "email": "baru@example.id"})
    staff.refresh_from_db()
    assert staff.email == old

    wrong = client.post(CONFIRM, {"code": "XXXXXX"})
    assert wrong.status_code == 200 and "Incorrect code." in wrong.content.decode()
    assert client.post(CONFIRM, {"code": code})["Location"] == EMAIL
    staff.refresh_from_db()
    assert staff.email == "baru@example.id"
    assert _addresses(staff) == [("baru@example.id", True, True)]
    assert any(message.to == [old] for message in mail.outbox)  # the old address hears of the change
    assert client_login(Client(), staff)["Location"] == "/"


def test_another_accounts_address_is_a_form_error(client, staff):
    officer = make_user(Role.KABUPATEN_OFFICER, PATI)
    for taken in (officer.email, officer.email.upper()):
        refused = _post_with_password(client, EMAIL, {"action_add": "", "email": taken})
        assert refused.status_code == 200
        assert "Another account already uses this e-mail address." in refused.content.decode()
    assert mail.outbox == []
    staff.refresh_from_db()
    assert _addresses(staff) == [(staff.email, True, True)]


def test_an_address_invited_while_its_code_was_on_the_way_is_refused_without_a_500(client, staff, pati_officer):
    _post_with_password(client, EMAIL, {"action_add": "", "email": "later@example.id"})
    code = _code_sent_to("later@example.id")
    user_invite(actor=pati_officer, email="later@example.id", full_name="Later", role=Role.VILLAGE_STAFF,
                region_code=PRAWOTO)
    refused = client.post(CONFIRM, {"code": code})
    assert refused.status_code == 200
    assert "A user is already registered with this email address." in refused.content.decode()
    staff.refresh_from_db()
    assert staff.email != "later@example.id" and _addresses(staff) == [(staff.email, True, True)]
    assert User.objects.get(email="later@example.id").full_name == "Later"


def test_an_unverified_address_left_from_before_cannot_be_made_primary(client, staff, pati_officer):
    """
    The 500 of issue 10: an address added without verification was made primary after someone else got it;
    the EmailAddress rows changed, then saving User.email broke on its unique constraint.
    """
    EmailAddress.objects.create(user=staff, email="later@example.id", verified=False, primary=False)
    user_invite(actor=pati_officer, email="later@example.id", full_name="Later", role=Role.VILLAGE_STAFF,
                region_code=PRAWOTO)
    response = _post_with_password(client, EMAIL, {"action_primary": "", "email": "later@example.id"})
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.email != "later@example.id"
    assert EmailAddress.objects.get(user=staff, primary=True).email == staff.email


def test_verifying_an_address_another_account_holds_changes_nothing(staff, pati_officer):
    request = RequestFactory().post(CONFIRM)
    request.user, request.session = staff, {}
    request._messages = FallbackStorage(request)
    taken = EmailAddress(user=staff, email=pati_officer.email)
    with translation.override("en"):
        assert InvitationOnlyAccountAdapter(request).confirm_email(request, taken) is False
    staff.refresh_from_db()
    assert _addresses(staff) == [(staff.email, True, True)]
    assert "already the address of another account" in " ".join(str(message) for message in request._messages)


def test_an_officer_with_two_factor_authentication_can_change_the_address(client):
    officer = make_user(Role.KABUPATEN_OFFICER, PATI)
    client_login(client, officer)
    asked = _post_with_password(client, EMAIL, {"action_add": "", "email": "dinas@example.id"})
    assert asked["Location"] == CONFIRM
    assert client.post(CONFIRM, {"code": _code_sent_to("dinas@example.id")})["Location"] == EMAIL
    officer.refresh_from_db()
    assert officer.email == "dinas@example.id"


def test_the_invitation_link_verifies_the_invited_address(client, pati_officer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invited = user_invite(actor=pati_officer, email="siti@example.id", full_name="Siti", role=Role.VILLAGE_STAFF,
                              region_code=PRAWOTO)
    assert _addresses(invited) == [("siti@example.id", False, True)]
    link = re.search(r"https?://\S+(/accounts/password/reset/key/\S+)", mail.outbox[-1].body).group(1)
    form = client.get(link)
    assert form.status_code == 302
    client.post(form["Location"], {"password1": "Sandi-Baru-2025!", "password2": "Sandi-Baru-2025!"})
    assert _addresses(invited) == [("siti@example.id", True, True)]
    assert client_login(client, invited, "Sandi-Baru-2025!")["Location"] == "/"  # no code to wait for


def test_an_address_never_verified_is_verified_by_code_at_the_first_sign_in(client):
    # As an account made with createsuperuser or in the admin site: no verified address.
    user = User.objects.create_user(email="baru@test.kopdes.id", password=PASSWORD, full_name="Baru")
    signed_in = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert signed_in["Location"] == CONFIRM
    assert client.get("/").status_code == 302
    assert client.post(CONFIRM, {"code": _code_sent_to(user.email)})["Location"] == reverse("home")
    assert _addresses(user) == [(user.email, True, True)]


def test_the_migration_verifies_every_sign_in_address_and_undoes_half_changes():
    migration = importlib.import_module("accounts.migrations.0005_verify_sign_in_addresses")
    plain = User.objects.create_user(email="plain@test.kopdes.id", password=PASSWORD, full_name="Plain")
    half = User.objects.create_user(email="half@test.kopdes.id", password=PASSWORD, full_name="Half")
    EmailAddress.objects.create(user=half, email="half@test.kopdes.id", verified=False, primary=False)
    EmailAddress.objects.create(user=half, email="other@test.kopdes.id", verified=False, primary=True)
    migration.verify_sign_in_addresses(apps, None)
    assert _addresses(plain) == [("plain@test.kopdes.id", True, True)]
    assert _addresses(half) == [("half@test.kopdes.id", True, True), ("other@test.kopdes.id", False, False)]


def test_a_reset_asked_for_an_unknown_address_sends_nothing_and_answers_the_same(client, village_staff):
    """Accounts are by invitation: the unknown address had been mailed an invitation to a closed sign-up page."""
    from django.core import mail

    known = client.post("/accounts/password/reset/", {"email": village_staff.email})
    sent = len(mail.outbox)
    unknown = client.post("/accounts/password/reset/", {"email": "nobody-xyz@example.id"})
    assert sent == 1 and len(mail.outbox) == 1  # nothing more went out
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
