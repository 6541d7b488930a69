"""The CSRF token a cached dashboard carries (core.csrf): the browser's secret, under a new mask each time."""

from collections import Counter

from django.conf import settings
from django.middleware.csrf import CSRF_ALLOWED_CHARS
from django.middleware.csrf import CsrfViewMiddleware
from django.middleware.csrf import _unmask_cipher_token

from core.csrf import csrf_token


def test_each_token_unmasks_to_the_browsers_secret_under_a_new_mask(rf):
    request = rf.get("/")
    secret = "s3cretS3CRETs3cretS3CRETs3cret12"
    request.COOKIES[settings.CSRF_COOKIE_NAME] = secret
    CsrfViewMiddleware(lambda request: None).process_request(request)

    tokens = [csrf_token(request) for _ in range(2000)]

    assert all(_unmask_cipher_token(token) == secret for token in tokens)
    assert len(set(tokens)) == len(tokens)
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"]
    # Every character of the alphabet turns up in the masks about equally often (64,000 draws, ~1,032 each).
    counts = Counter("".join(token[:32] for token in tokens))
    assert set(counts) == set(CSRF_ALLOWED_CHARS)
    assert max(counts.values()) < 1.25 * min(counts.values())


def test_a_browser_without_a_csrf_cookie_is_given_a_new_secret(rf):
    request = rf.get("/")
    CsrfViewMiddleware(lambda request: None).process_request(request)

    token = csrf_token(request)

    assert _unmask_cipher_token(token) == request.META["CSRF_COOKIE"]
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"]
