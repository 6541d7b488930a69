"""The client's address: X-Forwarded-For is believed only as far as the configured proxies wrote it."""

import pytest
from allauth.account.adapter import get_adapter
from django.conf import settings
from django.test import RequestFactory
from django.test import override_settings
from rest_framework.throttling import ScopedRateThrottle

from core.client_ip import client_ip


def request(remote_addr="10.0.0.2", forwarded=None):
    headers = {"REMOTE_ADDR": remote_addr}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


@override_settings(TRUSTED_PROXY_COUNT=0)
def test_without_a_proxy_the_header_is_ignored():
    assert client_ip(request("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


@pytest.mark.parametrize("proxies, forwarded, expected", [
    (1, "203.0.113.7", "203.0.113.7"),
    # Whatever the client wrote itself stands to the left of what our proxy appended.
    (1, "198.51.100.1, 192.0.2.9, 203.0.113.7", "203.0.113.7"),
    (2, "198.51.100.1, 203.0.113.7, 10.0.0.1", "203.0.113.7"),
    (1, " 2001:db8::7 ", "2001:db8::7"),
    # Fewer entries than proxies, or garbage where the client should be: only the peer is known for sure.
    (2, "203.0.113.7", "10.0.0.2"),
    (1, "", "10.0.0.2"),
    (1, "198.51.100.1, not-an-address", "10.0.0.2"),
])
def test_behind_proxies_the_client_is_the_entry_the_outermost_proxy_appended(proxies, forwarded, expected):
    with override_settings(TRUSTED_PROXY_COUNT=proxies):
        assert client_ip(request(forwarded=forwarded)) == expected


def test_one_setting_feeds_allauth_and_drf():
    assert settings.ALLAUTH_TRUSTED_PROXY_COUNT == settings.TRUSTED_PROXY_COUNT
    assert settings.REST_FRAMEWORK["NUM_PROXIES"] == settings.TRUSTED_PROXY_COUNT


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_allauth_and_the_lockout_agree_on_the_address():
    spoofed = request(forwarded="198.51.100.1, 203.0.113.7")
    assert get_adapter().get_client_ip(spoofed) == client_ip(spoofed) == "203.0.113.7"


@pytest.mark.parametrize("proxies", [0, 1])
def test_drf_throttles_key_on_the_same_address(proxies):
    with override_settings(TRUSTED_PROXY_COUNT=proxies, REST_FRAMEWORK={**settings.REST_FRAMEWORK,
                                                                        "NUM_PROXIES": proxies}):
        spoofed = request(forwarded="198.51.100.1, 203.0.113.7")
        assert ScopedRateThrottle().get_ident(spoofed) == client_ip(spoofed)
