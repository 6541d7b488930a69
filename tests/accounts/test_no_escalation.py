"""Roles cannot be escalated and four eyes stay four (issue 10 §3)."""

import pytest
from django.core.exceptions import PermissionDenied

from accounts import services
from core.roles import Role
from koperasi.services import stage_reject
from koperasi.services import stage_verify
from pendampingan.services import visit_log
from pendampingan.services import visit_update
from tests.conftest import PAKEM
from tests.conftest import PATI
from tests.conftest import PRAWOTO
from tests.conftest import make_user
from tests.conftest import submit_stage

pytestmark = pytest.mark.django_db


def test_a_role_is_granted_only_by_someone_who_may_do_all_it_allows():
    province = make_user(Role.PROVINCE_OFFICER, "33")  # no personal data, no verification
    with pytest.raises(PermissionDenied):
        services.user_invite(actor=province, email="kab@example.id", full_name="Kab", role=Role.KABUPATEN_OFFICER,
                             region_code=PATI)
    services.user_invite(actor=province, email="kec@example.id", full_name="Kec", role=Role.FEDERATION_DIRECTOR,
                         region_code=PRAWOTO)  # view only: within the province officer's own rights
    admin = make_user(Role.NATIONAL_ADMIN)
    assert services.user_invite(actor=admin, email="kab@example.id", full_name="Kab", role=Role.KABUPATEN_OFFICER,
                                region_code=PATI).role_assignments.get().role == Role.KABUPATEN_OFFICER


def test_an_account_one_created_cannot_review_ones_submission(village_staff, pati_officer, prawoto):
    second = services.user_invite(actor=pati_officer, email="second@example.id", full_name="Second",
                                  role=Role.KABUPATEN_OFFICER, region_code=PATI)
    progress = submit_stage(pati_officer, prawoto, "sosialisasi")
    for review in (lambda: stage_verify(actor=second, progress=progress),
                   lambda: stage_reject(actor=second, progress=progress, reason="Berkas kurang lengkap.")):
        with pytest.raises(PermissionDenied):
            review()
    with pytest.raises(PermissionDenied):  # nor the submitter themselves, not even to send it back
        stage_reject(actor=pati_officer, progress=progress, reason="Berkas kurang lengkap.")
    independent = make_user(Role.KABUPATEN_OFFICER, PATI)
    assert stage_verify(actor=independent, progress=progress).status == "verified"


def test_a_peer_cannot_deactivate_or_strip_the_other_verifier(pati_officer, kabupaten_officer_2):
    with pytest.raises(PermissionDenied):
        services.user_deactivate(actor=pati_officer, user=kabupaten_officer_2)
    province = make_user(Role.PROVINCE_OFFICER, "33")
    assert not services.user_deactivate(actor=province, user=kabupaten_officer_2).is_active  # a level above may


def test_a_peer_undoes_what_they_made_and_nothing_else(pati_officer, kabupaten_officer_2):
    """A peer could invite a peer and grant them a role, but only the province could take either back."""
    invited = services.user_invite(actor=pati_officer, email="dua@example.id", full_name="Peer Dua",
                                   role=Role.KABUPATEN_OFFICER, region_code=PATI)
    extra = services.role_assign(actor=pati_officer, user=invited, role=Role.VILLAGE_STAFF, region_code=PRAWOTO)
    services.role_revoke(actor=pati_officer, assignment=extra)  # the grant they made
    assert not services.user_deactivate(actor=pati_officer, user=invited).is_active  # the account they made
    services.user_reactivate(actor=make_user(Role.PROVINCE_OFFICER, "33"), user=invited)  # taking back only
    # A role another officer granted makes the account no longer theirs alone, and that grant is not theirs.
    granted = services.role_assign(actor=kabupaten_officer_2, user=invited, role=Role.VILLAGE_STAFF,
                                   region_code=PAKEM)
    with pytest.raises(PermissionDenied):
        services.user_deactivate(actor=pati_officer, user=invited)
    with pytest.raises(PermissionDenied):
        services.role_revoke(actor=pati_officer, assignment=granted)


def test_reactivating_an_account_a_level_above_deactivated_stays_with_that_level(pati_officer):
    invited = services.user_invite(actor=pati_officer, email="dua@example.id", full_name="Peer Dua",
                                   role=Role.KABUPATEN_OFFICER, region_code=PATI)
    services.user_deactivate(actor=make_user(Role.PROVINCE_OFFICER, "33"), user=invited)
    with pytest.raises(PermissionDenied):
        services.user_reactivate(actor=pati_officer, user=invited)


def test_a_visit_is_changed_only_by_the_officer_who_logged_it(sukolilo_officer, pati_officer):
    from datetime import date

    visit = visit_log(actor=sukolilo_officer, village_code=PRAWOTO, visited_on=date(2025, 5, 2), topic="Musdesus")
    with pytest.raises(PermissionDenied):
        visit_update(actor=pati_officer, visit=visit, topic="Diubah orang lain")
    assert visit_update(actor=sukolilo_officer, visit=visit, topic="Musdesus dan notaris").topic == (
        "Musdesus dan notaris")
