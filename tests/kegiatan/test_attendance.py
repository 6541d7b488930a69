"""Events, invitations and attendance: coverage by role, the door search with masked NIK, training records."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.roles import Role
from kegiatan import services
from kegiatan.models import Attendee
from kegiatan.models import AttendeeRole
from kegiatan.models import EventKind
from kegiatan.models import TrainingRecord
from kegiatan.selectors import attendee_search
from kegiatan.selectors import event_coverage
from kegiatan.services import member_attendee_role
from notifications.models import Notification
from notifications.models import NotificationKind
from tests.conftest import PATI
from tests.conftest import PRAWOTO
from tests.conftest import SUKOLILO
from tests.conftest import client_login
from tests.conftest import make_user
from tests.conftest import sample_nik
from tests.conftest import seed_board
from wilayah.models import Region
from wilayah.models import RegionLevel

from .helpers import past_event

pytestmark = pytest.mark.django_db


def _sukolilo_villages() -> list[str]:
    return list(Region.objects.filter(code__startswith=SUKOLILO + ".", level=RegionLevel.VILLAGE, is_active=True)
                .order_by("code").values_list("code", flat=True))


def test_inviting_a_kecamatan_invites_each_village_and_tells_its_staff(sukolilo_officer, village_staff):
    event = past_event(sukolilo_officer)
    created = services.event_invite(actor=sukolilo_officer, event=event, region_codes=[SUKOLILO])
    villages = _sukolilo_villages()
    assert len(created) == len(villages) > 10
    notice = Notification.objects.get(user=village_staff, kind=NotificationKind.EVENT_INVITATION)
    assert notice.params["title"] == "Rakor percepatan KDKMP"
    assert notice.url == f"/kegiatan/{event.pk}/"
    # Inviting again adds nobody and tells nobody twice.
    assert services.event_invite(actor=sukolilo_officer, event=event, region_codes=[PRAWOTO]) == []
    assert Notification.objects.filter(user=village_staff).count() == 1


def test_coverage_counts_invited_villages_by_role(sukolilo_officer):
    event = past_event(sukolilo_officer)
    services.event_invite(actor=sukolilo_officer, event=event, region_codes=[SUKOLILO])
    villages = _sukolilo_villages()
    heads = villages[:3]
    for number, code in enumerate(heads):
        services.attendee_add(actor=sukolilo_officer, event=event, name=f"Kades {number}",
                              role=AttendeeRole.KEPALA_DESA, village_code=code)
    services.attendee_add(actor=sukolilo_officer, event=event, name="Pj Kades", role=AttendeeRole.PJ_KEPALA_DESA,
                          village_code=villages[3])
    # A second person from a village already present, and a sekdes from a village without its head.
    services.attendee_add(actor=sukolilo_officer, event=event, name="Sekdes 0", role=AttendeeRole.SEKRETARIS_DESA,
                          village_code=villages[0])
    services.attendee_add(actor=sukolilo_officer, event=event, name="Sekdes 4", role=AttendeeRole.SEKRETARIS_DESA,
                          village_code=villages[4])
    services.attendee_add(actor=sukolilo_officer, event=event, name="Ibu Bank", role=AttendeeRole.PARTNER,
                          organisation="Bank Jateng")

    coverage = event_coverage(event)
    assert coverage.invited == len(villages)
    assert coverage.reached == 5
    assert coverage.heads == 4  # three kepala desa and one Pj
    assert coverage.by_role[AttendeeRole.KEPALA_DESA] == 3
    assert coverage.by_role[AttendeeRole.SEKRETARIS_DESA] == 2
    assert coverage.attendees == 7
    assert coverage.attendees_by_role[AttendeeRole.PARTNER] == 1
    assert len(coverage.missing) == len(villages) - 5
    assert villages[0] not in {village.code for village in coverage.missing}


def test_an_uninvited_village_or_a_bad_nik_is_refused_with_a_field_error(sukolilo_officer):
    event = past_event(sukolilo_officer)
    services.event_invite(actor=sukolilo_officer, event=event, region_codes=[PRAWOTO])
    other = _sukolilo_villages()[-1]
    with pytest.raises(ValidationError) as error:
        services.attendee_add(actor=sukolilo_officer, event=event, name="X", role=AttendeeRole.BPD,
                              village_code=other)
    assert "village" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.attendee_add(actor=sukolilo_officer, event=event, name="X", role=AttendeeRole.BPD,
                              village_code=PRAWOTO, nik="1234")
    assert "nik" in error.value.message_dict
    services.attendee_add(actor=sukolilo_officer, event=event, name="Budi", role=AttendeeRole.BPD,
                          village_code=PRAWOTO, nik=sample_nik(7))
    with pytest.raises(ValidationError) as error:
        services.attendee_add(actor=sukolilo_officer, event=event, name="Budi lagi", role=AttendeeRole.BPD,
                              village_code=PRAWOTO, nik=sample_nik(7))
    assert "nik" in error.value.message_dict
    assert Attendee.objects.filter(event=event).count() == 1


def test_attendance_is_taken_from_the_events_day_on(sukolilo_officer):
    """A list entered weeks ahead had counted the event as held and its villages as reached."""
    event = past_event(sukolilo_officer, hours_ago=-24 * 10)  # in ten days
    with pytest.raises(ValidationError) as refused:
        services.attendee_add(actor=sukolilo_officer, event=event, name="Hadir Sebelum Waktunya",
                              role=AttendeeRole.KEPALA_DESA, village_code=PRAWOTO)
    assert "hari kegiatan" in " ".join(refused.value.messages)
    with pytest.raises(ValidationError):
        services.attendance_import(actor=sukolilo_officer, event=event, rows=[
            {"row": 2, "name": "Rina", "role": "bpd", "village_code": PRAWOTO}])
    assert not Attendee.objects.filter(event=event).exists()


def test_a_person_without_a_nik_is_not_listed_twice(sukolilo_officer):
    """A double tap at the door, or the same list imported twice, had doubled the counts."""
    event = past_event(sukolilo_officer)
    entry = {"name": "Tamu Baru", "role": AttendeeRole.KEPALA_DESA, "village_code": PRAWOTO, "phone": "081234567890"}
    services.attendee_add(actor=sukolilo_officer, event=event, **entry)
    with pytest.raises(ValidationError) as refused:
        services.attendee_add(actor=sukolilo_officer, event=event, **{**entry, "name": "tamu  baru"})
    assert "sudah ada di daftar hadir" in refused.value.message_dict["name"][0]
    services.attendee_add(actor=sukolilo_officer, event=event, **{**entry, "phone": "081298765432"})  # namesake
    rows = [{"row": 2, "name": "Rina", "role": "bpd", "village_code": PRAWOTO},
            {"row": 3, "name": "RINA", "role": "bpd", "village_code": PRAWOTO}]
    with pytest.raises(ValidationError) as refused:
        services.attendance_import(actor=sukolilo_officer, event=event, rows=rows)
    assert "baris 2" in " ".join(refused.value.message_dict["file"]).lower()
    services.attendance_import(actor=sukolilo_officer, event=event, rows=rows[:1])
    with pytest.raises(ValidationError):  # the same list again
        services.attendance_import(actor=sukolilo_officer, event=event, rows=rows[:1])
    assert Attendee.objects.filter(event=event).count() == 3


def test_event_times_are_validated(sukolilo_officer):
    starts = timezone.now()
    with pytest.raises(ValidationError) as error:
        services.event_create(actor=sukolilo_officer, title="Rakor", kind=EventKind.RAKOR, starts_at=starts,
                              ends_at=starts - timedelta(hours=1), place="Aula", region_code=SUKOLILO)
    assert "ends_at" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.event_create(actor=sukolilo_officer, title="Rakor", kind=EventKind.RAKOR,
                              starts_at=starts.replace(year=2019), ends_at=starts, place="Aula", region_code=SUKOLILO)
    assert "starts_at" in error.value.message_dict


def test_an_officer_cannot_organise_outside_their_area(sukolilo_officer, village_staff):
    with pytest.raises(PermissionDenied):
        past_event(sukolilo_officer, region=PATI)
    with pytest.raises(PermissionDenied):
        past_event(village_staff, region=SUKOLILO)


def test_door_search_by_full_nik_shows_it_masked_and_links_the_member(sukolilo_officer, village_staff, prawoto):
    people, kades = seed_board(village_staff, prawoto)
    event = past_event(sukolilo_officer, kind=EventKind.PELATIHAN, training_title="Pelatihan manajemen koperasi 2025")
    services.event_invite(actor=sukolilo_officer, event=event, region_codes=[PRAWOTO])
    found = attendee_search(user=sukolilo_officer, event=event, text=people[0].nik,
                            suggested_role=member_attendee_role)
    assert [match.member for match in found] == [people[0]]
    assert found[0].masked_nik == people[0].nik[:4] + "•" * 8 + people[0].nik[12:]
    assert found[0].suggested_role == AttendeeRole.PENGURUS
    # Part of a NIK finds nobody: guessing birth dates digit by digit is not a search.
    assert attendee_search(user=sukolilo_officer, event=event, text=people[0].nik[:10],
                           suggested_role=member_attendee_role) == []
    assert [m.member for m in attendee_search(user=sukolilo_officer, event=event, text="kepala desa",
                                              suggested_role=member_attendee_role)] == [kades]

    attendee = services.attendee_add(actor=sukolilo_officer, event=event, member=people[0],
                                     role=AttendeeRole.PENGURUS)
    assert attendee.village_id == PRAWOTO and attendee.nik == people[0].nik
    record = TrainingRecord.objects.get(member=people[0])
    assert record.title == "Pelatihan manajemen koperasi 2025"
    with pytest.raises(ValidationError):
        services.attendee_add(actor=sukolilo_officer, event=event, member=people[0], role=AttendeeRole.PENGURUS)
    services.attendee_remove(actor=sukolilo_officer, attendee=attendee)
    assert not TrainingRecord.objects.filter(member=people[0]).exists()


def test_training_records_show_on_the_cooperative_page(client, sukolilo_officer, village_staff, prawoto):
    people, _kades = seed_board(village_staff, prawoto)
    event = past_event(sukolilo_officer, kind=EventKind.BIMTEK, training_title="Bimtek tata kelola koperasi")
    services.attendee_add(actor=sukolilo_officer, event=event, member=people[1], role=AttendeeRole.PENGURUS)
    client_login(client, village_staff)
    page = client.get(f"/koperasi/{prawoto.pk}/")
    assert "Bimtek tata kelola koperasi" in page.content.decode()


def test_an_event_is_rescheduled_by_its_organiser_with_its_history(sukolilo_officer, village_staff):
    event = past_event(sukolilo_officer)
    later = event.starts_at + timedelta(days=1)
    services.event_update(actor=sukolilo_officer, event=event, starts_at=later, ends_at=later + timedelta(hours=2),
                          place="Balai Desa Prawoto")
    event.refresh_from_db()
    assert event.place == "Balai Desa Prawoto" and event.starts_at == later
    assert event.history.count() == 2
    with pytest.raises(ValidationError):
        services.event_update(actor=sukolilo_officer, event=event, ends_at=later - timedelta(hours=1))
    with pytest.raises(ValidationError):
        services.event_update(actor=sukolilo_officer, event=event, kind="pelatihan")
    with pytest.raises(PermissionDenied):
        services.event_update(actor=village_staff, event=event, title="Rakor lain")


def test_at_an_event_without_invitations_the_door_form_takes_any_village_of_the_area(client, sukolilo_officer):
    event = past_event(sukolilo_officer, kind=EventKind.PELATIHAN)
    client_login(client, sukolilo_officer)
    response = client.post(f"/kegiatan/{event.pk}/hadir/", {"operation": "add", "name": "Sri", "role": "bpd",
                                                           "village": PRAWOTO})
    assert response.status_code == 302
    assert Attendee.objects.get(event=event).village_id == PRAWOTO
    outside = client.post(f"/kegiatan/{event.pk}/hadir/", {"operation": "add", "name": "Tamu", "role": "bpd",
                                                          "village": "35.05.01.2001"})
    assert outside.status_code == 200 and Attendee.objects.filter(event=event).count() == 1



def test_village_staff_have_no_door_page(client, sukolilo_officer, village_staff):
    event = past_event(sukolilo_officer)
    services.event_invite(actor=sukolilo_officer, event=event, region_codes=[PRAWOTO])
    client_login(client, village_staff)
    assert client.get(f"/kegiatan/{event.pk}/").status_code == 200  # invited: they see the event
    assert client.get(f"/kegiatan/{event.pk}/hadir/").status_code == 403


def test_an_organiser_who_may_not_see_personal_data_cannot_confirm_a_guessed_nik(client, village_staff, prawoto):
    """
    UU PDP: a province officer sees members' NIKs masked (first and last four digits). At the door neither the
    search nor the list's "already on it" check may answer whether a guessed full NIK is a member's, else the
    birth date in between could be guessed until it is.
    """
    people, _kades = seed_board(village_staff, prawoto)
    province = make_user(Role.PROVINCE_OFFICER, "33")
    event = past_event(province, region="33")
    services.event_invite(actor=province, event=event, region_codes=[PRAWOTO])
    found = attendee_search(user=province, event=event, text=people[0].nik, suggested_role=member_attendee_role)
    assert found == []
    # By name they are found, and can be marked present: the member's NIK is not copied onto the list.
    by_name = attendee_search(user=province, event=event, text=people[0].name, suggested_role=member_attendee_role)
    assert [match.member for match in by_name] == [people[0]]
    attendee = services.attendee_add(actor=province, event=event, member=people[0], role=AttendeeRole.PENGURUS)
    assert attendee.member == people[0] and attendee.nik == ""

    # A NIK typed for someone is refused alike, whether or not it is a member's (or already on the list).
    answers = []
    for nik in (people[1].nik, sample_nik(77)):
        with pytest.raises(ValidationError) as error:
            services.attendee_add(actor=province, event=event, name="Tamu", role=AttendeeRole.ANGGOTA,
                                  village_code=PRAWOTO, nik=nik)
        answers.append(error.value.message_dict)
    assert answers[0] == answers[1] and "nik" in answers[0]
    assert event.attendees.count() == 1

    # The door page offers no NIK to them, and a NIK posted to its search finds nobody.
    client_login(client, province)
    page = client.post(f"/kegiatan/{event.pk}/hadir/", {"operation": "search", "q": people[1].nik})
    content = page.content.decode()
    assert page.status_code == 200 and people[1].name not in content
    assert 'name="nik"' not in content and "Cari dengan nama<" in content


def test_a_nik_is_searched_only_by_the_doors_form_never_from_a_link(client, sukolilo_officer, village_staff, prawoto):
    """A NIK stays out of URLs (history, logs, Referer): the search posts it, a ?q= of digits searches nothing."""
    people, _kades = seed_board(village_staff, prawoto)
    event = past_event(sukolilo_officer)
    services.event_invite(actor=sukolilo_officer, event=event, region_codes=[PRAWOTO])
    client_login(client, sukolilo_officer)
    posted = client.post(f"/kegiatan/{event.pk}/hadir/", {"operation": "search", "q": people[0].nik})
    assert people[0].name in posted.content.decode()
    linked = client.get(f"/kegiatan/{event.pk}/hadir/?q={people[0].nik}").content.decode()
    assert people[0].name not in linked and 'id="matches-title"' not in linked
    by_name = client.get(f"/kegiatan/{event.pk}/hadir/?q={people[0].name}").content.decode()
    assert "Ditemukan" in by_name and people[0].name in by_name


def test_an_invited_village_replies_whether_it_comes_until_the_event_starts(client, sukolilo_officer, village_staff):
    """The event asked for a reply by a date; village staff had no way to give one, the organiser no count."""
    from kegiatan.models import InvitationReply

    event = past_event(sukolilo_officer, hours_ago=-48, respond_by=timezone.localdate())  # in two days
    services.event_invite(actor=sukolilo_officer, event=event, region_codes=[PRAWOTO, _sukolilo_villages()[-1]])
    client_login(client, village_staff)
    page = client.get(f"/kegiatan/{event.pk}/").content.decode()
    assert 'id="reply"' in page and 'value="coming"' in page
    invitation = event.invitations.get(village_id=PRAWOTO)
    refused = client.post(f"/kegiatan/{event.pk}/", {"operation": "reply", "invitation": invitation.pk,
                                                     "reply": "coming", "people": "500"}, follow=True)
    assert "dari 1 sampai 50" in refused.content.decode()
    client.post(f"/kegiatan/{event.pk}/", {"operation": "reply", "invitation": invitation.pk, "reply": "coming",
                                           "people": "6"})
    invitation.refresh_from_db()
    assert (invitation.reply, invitation.expected_people, invitation.replied_by) == (
        InvitationReply.COMING, 6, village_staff)
    # Another village's invitation is not theirs to answer.
    other = event.invitations.exclude(village_id=PRAWOTO).get()
    assert client.post(f"/kegiatan/{event.pk}/", {"operation": "reply", "invitation": other.pk,
                                                  "reply": "coming", "people": "3"}).status_code == 404
    coverage = event_coverage(event)
    assert (coverage.coming, coverage.people_expected, coverage.unanswered) == (1, 6, 1)
    client.logout()
    client_login(client, sukolilo_officer)
    organiser_page = client.get(f"/kegiatan/{event.pk}/").content.decode()
    assert "1 datang (6 orang), 0 tidak datang, 1 belum menjawab" in organiser_page
    # The kecamatan sees every invitation but answers none: each village answers for itself.
    assert 'id="reply"' not in organiser_page
    with pytest.raises(PermissionDenied):
        services.invitation_reply(actor=sukolilo_officer, invitation=other, reply="not_coming")
    invitation.refresh_from_db()
    assert invitation.history.first().history_user == village_staff  # a replaced reply stays on record
    # Once the event has started, replies are closed.
    event.__class__.objects.filter(pk=event.pk).update(starts_at=timezone.now() - timedelta(minutes=5))
    with pytest.raises(ValidationError):
        services.invitation_reply(actor=village_staff, invitation=invitation, reply="not_coming")


def test_replies_over_the_api(sukolilo_officer, village_staff):
    from tests.conftest import api_as

    event = past_event(sukolilo_officer, hours_ago=-48)
    services.event_invite(actor=sukolilo_officer, event=event, region_codes=[PRAWOTO])
    api = api_as(village_staff)
    answer = api.post(f"/api/events/{event.pk}/reply/", {"village": PRAWOTO, "reply": "not_coming"}, format="json")
    assert answer.status_code == 200 and answer.json()["not_coming"] == 1
    bad = api.post(f"/api/events/{event.pk}/reply/", {"village": PRAWOTO, "reply": "coming", "people": 0},
                   format="json")
    assert bad.status_code == 400 and "people" in bad.json()
    elsewhere = api.post(f"/api/events/{event.pk}/reply/", {"village": "33.18.01.2002", "reply": "coming",
                                                            "people": 2}, format="json")
    assert elsewhere.status_code == 404
