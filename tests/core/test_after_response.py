"""Work left for after the response: run when the server closes the response, in the request's language."""

import pytest
from django.http import HttpResponse
from django.utils import translation

from core.after_response import after_response

# close() sends request_finished, whose handler looks at the database connections.
pytestmark = pytest.mark.django_db


def test_work_runs_when_the_response_is_closed_in_the_language_of_the_request():
    seen = []
    with translation.override("en"):
        response = HttpResponse("page")
        after_response(response, lambda: seen.append(translation.get_language()))
    assert seen == []  # not while the response is being sent
    with translation.override("id"):  # the worker has moved on
        response.close()
        assert translation.get_language() == "id"
    assert seen == ["en"]


def test_a_failure_is_logged_and_does_not_stop_the_rest_of_the_close(caplog):
    ran = []

    def failing():
        raise ValueError("no drawing")

    response = HttpResponse("page")
    after_response(response, failing)
    after_response(response, lambda: ran.append(True))
    response.close()
    assert ran == [True] and response.closed
    assert "Work left for after the response failed" in caplog.text and "no drawing" in caplog.text
