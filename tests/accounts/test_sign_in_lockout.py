"""
One sign-in lockout across the web sign-in, the technical admin and the API token endpoint, kept in
PostgreSQL and keyed by the account typed and by the client address behind the configured proxies.
"""

import threading
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth import authenticate
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test import override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import SignInFailure
from core.roles import Role
from tests.conftest import PASSWORD
from tests.conftest import clear_test_cache
from tests.conftest import make_user
from tests.conftest import totp_code

pytestmark = pytest.mark.django_db

LIMIT = 5  # SIGN_IN_ACCOUNT_FAILURE_LIMIT in the settings every environment starts from
LOCKED = "Too many failed sign-in attempts"
WRONG = "not-the-password-1"


@pytest.fixture(autouse=True)
def _fresh_throttle():
    # The token endpoint's DRF throttle counts in the (shared, not rolled back) cache; start each test at zero.
    clear_test_cache()
    yield
    clear_test_cache()


@pytest.fixture
def officer(db):
    """A national administrator who may also use the technical admin site."""
    return make_user(Role.NATIONAL_ADMIN, is_staff=True, is_superuser=True)


def english_client():
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def web_sign_in(email, password, **headers):
    return english_client().post("/accounts/login/", {"login": email, "password": password}, headers=headers)


def admin_sign_in(email, password, **headers):
    # The technical admin signs in through the portal's sign-in (its own form only redirects there).
    return english_client().post("/accounts/login/?next=/admin/", {"login": email, "password": password,
                                                                     "next": "/admin/"}, headers=headers)


def api_sign_in(email, password, **headers):
    # Officers use two-factor authentication; the code is right, so only the password decides.
    return APIClient().post("/api/auth/token/", {"email": email, "password": password, "otp": totp_code()},
                            headers={"accept-language": "en", **headers})


def signed_in(channel, response) -> bool:
    if channel is api_sign_in:
        return response.status_code == 200 and "token" in response.json()
    return response.status_code == 302


def refused_as_locked(channel, response) -> bool:
    if channel is api_sign_in:
        return (response.status_code == 429 and LOCKED in response.json()["detail"]
                and int(response["Retry-After"]) > 0)
    return response.status_code == 200 and LOCKED in response.content.decode()


CHANNELS = [web_sign_in, admin_sign_in, api_sign_in]


@pytest.mark.parametrize("failing", CHANNELS, ids=lambda channel: channel.__name__)
def test_failures_on_one_channel_lock_every_channel_even_with_the_right_password(failing, officer):
    for _ in range(LIMIT - 1):
        assert not signed_in(failing, failing(officer.email, WRONG))
    # The fifth failure itself already says the account is now locked.
    assert refused_as_locked(failing, failing(officer.email, WRONG))
    for channel in CHANNELS:
        response = channel(officer.email, PASSWORD)
        assert refused_as_locked(channel, response), (channel.__name__, response.status_code)
    assert not officer.api_tokens.exists()


def test_below_the_limit_the_right_password_still_signs_in_and_clears_the_failures(officer):
    for _ in range(LIMIT - 1):
        web_sign_in(officer.email, WRONG)
    assert signed_in(api_sign_in, api_sign_in(officer.email, PASSWORD))
    assert not SignInFailure.objects.filter(identifier=officer.email).exists()
    # Counting starts again: four more failures do not lock.
    for _ in range(LIMIT - 1):
        admin_sign_in(officer.email, WRONG)
    assert signed_in(web_sign_in, web_sign_in(officer.email, PASSWORD))


def test_the_lock_lifts_once_the_failures_are_older_than_the_window(officer):
    for _ in range(LIMIT):
        api_sign_in(officer.email, WRONG)
    assert refused_as_locked(api_sign_in, api_sign_in(officer.email, PASSWORD))
    window = timedelta(minutes=settings.SIGN_IN_LOCKOUT_MINUTES)

    def age_failures_by(delta):
        for failure in SignInFailure.objects.filter(identifier=officer.email):
            failure.attempted_at -= delta
            failure.save()

    # One minute before the oldest failure leaves the window, the lock still holds and says how long.
    age_failures_by(window - timedelta(minutes=1))
    response = api_sign_in(officer.email, PASSWORD)
    assert refused_as_locked(api_sign_in, response) and int(response["Retry-After"]) <= 60
    age_failures_by(timedelta(minutes=1, seconds=5))
    assert signed_in(web_sign_in, web_sign_in(officer.email, PASSWORD))


def test_refused_attempts_during_the_lock_do_not_prolong_it(officer):
    for _ in range(LIMIT):
        web_sign_in(officer.email, WRONG)
    for _ in range(10):
        assert refused_as_locked(web_sign_in, web_sign_in(officer.email, WRONG))
    assert SignInFailure.objects.filter(identifier=officer.email).count() == LIMIT


def test_another_account_from_the_same_address_is_not_locked_by_the_account_rule(officer, pati_officer):
    for _ in range(LIMIT):
        web_sign_in(officer.email, WRONG)
    assert refused_as_locked(web_sign_in, web_sign_in(officer.email, PASSWORD))
    assert signed_in(web_sign_in, web_sign_in(pati_officer.email, PASSWORD))
    assert signed_in(api_sign_in, api_sign_in(pati_officer.email, PASSWORD))


def test_the_address_typed_is_locked_in_any_case_and_unknown_addresses_look_the_same(officer):
    for _ in range(LIMIT):
        api_sign_in(officer.email.upper(), WRONG)
    known = api_sign_in(f" {officer.email.title()}", PASSWORD)
    for _ in range(LIMIT):
        api_sign_in("nobody@test.kopdes.id", WRONG)
    unknown = api_sign_in("nobody@test.kopdes.id", WRONG)
    assert refused_as_locked(api_sign_in, known) and refused_as_locked(api_sign_in, unknown)
    assert known.json() == unknown.json()


def test_rotating_x_forwarded_for_does_not_escape_the_lock_without_a_proxy(officer):
    for number in range(LIMIT):
        api_sign_in(officer.email, WRONG, x_forwarded_for=f"198.51.100.{number}")
    response = api_sign_in(officer.email, PASSWORD, x_forwarded_for="203.0.113.99")
    assert refused_as_locked(api_sign_in, response)
    # Without a trusted proxy the header is ignored: every failure was counted against the socket's address.
    assert set(SignInFailure.objects.values_list("ip_address", flat=True)) == {"127.0.0.1"}


@override_settings(SIGN_IN_IP_FAILURE_LIMIT=8)
def test_password_spraying_from_one_address_locks_that_address_for_every_account(officer, pati_officer):
    for number in range(8):
        web_sign_in(f"guess{number}@test.kopdes.id", WRONG)
    assert refused_as_locked(web_sign_in, web_sign_in(pati_officer.email, PASSWORD))
    assert refused_as_locked(api_sign_in, api_sign_in(officer.email, PASSWORD))
    # Not a failure of those accounts: from elsewhere they sign in.
    SignInFailure.objects.update(ip_address="192.0.2.1")
    assert signed_in(api_sign_in, api_sign_in(pati_officer.email, PASSWORD))


@override_settings(SIGN_IN_IP_FAILURE_LIMIT=8, TRUSTED_PROXY_COUNT=1)
def test_behind_one_proxy_the_client_is_the_address_the_proxy_appended(pati_officer):
    def through_proxy(client_address, spoofed):
        # nginx appends the address it saw to whatever X-Forwarded-For the client sent.
        return {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": f"{spoofed}, {client_address}"}

    for number in range(8):
        APIClient().post("/api/auth/token/", {"email": f"guess{number}@test.kopdes.id", "password": WRONG},
                         **through_proxy("203.0.113.7", f"198.51.100.{number}"))
    assert set(SignInFailure.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}
    locked = APIClient().post("/api/auth/token/", {"email": pati_officer.email, "password": PASSWORD,
                                                         "otp": totp_code()},
                              **through_proxy("203.0.113.7", "192.0.2.200"))
    assert locked.status_code == 429
    other_client = APIClient().post("/api/auth/token/", {"email": pati_officer.email, "password": PASSWORD,
                                                               "otp": totp_code()},
                                    **through_proxy("203.0.113.8", "203.0.113.7"))
    assert other_client.status_code == 200


def test_the_token_endpoint_throttle_is_not_escaped_by_rotating_x_forwarded_for(officer):
    limit = int(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["token"].split("/")[0])
    statuses = [
        APIClient().post("/api/auth/token/", {"email": "x@test.kopdes.id"}, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
        .status_code
        for n in range(limit + 1)
    ]
    assert statuses[:limit] == [400] * limit and statuses[limit] == 429


def test_a_password_reset_lifts_the_lock(client, officer):
    for _ in range(LIMIT):
        web_sign_in(officer.email, WRONG)
    client.post("/accounts/password/reset/", {"email": officer.email})
    link = next(line for line in mail.outbox[-1].body.splitlines() if "/accounts/password/reset/key/" in line)
    form = client.get(link.strip(), follow=True)
    new_password = "a-New-test-passw0rd-2"
    client.post(form.redirect_chain[-1][0], {"password1": new_password, "password2": new_password})
    assert signed_in(web_sign_in, web_sign_in(officer.email, new_password))


@pytest.mark.django_db(transaction=True)
def test_parallel_guesses_get_no_more_password_checks_than_the_limit():
    """Attempts are written before the password is checked, so a burst of parallel guesses cannot overtake the count."""
    guesses = 12
    barrier = threading.Barrier(guesses)
    finished = []

    def guess(number):
        try:
            barrier.wait(timeout=10)
            finished.append(authenticate(None, email="target@test.kopdes.id", password=f"guess-{number}"))
        finally:
            connection.close()

    threads = [threading.Thread(target=guess, args=(number,)) for number in range(guesses)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert finished == [None] * guesses
    # Each checked guess left its failure; each refused one left nothing.
    assert SignInFailure.objects.filter(identifier="target@test.kopdes.id").count() <= LIMIT


@override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                       "LOCATION": "redis://127.0.0.1:1/0"}})
def test_the_lockout_holds_with_redis_unreachable(officer):
    """Nothing of the lockout is in the cache: with Redis gone it still counts, locks and refuses."""
    with pytest.raises(Exception):  # noqa: B017 - the cache really is unreachable
        cache.get("anything")
    for _ in range(LIMIT):
        assert authenticate(None, email=officer.email, password=WRONG) is None
    assert authenticate(None, email=officer.email, password=PASSWORD) is None
    SignInFailure.objects.update(attempted_at=timezone.now() - timedelta(minutes=settings.SIGN_IN_LOCKOUT_MINUTES + 1))
    assert authenticate(None, email=officer.email, password=PASSWORD) == officer
