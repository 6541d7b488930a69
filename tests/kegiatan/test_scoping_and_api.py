"""Who sees which events, partners, deals and spaces (each persona), and the API's 4xx answers."""

from datetime import time
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from accounts.models import RoleAssignment
from bumdes import services as bumdes_services
from core.roles import Role
from kegiatan import services
from kegiatan.models import AttendeeRole
from kegiatan.models import Deal
from kegiatan.models import DealKind
from kegiatan.models import EventKind
from kegiatan.models import Partner
from kegiatan.models import PartnerKind
from kegiatan.models import Space
from kegiatan.models import SpaceOwnerKind
from kegiatan.selectors import events_visible
from tests.conftest import BLITAR
from tests.conftest import PAKEM
from tests.conftest import PATI
from tests.conftest import PRAWOTO
from tests.conftest import SUKOLILO
from tests.conftest import api_as
from tests.conftest import make_user

from .helpers import past_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def federation(pati_officer):
    bersama = bumdes_services.bumdes_register(actor=pati_officer, kind="bum_desa_bersama",
                                              name="BUM Desa Bersama Mitra Sejahtera Pati", village_code=PRAWOTO,
                                              villages=[(PRAWOTO, 50_000_000), (PAKEM, 60_000_000)])
    return bumdes_services.federation_register(actor=pati_officer, kind="bumdes_bersama", bumdes=bersama)


@pytest.fixture
def federation_director(federation):
    director = make_user(Role.VILLAGE_STAFF, PRAWOTO)
    director.role_assignments.all().delete()
    RoleAssignment.objects.create(user=director, role=Role.FEDERATION_DIRECTOR, federation=federation)
    return director


def test_events_are_seen_by_their_area_their_invited_villages_and_their_federation(
        sukolilo_officer, pati_officer, village_staff, national_admin, federation, federation_director):
    blitar = make_user(Role.KABUPATEN_OFFICER, BLITAR)
    pakem_staff = make_user(Role.VILLAGE_STAFF, PAKEM)
    rakor = past_event(sukolilo_officer)
    services.event_invite(actor=sukolilo_officer, event=rakor, region_codes=[PRAWOTO])
    starts = timezone.now() + timedelta(days=5)
    launch = services.event_create(actor=federation_director, title="Peluncuran ruang kerja bersama",
                                   kind=EventKind.COMMUNITY, federation=federation, starts_at=starts,
                                   ends_at=starts + timedelta(hours=2), place="Balai Prawoto")
    assert launch.organiser_name == federation.name

    def seen(user):
        return set(events_visible(user).values_list("pk", flat=True))

    assert seen(sukolilo_officer) == {rakor.pk, launch.pk}  # the federation's seat is in Sukolilo
    assert seen(pati_officer) == {rakor.pk, launch.pk}
    assert seen(national_admin) == {rakor.pk, launch.pk}
    assert seen(village_staff) == {rakor.pk, launch.pk}  # invited; the federation seated in their desa
    assert seen(pakem_staff) == set()
    assert seen(federation_director) == {rakor.pk, launch.pk}  # its own, and one its member village is invited to
    assert seen(blitar) == set()
    # Seeing is not organising: the invited village takes no attendance.
    with pytest.raises(PermissionDenied):
        services.attendee_add(actor=village_staff, event=rakor, name="X", role=AttendeeRole.BPD, village_code=PRAWOTO)


def test_partners_deals_and_spaces_follow_the_scope(pati_officer, national_admin, village_staff, prawoto, jaten,
                                                    federation, federation_director):
    blitar = make_user(Role.KABUPATEN_OFFICER, BLITAR)
    national = services.partner_create(actor=national_admin, name="PT Agrinas Pangan Nusantara",
                                       kind=PartnerKind.AGRINAS)
    local = services.partner_create(actor=pati_officer, name="PD BPR Bank Pati", kind=PartnerKind.BUMD,
                                    region_code=PATI)
    services.meeting_record(actor=pati_officer, cooperative=prawoto, partner=local, kind=DealKind.FINANCING,
                            value=100_000_000)
    services.meeting_record(actor=blitar, cooperative=jaten, partner=national, kind=DealKind.PROCUREMENT, value=1)
    pati_space = services.space_create(actor=federation_director, name="Ruang Kerja Bersama BUMDesma Pati",
                                       owner_kind=SpaceOwnerKind.FEDERATION, federation=federation)

    assert set(Partner.objects.for_user(pati_officer)) == {national, local}
    assert set(Partner.objects.for_user(blitar)) == {national}
    assert set(Partner.objects.for_user(village_staff)) == {national, local} - {local}
    assert set(Deal.objects.for_user(pati_officer).values_list("cooperative", flat=True)) == {prawoto.pk}
    assert set(Deal.objects.for_user(blitar).values_list("cooperative", flat=True)) == {jaten.pk}
    assert set(Deal.objects.for_user(village_staff).values_list("cooperative", flat=True)) == {prawoto.pk}
    assert list(Space.objects.for_user(federation_director)) == [pati_space]
    assert list(Space.objects.for_user(pati_officer)) == [pati_space]
    assert not Space.objects.for_user(blitar).exists()
    room = services.resource_add(actor=federation_director, space=pati_space, name="Meja 1", kind="desk",
                                 capacity=1, opens_at=time(8), closes_at=time(16))
    assert room.open_days == "12345"


def test_api_answers_field_errors_and_refusals(sukolilo_officer, village_staff, pati_officer, prawoto,
                                               national_admin):
    officer = api_as(sukolilo_officer)
    starts = timezone.now() - timedelta(hours=1)  # under way: attendance is taken from the event's day on
    bad = officer.post("/api/events/", {"title": "Rakor", "kind": "rakor", "region": SUKOLILO, "place": "Aula",
                                        "starts_at": starts.isoformat(),
                                        "ends_at": (starts - timedelta(hours=1)).isoformat()}, format="json")
    assert bad.status_code == 400 and "ends_at" in bad.json()
    unknown_kind = officer.post("/api/events/", {"title": "X", "kind": "party", "region": SUKOLILO, "place": "A",
                                                 "starts_at": starts.isoformat(),
                                                 "ends_at": (starts + timedelta(hours=1)).isoformat()}, format="json")
    assert unknown_kind.status_code == 400 and "kind" in unknown_kind.json()
    good = officer.post("/api/events/", {"title": "Rakor", "kind": "rakor", "region": SUKOLILO, "place": "Aula",
                                         "starts_at": starts.isoformat(),
                                         "ends_at": (starts + timedelta(hours=3)).isoformat()}, format="json")
    assert good.status_code == 201
    event_id = good.json()["id"]
    assert officer.post(f"/api/events/{event_id}/invite/", {"regions": [SUKOLILO]},
                        format="json").json()["invited"] > 10
    added = officer.post(f"/api/events/{event_id}/attendees/", {"name": "Kades", "role": "kepala_desa",
                                                                "village": PRAWOTO, "nik": "3318011508850001"},
                         format="json")
    assert added.status_code == 201 and added.json()["nik"] == "3318••••••••0001"
    again = officer.post(f"/api/events/{event_id}/attendees/", {"name": "Lagi", "role": "bpd", "village": PRAWOTO,
                                                                "nik": "3318011508850001"}, format="json")
    assert again.status_code == 400 and "nik" in again.json()
    assert officer.get(f"/api/events/{event_id}/coverage/").json()["reached"] == 1

    staff = api_as(village_staff)
    refused = staff.post("/api/events/", {"title": "Rakor", "kind": "rakor", "region": SUKOLILO, "place": "Aula",
                                          "starts_at": starts.isoformat(),
                                          "ends_at": (starts + timedelta(hours=3)).isoformat()}, format="json")
    assert refused.status_code == 403
    assert staff.get(f"/api/events/{event_id}/").status_code == 200  # Prawoto is invited (with its kecamatan)
    assert api_as(make_user(Role.KABUPATEN_OFFICER, BLITAR)).get(f"/api/events/{event_id}/").status_code == 404

    partner = services.partner_create(actor=national_admin, name="PT Pos Indonesia", kind=PartnerKind.POS)
    dinas = api_as(pati_officer)
    deal = dinas.post("/api/deals/", {"cooperative": prawoto.pk, "partner": partner.pk, "kind": "procurement",
                                      "value": 75_000_000}, format="json")
    assert deal.status_code == 201 and deal.json()["stage"] == "lead"
    jump = dinas.patch(f"/api/deals/{deal.json()['id']}/", {"stage": "closed"}, format="json")
    assert jump.status_code == 400 and "stage" in jump.json()
    negative = dinas.post("/api/deals/", {"cooperative": prawoto.pk, "partner": partner.pk, "kind": "procurement",
                                          "value": -5}, format="json")
    assert negative.status_code == 400 and "value" in negative.json()
    assert dinas.get("/api/deals/pipeline/").json()["open_value"] == 75_000_000
    assert staff.patch(f"/api/deals/{deal.json()['id']}/", {"stage": "talks"}, format="json").status_code == 403


def test_attendees_phone_numbers_go_to_the_organisers_and_to_their_own_village_only(
        client, sukolilo_officer, village_staff, federation_director):
    """An invited village's staff see their own people's numbers on the list, not the other villages' (UU PDP)."""
    from tests.conftest import client_login

    pakem_staff = make_user(Role.VILLAGE_STAFF, PAKEM)
    rakor = past_event(sukolilo_officer)
    services.event_invite(actor=sukolilo_officer, event=rakor, region_codes=[PRAWOTO, PAKEM])
    services.attendee_add(actor=sukolilo_officer, event=rakor, name="Bu Sekdes Prawoto",
                          role=AttendeeRole.SEKRETARIS_DESA, village_code=PRAWOTO, phone="081298765432")
    services.attendee_add(actor=sukolilo_officer, event=rakor, name="Pak Kades Pakem", role=AttendeeRole.KEPALA_DESA,
                          village_code=PAKEM, phone="081211112222")

    def phones(user):
        rows = api_as(user).get(f"/api/events/{rakor.pk}/attendees/").json()["results"]
        return {row["name"]: row["phone"] for row in rows}

    assert phones(sukolilo_officer) == {"Bu Sekdes Prawoto": "+6281298765432", "Pak Kades Pakem": "+6281211112222"}
    assert phones(pakem_staff) == {"Bu Sekdes Prawoto": "", "Pak Kades Pakem": "+6281211112222"}
    assert phones(federation_director) == {"Bu Sekdes Prawoto": "", "Pak Kades Pakem": ""}
    # The list's spreadsheet follows the same rule.
    client_login(client, pakem_staff)
    sheet = client.get(f"/kegiatan/{rakor.pk}/daftar-hadir.csv").content.decode("utf-8-sig")
    assert "+6281211112222" in sheet and "Bu Sekdes Prawoto" in sheet and "+6281298765432" not in sheet
