"""API tokens: stored as hashes, shown once, expiring, and ended by a new password or a deactivation."""

import hashlib
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiToken
from accounts.models import User
from accounts.services import api_token_issue
from tests.conftest import PASSWORD
from tests.conftest import api_as
from tests.conftest import clear_test_cache

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-New-test-passw0rd-2"


@pytest.fixture(autouse=True)
def _fresh_throttle():
    clear_test_cache()  # the token endpoint's throttle counts in the shared cache
    yield
    clear_test_cache()


def with_token(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}", HTTP_ACCEPT_LANGUAGE="en")
    return client


def accepted(key: str) -> bool:
    return with_token(key).get("/api/me/").status_code == 200


def test_the_endpoint_shows_the_key_once_and_stores_only_its_hash(village_staff):
    response = APIClient().post("/api/auth/token/", {"email": village_staff.email, "password": PASSWORD})
    assert response.status_code == 200
    body = response.json()
    key = body["token"]
    assert len(key) >= 40 and body["prefix"] == key[:8]
    token = ApiToken.objects.get(user=village_staff)
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM accounts_apitoken")
        assert not any(key in str(value) for row in cursor.fetchall() for value in row)
    expires = timezone.datetime.fromisoformat(body["expires_at"])
    assert abs(expires - (timezone.now() + timedelta(days=settings.API_TOKEN_DAYS))) < timedelta(minutes=1)
    assert accepted(key)
    # A second request is a second token; the first keeps working.
    second = APIClient().post("/api/auth/token/", {"email": village_staff.email, "password": PASSWORD}).json()
    assert second["token"] != key and accepted(key) and accepted(second["token"])


def test_django_rest_frameworks_clear_text_tokens_are_gone():
    assert "rest_framework.authtoken" not in settings.INSTALLED_APPS
    assert "authtoken_token" not in connection.introspection.table_names()


def test_an_expired_token_is_refused(village_staff):
    token, key = api_token_issue(user=village_staff)
    assert accepted(key)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = with_token(key).get("/api/me/")
    assert response.status_code in (401, 403) and "expired" in response.json()["detail"]


def test_an_unknown_or_malformed_token_is_refused(village_staff):
    _token, key = api_token_issue(user=village_staff)
    assert not accepted(key[:-1] + ("A" if key[-1] != "A" else "B"))
    assert not accepted(hashlib.sha256(key.encode()).hexdigest())  # the stored hash is not a key


def test_last_used_is_recorded_at_most_once_a_minute(village_staff):
    token, key = api_token_issue(user=village_staff)
    assert token.last_used_at is None
    accepted(key)
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first is not None
    accepted(key)
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(minutes=2))
    accepted(key)
    assert ApiToken.objects.get(pk=token.pk).last_used_at > first


def change_in_a_shell(user):
    user.set_password(NEW_PASSWORD)
    user.save()


def change_on_the_password_page(user):
    client = Client()
    client.force_login(user)
    response = client.post("/accounts/password/change/", {"oldpassword": PASSWORD, "password1": NEW_PASSWORD,
                                                          "password2": NEW_PASSWORD})
    assert response.status_code == 302


def reset_by_e_mail(user):
    client = Client()
    client.post("/accounts/password/reset/", {"email": user.email})
    link = next(line for line in mail.outbox[-1].body.splitlines() if "/accounts/password/reset/key/" in line)
    form = client.get(link.strip(), follow=True)
    response = client.post(form.redirect_chain[-1][0], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302


def change_with_a_raw_update(user):
    # Even a bulk update that sends no signal (a data fix, a script) ends the tokens.
    probe = User(password="")
    probe.set_password(NEW_PASSWORD)
    User.objects.filter(pk=user.pk).update(password=probe.password)


@pytest.mark.parametrize("change", [change_in_a_shell, change_on_the_password_page, reset_by_e_mail,
                                    change_with_a_raw_update], ids=lambda change: change.__name__)
def test_a_new_password_ends_every_token_issued_before_it(change, village_staff):
    _first, first_key = api_token_issue(user=village_staff)
    _second, second_key = api_token_issue(user=village_staff)
    assert accepted(first_key) and accepted(second_key)
    change(User.objects.get(pk=village_staff.pk))
    response = with_token(first_key).get("/api/me/")
    assert response.status_code in (401, 403) and "password has changed" in response.json()["detail"]
    assert not accepted(second_key)
    assert not ApiToken.objects.filter(user=village_staff).exists()  # refused tokens are deleted on sight
    # The new password gets a working token.
    fresh = APIClient().post("/api/auth/token/", {"email": village_staff.email, "password": NEW_PASSWORD}).json()
    assert accepted(fresh["token"])


def test_deactivation_deletes_the_tokens_so_reactivation_does_not_revive_them(pati_officer, village_staff):
    _token, key = api_token_issue(user=village_staff)
    api_as(pati_officer).post(f"/api/users/{village_staff.pk}/deactivate/")
    assert not accepted(key)
    assert not ApiToken.objects.filter(user=village_staff).exists()
    api_as(pati_officer).post(f"/api/users/{village_staff.pk}/reactivate/")
    assert not accepted(key)


def test_a_deactivated_account_gets_no_new_token(village_staff):
    User.objects.filter(pk=village_staff.pk).update(is_active=False)
    response = APIClient().post("/api/auth/token/", {"email": village_staff.email, "password": PASSWORD})
    assert response.status_code == 400 and not ApiToken.objects.exists()


def test_delete_with_a_token_revokes_that_token_only(village_staff):
    _first, first_key = api_token_issue(user=village_staff)
    _second, second_key = api_token_issue(user=village_staff)
    assert with_token(first_key).delete("/api/auth/token/").status_code == 204
    assert not accepted(first_key) and accepted(second_key)


def test_delete_in_a_signed_in_session_revokes_all_the_users_tokens(village_staff, pati_officer):
    _first, first_key = api_token_issue(user=village_staff)
    _second, second_key = api_token_issue(user=village_staff)
    _other, other_key = api_token_issue(user=pati_officer)
    client = APIClient()
    client.force_login(village_staff)
    assert client.delete("/api/auth/token/").status_code == 204
    assert not accepted(first_key) and not accepted(second_key)
    assert accepted(other_key)


def test_delete_without_signing_in_is_401():
    assert APIClient().delete("/api/auth/token/").status_code == 401
