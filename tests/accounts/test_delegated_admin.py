"""Delegated administration: officers manage users only inside their own subtree."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError

from accounts import services
from accounts.models import RoleAssignment
from accounts.models import User
from core.roles import Action
from core.roles import Role
from tests.conftest import PAKEM
from tests.conftest import PATI
from tests.conftest import PRAWOTO
from tests.conftest import SUKOLILO
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_officer_invites_village_staff_inside_their_kabupaten(pati_officer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        user = services.user_invite(actor=pati_officer, email=" Staf.Prawoto@Example.ID ", full_name="Siti  Aminah",
                                    role=Role.VILLAGE_STAFF, region_code=PRAWOTO)

    assert user.email == "staf.prawoto@example.id" and user.full_name == "Siti Aminah"
    assert not user.has_usable_password() and user.invited_by == pati_officer
    assignment = user.role_assignments.get()
    assert (assignment.role, assignment.region_id, assignment.granted_by) == (Role.VILLAGE_STAFF, PRAWOTO, pati_officer)
    # The invitation e-mail (sent by the Celery task, eagerly here) carries a password-choice link.
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["staf.prawoto@example.id"]
    assert "/accounts/password/reset/key/" in message.body and "Prawoto" in message.body


@pytest.mark.parametrize(
    "role, region",
    [
        (Role.VILLAGE_STAFF, "33.19.01.2001"),  # a desa in Kudus, next door
        (Role.KABUPATEN_OFFICER, "35.05"),
        (Role.PROVINCE_OFFICER, "33"),  # their own province is above them
    ],
)
def test_invitation_outside_the_subtree_is_refused_and_creates_nothing(pati_officer, role, region):
    with pytest.raises(PermissionDenied):
        services.user_invite(actor=pati_officer, email="x@example.id", full_name="X", role=role, region_code=region)
    assert not User.objects.filter(email="x@example.id").exists()


def test_only_national_scope_grants_the_national_role(pati_officer, national_admin):
    with pytest.raises(PermissionDenied):
        services.user_invite(actor=pati_officer, email="n@example.id", full_name="N", role=Role.NATIONAL_ADMIN)
    user = services.user_invite(actor=national_admin, email="n@example.id", full_name="N", role=Role.NATIONAL_ADMIN)
    assert user.role_assignments.get().region is None


def test_kecamatan_officer_cannot_reach_a_neighbouring_kecamatan(sukolilo_officer):
    services.user_invite(actor=sukolilo_officer, email="ok@example.id", full_name="Ok", role=Role.VILLAGE_STAFF,
                         region_code=PAKEM)
    with pytest.raises(PermissionDenied):
        services.user_invite(actor=sukolilo_officer, email="no@example.id", full_name="No",
                             role=Role.VILLAGE_STAFF, region_code="33.18.02.2001")


def test_village_staff_cannot_create_users(village_staff):
    with pytest.raises(PermissionDenied):
        services.user_invite(actor=village_staff, email="v@example.id", full_name="V", role=Role.VILLAGE_STAFF,
                             region_code=PRAWOTO)


@pytest.mark.parametrize(
    "role, region, field",
    [
        (Role.VILLAGE_STAFF, SUKOLILO, "region"),  # village staff are assigned to a desa, not a kecamatan
        (Role.KECAMATAN_OFFICER, PRAWOTO, "region"),
        (Role.VILLAGE_STAFF, None, "region"),
        (Role.VILLAGE_STAFF, "33.18.99.9999", "region"),
        ("emperor", PRAWOTO, "role"),
    ],
)
def test_invalid_role_and_region_combinations_name_the_field(pati_officer, role, region, field):
    with pytest.raises(ValidationError) as error:
        services.user_invite(actor=pati_officer, email="y@example.id", full_name="Y", role=role, region_code=region)
    assert field in error.value.message_dict
    assert not User.objects.filter(email="y@example.id").exists()


def test_duplicate_email_is_refused_case_insensitively(pati_officer, village_staff):
    with pytest.raises(ValidationError) as error:
        services.user_invite(actor=pati_officer, email=village_staff.email.upper(), full_name="Dup",
                             role=Role.VILLAGE_STAFF, region_code=PAKEM)
    assert "email" in error.value.message_dict


def test_officer_deactivates_and_reactivates_a_user_in_their_area(pati_officer, village_staff, client):
    services.user_deactivate(actor=pati_officer, user=village_staff)
    village_staff.refresh_from_db()
    assert not village_staff.is_active
    assert not client.login(email=village_staff.email, password="a-Long-test-passw0rd")
    services.user_reactivate(actor=pati_officer, user=village_staff)
    village_staff.refresh_from_db()
    assert village_staff.is_active


def test_deactivation_outside_the_subtree_is_refused(pati_officer):
    blitar_staff = make_user(Role.VILLAGE_STAFF, "35.05.01.2001")
    with pytest.raises(PermissionDenied):
        services.user_deactivate(actor=pati_officer, user=blitar_staff)
    blitar_staff.refresh_from_db()
    assert blitar_staff.is_active


def test_a_user_with_any_role_outside_the_area_cannot_be_managed(pati_officer):
    straddling = make_user(Role.VILLAGE_STAFF, PRAWOTO)
    RoleAssignment.objects.create(user=straddling, role=Role.VILLAGE_STAFF, region_id="35.05.01.2001")
    assert not User.objects.for_user(pati_officer, Action.MANAGE_USERS).filter(pk=straddling.pk).exists()
    with pytest.raises(PermissionDenied):
        services.user_deactivate(actor=pati_officer, user=straddling)


def test_officers_cannot_deactivate_themselves_or_their_superiors(pati_officer):
    with pytest.raises(PermissionDenied):
        services.user_deactivate(actor=pati_officer, user=pati_officer)
    province = make_user(Role.PROVINCE_OFFICER, "33")
    with pytest.raises(PermissionDenied):
        services.user_deactivate(actor=pati_officer, user=province)


def test_grant_and_revoke_roles(pati_officer, village_staff):
    assignment = services.role_assign(actor=pati_officer, user=village_staff, role=Role.VILLAGE_STAFF,
                                      region_code=PAKEM)
    assert set(village_staff.role_assignments.values_list("region_id", flat=True)) == {PRAWOTO, PAKEM}
    with pytest.raises(ValidationError):
        services.role_assign(actor=pati_officer, user=village_staff, role=Role.VILLAGE_STAFF, region_code=PAKEM)
    services.role_revoke(actor=pati_officer, assignment=assignment)
    with pytest.raises(ValidationError):  # the last role cannot be removed
        services.role_revoke(actor=pati_officer, assignment=village_staff.role_assignments.get())


def test_user_list_shows_only_manageable_users(pati_officer, village_staff):
    make_user(Role.VILLAGE_STAFF, "35.05.01.2001")
    visible = set(User.objects.for_user(pati_officer, Action.MANAGE_USERS))
    assert village_staff in visible and pati_officer in visible
    assert all(
        all(code and code.startswith(PATI) for code in user.role_assignments.values_list("region_id", flat=True))
        for user in visible
    )
