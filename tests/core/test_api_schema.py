"""
The OpenAPI document says what the API really answers: boolean filters take true/false, every operation lists
its error answers with the bodies the portal sends, If-Match/ETag/412 where honoured, 429 where throttled.
"""

import jsonschema
import pytest
from drf_spectacular.validation import validate_schema

from tests.conftest import api_as
from tests.conftest import register

pytestmark = pytest.mark.django_db

METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture
def openapi(api_client):
    response = api_client.get("/api/schema/?format=json")
    assert response.status_code == 200
    return response.json()


def _operations(openapi):
    for path, item in openapi["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield path, method, operation


def test_the_schema_is_valid_openapi(openapi):
    validate_schema(openapi)  # drf-spectacular's validation against the OpenAPI 3 meta-schema


def test_boolean_filters_are_booleans_and_their_values_validate(openapi, national_admin):
    booleans = {(path, parameter["name"]) for path, _method, operation in _operations(openapi)
                for parameter in operation.get("parameters", []) if parameter["schema"].get("type") == "boolean"}
    # Every StrictBooleanFilter of the FilterSets, and the follow-ups' own switch.
    assert booleans >= {("/api/cooperatives/", "completed"), ("/api/cooperatives/", "stalled"),
                        ("/api/members/", "is_founder"), ("/api/notifications/", "unread"),
                        ("/api/positions/", "active"), ("/api/regions/", "is_active"), ("/api/targets/", "top_level"),
                        ("/api/users/", "is_active"), ("/api/visits/follow-ups/", "all")}
    client = api_as(national_admin)
    for path, name in sorted(booleans):
        for value in ("true", "false"):
            response = client.get(path, {name: value, "page_size": 1})
            assert response.status_code == 200, (path, name, value, response.content)
        refused = client.get(path, {name: "yes"})
        assert refused.status_code == 400 and name in refused.json(), (path, name)


def test_enum_values_match_the_declared_type(openapi):
    """A filter with text choices on a numeric field (officer=me) was declared an integer with enum ["me"]."""
    types = {"string": str, "integer": int, "boolean": bool, "number": (int, float)}
    for path, method, operation in _operations(openapi):
        for parameter in operation.get("parameters", []):
            schema = parameter["schema"]
            if "enum" in schema and schema.get("type") in types:
                assert all(isinstance(value, types[schema["type"]]) for value in schema["enum"]), \
                    (path, method, parameter["name"], schema)


def test_every_operation_documents_its_error_answers(openapi):
    for path, method, operation in _operations(openapi):
        responses = operation["responses"]
        where = f"{method.upper()} {path}"
        assert {"401", "403"} <= set(responses), where
        if method != "get":
            assert "400" in responses, where
        if "{" in path:
            assert "404" in responses, where
        for status, response in responses.items():
            if status >= "400":
                schema = response["content"]["application/json"]["schema"]
                expected = "FieldErrors" if status == "400" else "Error"
                assert schema == {"$ref": f"#/components/schemas/{expected}"}, (where, status)


def test_query_filters_document_400_and_lists_document_404_for_a_page_past_the_end(openapi):
    listing = openapi["paths"]["/api/cooperatives/"]["get"]["responses"]
    assert {"400", "404"} <= set(listing)


def test_if_match_etag_and_412_where_the_view_honours_if_match(openapi):
    for path in ("/api/cooperatives/{id}/", "/api/members/{id}/", "/api/targets/{id}/", "/api/visits/{id}/",
                 "/api/units/{id}/", "/api/deals/{id}/"):
        item = openapi["paths"][path]
        assert item["get"]["responses"]["200"]["headers"]["ETag"]["required"] is True
        patch = item["patch"]
        assert any(p["name"] == "If-Match" and p["in"] == "header" for p in patch["parameters"]), path
        assert "412" in patch["responses"], path
    # A view that does not honour If-Match does not claim to (a document is removed, not edited).
    removal = openapi["paths"]["/api/stage-documents/{id}/"]["delete"]
    assert "412" not in removal["responses"] and all(p["name"] != "If-Match" for p in removal.get("parameters", []))


def test_429_with_retry_after_where_the_view_is_throttled(openapi):
    token = openapi["paths"]["/api/auth/token/"]["post"]["responses"]
    assert token["429"]["headers"]["Retry-After"]["required"] is True
    assert "429" not in openapi["paths"]["/api/cooperatives/"]["get"]["responses"]


def test_real_error_bodies_match_their_documented_schemas(openapi, village_staff, api_client):
    cooperative = register(village_staff)
    client = api_as(village_staff)
    components = openapi["components"]["schemas"]
    answers = {
        400: client.post("/api/cooperatives/", {"village": "not a code"}, format="json"),
        401: api_client.get("/api/cooperatives/"),  # no credentials
        403: client.post(f"/api/stages/{cooperative.stages.first().pk}/verify/"),  # village staff verify nothing
        404: client.get("/api/cooperatives/999999/"),
        412: client.patch(f"/api/cooperatives/{cooperative.pk}/", {"address": "Balai desa"}, format="json",
                          HTTP_IF_MATCH='"an old version"'),
    }
    list_404 = client.get("/api/cooperatives/", {"page": 99})
    answers_by_schema = [(answers[400], "FieldErrors"), (answers[401], "Error"), (answers[403], "Error"),
                         (answers[404], "Error"), (answers[412], "Error"), (list_404, "Error")]
    for response, name in answers_by_schema:
        assert response["Content-Type"] == "application/json", response.content
        jsonschema.validate(response.json(), components[name])
    assert {status: response.status_code for status, response in answers.items()} == {
        400: 400, 401: 401, 403: 403, 404: 404, 412: 412}
    assert answers[401]["WWW-Authenticate"] == "Token"
    assert list_404.status_code == 404
