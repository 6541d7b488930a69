import pytest
from django.core import mail

from accounts.models import User
from core.roles import Role
from tests.conftest import PRAWOTO
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_invite_form_creates_the_user_and_sends_the_email(client, pati_officer, django_capture_on_commit_callbacks):
    client.force_login(pati_officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/pengguna/baru/", {"full_name": "Budi", "email": "budi@example.id",
                                                   "role": "village_staff", "region": f"{PRAWOTO} Prawoto"})
    user = User.objects.get(email="budi@example.id")
    assert response.status_code == 302 and response["Location"] == f"/pengguna/{user.pk}/"
    assert len(mail.outbox) == 1


def test_invite_form_rejects_a_region_outside_the_area_inline(client, pati_officer):
    client.force_login(pati_officer)
    response = client.post("/pengguna/baru/", {"full_name": "Budi", "email": "budi@example.id",
                                               "role": "village_staff", "region": "35.05.01.2001"})
    assert response.status_code == 200
    assert "35.05.01.2001" in response.context["form"].errors["region"][0]
    assert not User.objects.filter(email="budi@example.id").exists()


def test_role_choices_offer_only_grantable_roles(client, pati_officer):
    client.force_login(pati_officer)
    choices = dict(client.get("/pengguna/baru/").context["form"].fields["role"].choices)
    assert Role.NATIONAL_ADMIN not in choices and Role.PROVINCE_OFFICER not in choices
    assert {Role.KABUPATEN_OFFICER, Role.KECAMATAN_OFFICER, Role.VILLAGE_STAFF} <= set(choices)


def test_region_suggestions_are_scoped(client, pati_officer):
    client.force_login(pati_officer)
    html = client.get("/wilayah/pilihan/", {"param": "region", "region": "Prawoto"}).content.decode()
    assert f"Desa Prawoto — Kec. Sukolilo, Kab. Pati ({PRAWOTO})" in html
    assert "35." not in client.get("/wilayah/pilihan/", {"param": "region", "region": "35.05"}).content.decode()


def test_deactivate_button_and_audit_trail_on_the_user_page(client, pati_officer, village_staff):
    client.force_login(pati_officer)
    response = client.post(f"/pengguna/{village_staff.pk}/deactivate/")
    assert response.status_code == 302
    village_staff.refresh_from_db()
    assert not village_staff.is_active
    page = client.get(f"/pengguna/{village_staff.pk}/")
    latest = page.context["history"][0]
    assert latest.who == f"{pati_officer} (Petugas kabupaten/kota, Kabupaten Pati)"  # name and office
    assert [(c.field, c.old, c.new) for c in latest.changes] == [("is_active", True, False)]


def test_pages_for_users_outside_the_area_are_404(client, pati_officer):
    outsider = make_user(Role.VILLAGE_STAFF, "35.05.01.2001")
    client.force_login(pati_officer)
    assert client.get(f"/pengguna/{outsider.pk}/").status_code == 404
    assert client.post(f"/pengguna/{outsider.pk}/deactivate/").status_code == 404
    outsider.refresh_from_db()
    assert outsider.is_active


def test_village_staff_have_no_user_administration(client, village_staff):
    client.force_login(village_staff)
    assert client.get("/pengguna/").status_code == 403
    assert 'href="/pengguna/"' not in client.get(f"/wilayah/{PRAWOTO}/").content.decode()  # no users menu


def test_open_signup_is_closed(client):
    response = client.get("/accounts/signup/")
    assert 'name="password1"' not in response.content.decode()
    created = client.post("/accounts/signup/", {"email": "self@example.id", "password1": "Xyz-12345678",
                                                "password2": "Xyz-12345678"})
    assert created.status_code in (200, 302, 403)
    assert not User.objects.filter(email="self@example.id").exists()


def test_sign_in_sign_out_and_password_reset(client, village_staff):
    signed_in = client.post("/accounts/login/", {"login": village_staff.email, "password": "a-Long-test-passw0rd"})
    assert signed_in.status_code == 302
    assert client.get("/").status_code == 200  # their home page
    client.post("/accounts/logout/")
    assert client.get("/wilayah/").status_code == 302  # back to sign-in

    wrong = client.post("/accounts/login/", {"login": village_staff.email, "password": "nope"})
    assert wrong.status_code == 200 and "tidak benar" in wrong.content.decode()

    client.post("/accounts/password/reset/", {"email": village_staff.email})
    assert len(mail.outbox) == 1 and "/accounts/password/reset/key/" in mail.outbox[0].body


def test_the_profile_holds_the_position_and_nip_printed_under_a_signature(client, pati_officer):
    client.force_login(pati_officer)
    refused = client.post("/pengguna/profil/", {"full_name": "Siti Aminah", "nip": "1985"})
    assert "NIP terdiri atas 18 digit." in refused.content.decode()
    client.post("/pengguna/profil/", {"full_name": "Siti Aminah", "position_title": "Kepala Bidang Kelembagaan",
                                      "nip": "19850715 201001 1 002"})
    pati_officer.refresh_from_db()
    assert (pati_officer.full_name, pati_officer.position_title, pati_officer.nip) == (
        "Siti Aminah", "Kepala Bidang Kelembagaan", "198507152010011002")


def test_the_sign_in_page_offers_the_password_reset_once_beside_the_password(client):
    page = client.get("/accounts/login/").content.decode()
    assert page.count('href="/accounts/password/reset/"') == 1
    assert 'id="id_password_helptext"><a href="/accounts/password/reset/">Lupa kata sandi' in page
