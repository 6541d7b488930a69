import pytest

from accounts.models import User
from accounts.services import api_token_issue
from core.roles import Role
from tests.conftest import PASSWORD
from tests.conftest import PRAWOTO
from tests.conftest import api_as
from tests.conftest import client_login
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_me_describes_roles_and_scope(api_client, pati_officer):
    api_client.force_authenticate(pati_officer)
    me = api_client.get("/api/me/").json()
    assert me["email"] == pati_officer.email
    assert me["roles"][0]["role"] == "kabupaten_officer" and me["roles"][0]["region"]["code"] == "33.18"
    assert me["scope"] == {"national": False, "regions": [{"code": "33.18", "name": "Kabupaten Pati",
                                                            "level": "regency"}], "federations": []}
    assert me["can_manage_users"] is True


def test_token_sign_in_and_use(api_client, village_staff):
    bad = api_client.post("/api/auth/token/", {"email": village_staff.email, "password": "wrong"})
    assert bad.status_code == 400 and "non_field_errors" in bad.json()
    token = api_client.post("/api/auth/token/", {"email": village_staff.email, "password": PASSWORD}).json()["token"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api_client.get("/api/me/").json()["scope"]["regions"][0]["code"] == PRAWOTO


def test_deactivated_users_token_stops_working(api_client, pati_officer, village_staff):
    _token, key = api_token_issue(user=village_staff)
    api_as(pati_officer).post(f"/api/users/{village_staff.pk}/deactivate/")
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api_client.get("/api/me/").status_code in (401, 403)


def test_deactivation_ends_the_web_sessions_so_reactivation_does_not_revive_them(client, pati_officer, village_staff):
    """Hidden while the account was inactive, the old session had opened pages again once it was reactivated."""
    client_login(client, village_staff)
    assert client.get("/pengguna/profil/").status_code == 200
    officer = api_as(pati_officer)
    officer.post(f"/api/users/{village_staff.pk}/deactivate/")
    officer.post(f"/api/users/{village_staff.pk}/reactivate/")
    page = client.get("/pengguna/profil/")
    assert page.status_code == 302 and page["Location"].startswith("/accounts/login/")
    assert client_login(client, village_staff)["Location"] == "/"  # the password still signs in
    assert client.get("/pengguna/profil/").status_code == 200
    assert officer.get("/api/me/").status_code == 200  # the officer who did it stays signed in


def test_create_user_inside_the_area(pati_officer):
    response = api_as(pati_officer).post(
        "/api/users/", {"email": "baru@example.id", "full_name": "Baru", "role": "village_staff", "region": PRAWOTO},
        format="json")
    assert response.status_code == 201, response.content
    assert response.json()["roles"][0]["region"]["code"] == PRAWOTO


def test_create_user_outside_the_area_is_403(pati_officer):
    response = api_as(pati_officer).post(
        "/api/users/", {"email": "luar@example.id", "full_name": "Luar", "role": "village_staff",
                        "region": "35.05.01.2001"}, format="json")
    assert response.status_code == 403
    assert "35.05.01.2001" in response.json()["detail"]
    assert not User.objects.filter(email="luar@example.id").exists()


@pytest.mark.parametrize(
    "payload, fields",
    [
        ({}, {"email", "full_name", "role"}),
        ({"email": "not-an-email", "full_name": "A", "role": "village_staff", "region": PRAWOTO}, {"email"}),
        ({"email": "a@example.id", "full_name": "A", "role": "king", "region": PRAWOTO}, {"role"}),
        ({"email": "a@example.id", "full_name": "A", "role": "village_staff", "region": "33-18"}, {"region"}),
        ({"email": "a@example.id", "full_name": "A", "role": "village_staff", "region": "33.18.01"}, {"region"}),
    ],
)
def test_bad_input_is_400_with_field_errors(pati_officer, payload, fields):
    response = api_as(pati_officer).post("/api/users/", payload, format="json")
    assert response.status_code == 400
    assert fields <= set(response.json())


def test_user_list_and_detail_are_scoped(pati_officer, village_staff):
    outsider = make_user(Role.VILLAGE_STAFF, "35.05.01.2001")
    client = api_as(pati_officer)
    emails = {row["email"] for row in client.get("/api/users/").json()["results"]}
    assert village_staff.email in emails and outsider.email not in emails
    assert client.get(f"/api/users/{outsider.pk}/").status_code == 404
    assert client.post(f"/api/users/{outsider.pk}/deactivate/").status_code == 404


def test_village_staff_cannot_list_users(village_staff):
    assert api_as(village_staff).get("/api/users/").json()["count"] == 0
    response = api_as(village_staff).post(
        "/api/users/", {"email": "z@example.id", "full_name": "Z", "role": "village_staff", "region": PRAWOTO},
        format="json")
    assert response.status_code == 403


def test_grant_and_revoke_role_through_the_api(pati_officer, village_staff):
    client = api_as(pati_officer)
    granted = client.post(f"/api/users/{village_staff.pk}/roles/", {"role": "village_staff",
                                                                    "region": "33.18.01.2002"}, format="json")
    assert granted.status_code == 201
    revoked = client.delete(f"/api/users/{village_staff.pk}/roles/{granted.json()['id']}/")
    assert revoked.status_code == 204
    assert village_staff.role_assignments.count() == 1
