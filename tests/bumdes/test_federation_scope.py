"""
A federation director's scope is the federation's membership, resolved in core/scoping.py: member villages as
they are today (effective-dated), the federation's own records, and nothing to change in the villages.
"""

from datetime import date
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bumdes import services
from core.roles import Action
from core.roles import Role
from core.scoping import forget_scope
from core.scoping import scope_for
from koperasi.models import Cooperative
from koperasi.services import cooperative_update
from tests.bumdes.conftest import WEGIL
from tests.bumdes.conftest import on_federation
from tests.bumdes.conftest import yesterday
from tests.conftest import PAKEM
from tests.conftest import PRAWOTO
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_a_director_on_the_federation_sees_the_member_villages_of_today(federation, federation_director):
    scope = scope_for(federation_director, Action.VIEW)
    assert scope.roots == {PRAWOTO, PAKEM}
    assert scope.federations == {federation.pk}
    # Writes: the federation's own records only, no village.
    assert scope_for(federation_director, Action.MANAGE_BUMDES).roots == frozenset()
    assert scope_for(federation_director, Action.MANAGE_BUMDES).federations == {federation.pk}
    assert scope_for(federation_director, Action.EDIT_COOPERATIVE).is_empty


def test_a_village_that_left_drops_out_from_its_leave_date_and_a_future_one_is_not_in_yet(
        pati_officer, federation, federation_director):
    pakem = federation.member_villages.get(village_id=PAKEM)
    services.membership_update(actor=pati_officer, membership=pakem, left_on=timezone.localdate())
    soon = services.federation_village_join(actor=pati_officer, federation=federation, village_code=WEGIL,
                                            joined_on=timezone.localdate() + timedelta(days=10), capital=0)
    forget_scope(federation_director)
    assert scope_for(federation_director).roots == {PRAWOTO}
    # The day before leaving it was still in; from the joining day the new one is.
    services.membership_update(actor=pati_officer, membership=pakem, left_on=timezone.localdate() + timedelta(days=1))
    services.membership_update(actor=pati_officer, membership=soon, joined_on=timezone.localdate())
    forget_scope(federation_director)
    assert scope_for(federation_director).roots == {PRAWOTO, PAKEM, WEGIL}


def test_member_cooperatives_bring_their_village_into_the_directors_view(national_admin, federation_director,
                                                                          federation, jaten):
    services.federation_cooperative_join(actor=national_admin, federation=federation, cooperative=jaten,
                                         joined_on=date(2025, 8, 1))
    forget_scope(federation_director)
    assert jaten.village_id in scope_for(federation_director).roots


def test_the_scope_is_resolved_once_per_request(federation_director):
    with CaptureQueriesContext(connection) as queries:
        for action in (Action.VIEW, Action.VIEW, Action.MANAGE_BUMDES, Action.EDIT_FEDERATION_SITES, Action.VIEW):
            scope_for(federation_director, action)
    # The assignments once, the federations reached (with the companies they own) once, and the member
    # villages and member cooperatives once.
    assert len(queries) == 4


def test_a_role_on_a_bumdes_bersama_reaches_the_company_it_owns(pati_officer, federation, federation_director):
    company = services.federation_register(actor=pati_officer, kind="company", name="PT Mitra Bumdes Sejahtera Pati",
                                           seat_code=PRAWOTO, parent=federation)
    site = services.site_create(actor=federation_director, federation=company, kind="clinic", name="Klinik Juwana",
                                village_code=PAKEM)
    forget_scope(federation_director)
    assert scope_for(federation_director, Action.EDIT_FEDERATION_SITES).federations == {federation.pk, company.pk}
    assert site.federation == company
    other = services.federation_register(actor=pati_officer, kind="company", name="PT Lain", seat_code=PRAWOTO)
    with pytest.raises(PermissionDenied):
        services.site_create(actor=federation_director, federation=other, kind="shop", name="Toko",
                             village_code=PAKEM)


def test_a_director_held_on_villages_the_old_way_keeps_viewing_them_only(prawoto):
    director = make_user(Role.FEDERATION_DIRECTOR, PRAWOTO)
    assert scope_for(director).roots == {PRAWOTO}
    assert scope_for(director, Action.MANAGE_BUMDES).is_empty
    assert scope_for(director, Action.EDIT_FEDERATION_SITES).is_empty
    assert Cooperative.objects.for_user(director).get() == prawoto


def test_staff_reach_their_federations_records_but_not_its_villages(federation, federation_staff):
    assert scope_for(federation_staff).roots == frozenset()
    assert scope_for(federation_staff).federations == {federation.pk}
    assert scope_for(federation_staff, Action.EDIT_FEDERATION_SITES).federations == {federation.pk}
    assert scope_for(federation_staff, Action.MANAGE_BUMDES).is_empty


def test_the_director_cannot_change_member_villages_cooperatives(federation_director, prawoto):
    with pytest.raises(PermissionDenied):
        cooperative_update(actor=federation_director, cooperative=prawoto, address="Jl. Diubah")


def test_an_officer_can_grant_federation_roles_on_federations_in_their_area_only(pati_officer, federation):
    from accounts.services import user_invite

    director = user_invite(actor=pati_officer, email="direktur@example.id", full_name="Direktur",
                           role=Role.FEDERATION_DIRECTOR, federation_id=federation.pk)
    assert director.role_assignments.get().federation == federation
    blitar = make_user(Role.KABUPATEN_OFFICER, "35.05")
    with pytest.raises(PermissionDenied):
        user_invite(actor=blitar, email="staf@example.id", full_name="Staf", role=Role.FEDERATION_STAFF,
                    federation_id=federation.pk)
    province = make_user(Role.PROVINCE_OFFICER, "33")  # manages users, but runs no federation
    with pytest.raises(PermissionDenied):
        user_invite(actor=province, email="staf@example.id", full_name="Staf", role=Role.FEDERATION_STAFF,
                    federation_id=federation.pk)


def test_the_pati_officer_manages_users_on_the_federation_and_sees_them(pati_officer, federation_director):
    from accounts.models import User

    assert User.objects.for_user(pati_officer, Action.MANAGE_USERS).filter(pk=federation_director.pk).exists()
    blitar = make_user(Role.KABUPATEN_OFFICER, "35.05")
    assert not User.objects.for_user(blitar, Action.MANAGE_USERS).filter(pk=federation_director.pk).exists()


def test_a_role_on_a_federation_is_refused_for_non_federation_roles(pati_officer, federation):
    from django.core.exceptions import ValidationError

    from accounts.services import user_invite

    with pytest.raises(ValidationError) as refused:
        user_invite(actor=pati_officer, email="x@example.id", full_name="X", role=Role.VILLAGE_STAFF,
                    federation_id=federation.pk)
    assert "federation" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        user_invite(actor=pati_officer, email="x@example.id", full_name="X", role=Role.FEDERATION_STAFF,
                    region_code=PRAWOTO)
    assert "federation" in refused.value.message_dict
    assert on_federation(Role.FEDERATION_STAFF, federation) and yesterday()


def test_another_federation_seated_in_a_member_village_stays_out_of_the_directors_view(
        client, pati_officer, federation, federation_director, prawoto):
    """
    Member villages reach the villages' own data (Prawoto's cooperative), not the records of another federation
    seated in one of them: its members elsewhere, their capital, its sites and its dashboard.
    """
    from bumdes.models import BusinessSite
    from bumdes.models import Federation
    from bumdes.models import FederationVillage
    from tests.conftest import client_login

    secondary = services.federation_register(actor=pati_officer, kind="secondary_cooperative",
                                             name="Koperasi Sekunder Merah Putih Pati", seat_code=PRAWOTO)
    services.federation_village_join(actor=pati_officer, federation=secondary, village_code=WEGIL,
                                     joined_on=date(2025, 9, 1), capital=12_345_678)
    services.site_create(actor=pati_officer, federation=secondary, kind="clinic", name="Klinik Sekunder Wegil",
                         village_code=WEGIL)
    forget_scope(federation_director)
    assert Cooperative.objects.for_user(federation_director).filter(pk=prawoto.pk).exists()
    assert list(Federation.objects.for_user(federation_director)) == [federation]
    assert not FederationVillage.objects.for_user(federation_director).filter(federation=secondary).exists()
    assert not BusinessSite.objects.for_user(federation_director).filter(federation=secondary).exists()
    client_login(client, federation_director)
    assert client.get(f"/dasbor/federasi/{secondary.pk}/").status_code == 404
    assert client.get(f"/dasbor/federasi/{federation.pk}/").status_code == 200
    # The Dinas of the seat's kabupaten still looks after it.
    assert Federation.objects.for_user(pati_officer).filter(pk=secondary.pk).exists()


def test_the_company_page_names_its_owner_without_a_link_its_staff_could_not_open(client, pati_officer, federation,
                                                                                  jaten, national_admin):
    from tests.conftest import client_login

    company = services.federation_register(actor=pati_officer, kind="company", name="PT Mitra Bumdes Sejahtera Pati",
                                           seat_code=PRAWOTO, parent=federation)
    services.federation_cooperative_join(actor=national_admin, federation=company, cooperative=jaten,
                                         joined_on=date(2025, 8, 1))
    staff = on_federation(Role.FEDERATION_STAFF, company)
    client_login(client, staff)
    page = client.get(f"/bumdes/federasi/{company.pk}/").content.decode()
    assert federation.name in page and f"/bumdes/federasi/{federation.pk}/" not in page
    assert jaten.name in page and f"/koperasi/{jaten.pk}/" not in page
    assert client.get(f"/bumdes/federasi/{federation.pk}/").status_code == 404  # why there is no link
    client.logout()
    client_login(client, pati_officer)
    page = client.get(f"/bumdes/federasi/{company.pk}/").content.decode()
    assert f"/bumdes/federasi/{federation.pk}/" in page


def test_agreement_lists_link_each_side_only_where_its_page_opens(client, pati_officer, federation, prawoto,
                                                                  village_staff):
    """The federation page, the agreement list and the cooperative page name both sides; a 404 gets no link."""
    from tests.conftest import client_login

    agreement = services.agreement_create(actor=pati_officer, cooperative=prawoto, federation=federation,
                                          kind="supply", title="Pasokan beras", starts_on=date(2025, 9, 1))
    staff = on_federation(Role.FEDERATION_STAFF, federation)
    client_login(client, staff)
    assert client.get(f"/koperasi/{prawoto.pk}/").status_code == 404
    for url in (f"/bumdes/federasi/{federation.pk}/", "/bumdes/kerja-sama/", f"/bumdes/kerja-sama/{agreement.pk}/"):
        page = client.get(url).content.decode()
        assert prawoto.name in page and f'href="/koperasi/{prawoto.pk}/"' not in page, url
    client.logout()
    client_login(client, pati_officer)  # the Dinas opens both
    page = client.get("/bumdes/kerja-sama/").content.decode()
    assert f'href="/koperasi/{prawoto.pk}/"' in page and f'href="/bumdes/federasi/{federation.pk}/"' in page
    assert f'href="/bumdes/federasi/{federation.pk}/"' in client.get(f"/koperasi/{prawoto.pk}/").content.decode()
    client.logout()
    elsewhere = services.federation_register(actor=pati_officer, kind="secondary_cooperative",
                                             name="Koperasi Sekunder Merah Putih Wegil", seat_code=WEGIL)
    services.agreement_create(actor=pati_officer, cooperative=prawoto, federation=elsewhere, kind="supply",
                              title="Pasokan pupuk", starts_on=date(2025, 9, 1))
    client_login(client, village_staff)
    assert client.get(f"/bumdes/federasi/{elsewhere.pk}/").status_code == 404
    for url in (f"/koperasi/{prawoto.pk}/", "/bumdes/kerja-sama/"):
        page = client.get(url).content.decode()
        assert elsewhere.name in page and f'href="/bumdes/federasi/{elsewhere.pk}/"' not in page, url


def test_a_member_villages_cooperatives_are_linked_only_while_they_open(client, pati_officer, federation,
                                                                        federation_director):
    """The director's link to a village's KDKMP goes while the village is a member; the staff never had it."""
    from tests.conftest import client_login

    pakem = federation.member_villages.get(village_id=PAKEM)
    services.membership_update(actor=pati_officer, membership=pakem, left_on=timezone.localdate())
    client_login(client, federation_director)
    page = client.get(f"/bumdes/federasi/{federation.pk}/?members=all").content.decode()
    assert f"?region={PRAWOTO}" in page and f"?region={PAKEM}" not in page
    client.logout()
    client_login(client, on_federation(Role.FEDERATION_STAFF, federation))
    assert "?region=" not in client.get(f"/bumdes/federasi/{federation.pk}/?members=all").content.decode()


def test_the_agreement_form_offers_a_director_only_the_partners_they_may_agree_for(pati_officer, federation,
                                                                                   federation_director, village_staff):
    """A member village's own BUMDes is seen by the director but not theirs to sign for: refused only after saving."""
    from bumdes.forms import AgreementForm
    from bumdes.models import Bumdes

    village_bumdes = services.bumdes_register(actor=pati_officer, kind="bum_desa", name="BUM Desa Sumber Rejeki Pakem",
                                              village_code=PAKEM, founded_on=date(2020, 1, 6))
    forget_scope(federation_director)
    assert Bumdes.objects.for_user(federation_director).filter(pk=village_bumdes.pk).exists()
    offered = AgreementForm(actor=federation_director).fields
    assert village_bumdes not in offered["bumdes"].queryset
    assert set(offered["federation"].queryset) == {federation}
    # Village staff sign for their cooperative: any partner they see may be the other side.
    assert Bumdes.objects.for_user(village_staff).filter(pk=village_bumdes.pk).exists() == (
        village_bumdes in AgreementForm(actor=village_staff).fields["bumdes"].queryset)


def test_no_role_on_a_federation_reaches_villages_its_granter_could_not_read(pati_officer, federation,
                                                                              national_admin):
    """
    A director had added a village of Kab. Blitar to a Pati federation and then read its cooperative; and a Pati
    officer may not create a director of a federation whose members lie outside Pati.
    """
    from accounts.services import role_assign
    from tests.bumdes.conftest import on_federation
    from tests.conftest import JATEN

    director = on_federation(Role.FEDERATION_DIRECTOR, federation)
    with pytest.raises(PermissionDenied):
        services.federation_village_join(actor=director, federation=federation, village_code=JATEN,
                                         joined_on=date(2025, 6, 1))
    with pytest.raises(PermissionDenied):  # outside Pati: not the Pati Dinas's to join either
        services.federation_village_join(actor=pati_officer, federation=federation, village_code=JATEN,
                                         joined_on=date(2025, 6, 1))
    services.federation_village_join(actor=national_admin, federation=federation, village_code=JATEN,
                                     joined_on=date(2025, 6, 1))
    grantee = make_user(Role.VILLAGE_STAFF, PRAWOTO)
    with pytest.raises(PermissionDenied) as refused:
        role_assign(actor=pati_officer, user=grantee, role=Role.FEDERATION_DIRECTOR, federation_id=federation.pk)
    assert "di luar wilayah Anda" in str(refused.value)
    # Staff reach no member village: a Pati officer grants that role.
    role_assign(actor=pati_officer, user=grantee, role=Role.FEDERATION_STAFF, federation_id=federation.pk)
