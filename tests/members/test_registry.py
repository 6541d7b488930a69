"""The member registry: numbers, address with RT/RW, phone in E.164, status changes, and self-registration."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.roles import Role
from members.models import ApplicationStatus
from members.models import Member
from members.models import MemberApplication
from members.models import MemberStatus
from members.services import application_approve
from members.services import application_reject
from members.services import application_submit
from members.services import member_add
from members.services import member_remove
from members.services import member_status_change
from tests.conftest import PAKEM
from tests.conftest import PRAWOTO
from tests.conftest import client_login
from tests.conftest import make_user
from tests.conftest import register
from tests.conftest import sample_nik

pytestmark = pytest.mark.django_db


def _add(actor, cooperative, sequence, **kwargs):
    kwargs.setdefault("name", f"Warga {sequence}")
    return member_add(actor=actor, cooperative=cooperative, nik=sample_nik(sequence), sex="L",
                      domicile_code=cooperative.village_id, **kwargs)[0]


def test_member_numbers_are_a_gap_free_sequence_per_cooperative(village_staff, prawoto, pati_officer):
    first, second = _add(village_staff, prawoto, 1), _add(village_staff, prawoto, 2)
    pakem = register(pati_officer, PAKEM)
    other = _add(pati_officer, pakem, 3)
    assert (first.member_number, second.member_number, other.member_number) == ("00001", "00002", "00001")
    with pytest.raises(ValidationError):  # a refused admission takes no number
        _add(village_staff, prawoto, 1)
    assert _add(village_staff, prawoto, 4).member_number == "00003"


def test_address_rt_rw_and_phone_are_normalised(village_staff, prawoto):
    member = _add(village_staff, prawoto, 1, address="  Jl.  Raya  5 ", rt="3", rw="12", phone="0812-3456-7890",
                  occupation="Petani")
    assert (member.address, member.rt, member.rw, str(member.phone)) == ("Jl. Raya 5", "003", "012", "+6281234567890")
    with pytest.raises(ValidationError) as refused:
        _add(village_staff, prawoto, 2, rt="1000", phone="12345")
    assert set(refused.value.message_dict) == {"rt", "phone"}


def test_duplicate_nik_is_refused_with_a_clear_message(village_staff, prawoto):
    _add(village_staff, prawoto, 1)
    with pytest.raises(ValidationError) as refused:
        _add(village_staff, prawoto, 1, name="Orang Lain")
    assert refused.value.message_dict["nik"] == ["Anggota dengan NIK ini sudah terdaftar di koperasi ini."]


def test_leaving_and_death_are_statuses_with_a_date_and_reason(village_staff, prawoto):
    joined = timezone.localdate() - datetime.timedelta(days=100)
    member = _add(village_staff, prawoto, 1, joined_on=joined)
    for status_on, field in ((joined - datetime.timedelta(days=1), "status_on"),
                             (timezone.localdate() + datetime.timedelta(days=1), "status_on"), (None, "status_on")):
        with pytest.raises(ValidationError) as refused:
            member_status_change(actor=village_staff, member=member, status=MemberStatus.KELUAR, status_on=status_on,
                                 reason="Pindah domisili ke kota")
        assert field in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        member_status_change(actor=village_staff, member=member, status=MemberStatus.KELUAR,
                             status_on=timezone.localdate(), reason="")
    assert "status_reason" in refused.value.message_dict
    member = member_status_change(actor=village_staff, member=member, status=MemberStatus.MENINGGAL,
                                  status_on=timezone.localdate(), reason="Meninggal dunia, surat kematian desa")
    member.refresh_from_db()
    assert (member.status, member.member_number) == (MemberStatus.MENINGGAL, "00001")
    assert Member.objects.filter(pk=member.pk).exists()  # a status, not a deletion
    member = member_status_change(actor=village_staff, member=member, status=MemberStatus.AKTIF)
    assert (member.status, member.status_on, member.status_reason) == ("aktif", None, "")


def test_status_change_is_scoped(village_staff, prawoto, director):
    member = _add(village_staff, prawoto, 1)
    with pytest.raises(PermissionDenied):
        member_status_change(actor=director, member=member, status=MemberStatus.KELUAR,
                             status_on=timezone.localdate(), reason="Pindah ke luar kota")


def test_removal_stays_for_wrongly_entered_rows(village_staff, prawoto):
    member = _add(village_staff, prawoto, 1)
    member_remove(actor=village_staff, member=member)
    assert not Member.objects.filter(pk=member.pk).exists()


# Self-registration ---------------------------------------------------------------------------------------

def _apply(cooperative, sequence=1, **overrides):
    data = {"nik": sample_nik(sequence), "name": "Siti Pemohon", "sex": "L", "domicile_code": cooperative.village_id,
            "address": "Dusun Krajan", "rt": "2", "rw": "1", "phone": "081234567890"}
    return application_submit(cooperative=cooperative, **{**data, **overrides})


def test_an_application_waits_and_is_admitted_by_the_pengurus(village_staff, prawoto):
    application = _apply(prawoto)
    assert application.status == ApplicationStatus.PENDING
    assert not Member.objects.filter(cooperative=prawoto).exists()
    assert _apply(prawoto) is None  # sent twice: nothing new, and nothing said about it
    member = application_approve(actor=village_staff, application=application)
    application.refresh_from_db()
    assert (application.status, application.member, application.decided_by) == ("approved", member, village_staff)
    assert (member.member_number, member.rt, str(member.phone)) == ("00001", "002", "+6281234567890")
    with pytest.raises(ValidationError):
        application_approve(actor=village_staff, application=application)


def test_an_application_of_a_member_is_refused_at_approval_with_a_clear_message(village_staff, prawoto):
    _add(village_staff, prawoto, 1)
    application = _apply(prawoto)  # the public answer does not reveal the NIK is a member
    assert application is not None
    with pytest.raises(ValidationError) as refused:
        application_approve(actor=village_staff, application=application)
    assert "sudah menjadi anggota" in refused.value.messages[0]


def test_rejection_needs_a_reason_and_only_the_cooperatives_village_staff_decide(
        village_staff, prawoto, pati_officer, sukolilo_officer):
    application = _apply(prawoto)
    for outsider in (pati_officer, sukolilo_officer, make_user(Role.VILLAGE_STAFF, PAKEM)):
        with pytest.raises(PermissionDenied):
            application_approve(actor=outsider, application=application)
    with pytest.raises(ValidationError):
        application_reject(actor=village_staff, application=application, reason="no")
    application_reject(actor=village_staff, application=application, reason="Bukan warga desa Prawoto")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REJECTED and application.rejection_reason


def test_application_fields_follow_the_register_rules(prawoto):
    with pytest.raises(ValidationError) as refused:
        _apply(prawoto, nik="123", phone="", address="")
    assert {"nik", "phone", "address"} <= set(refused.value.message_dict)


def _form(**overrides):
    return {"village": "Prawoto", "nik": sample_nik(7), "name": "Budi Pemohon", "sex": "L", "address": "Dusun Krajan",
            "rt": "1", "rw": "2", "phone": "0812 3456 7890", "consent": "on", "website": "", **overrides}


def test_the_public_form_applies_without_an_account_and_never_tells_who_is_a_member(client, village_staff, prawoto):
    _add(village_staff, prawoto, 7)  # the NIK is already a member
    page = client.post("/koperasi/daftar-anggota/", _form())
    assert page.status_code == 200 and b"application-received" in page.content
    fresh = client.post("/koperasi/daftar-anggota/", _form(nik=sample_nik(8)))
    assert fresh.content.count(b"application-received") == page.content.count(b"application-received")
    assert MemberApplication.objects.filter(cooperative=prawoto).count() == 2
    assert client.get("/koperasi/daftar-anggota/").status_code == 200


def test_the_public_form_traps_robots_and_limits_each_address(client, prawoto, settings):
    settings.SELF_REGISTRATION_PER_HOUR = 3
    robot = client.post("/koperasi/daftar-anggota/", _form(website="http://spam.example"),
                        REMOTE_ADDR="203.0.113.9")
    assert b"application-received" in robot.content
    assert not MemberApplication.objects.exists()
    for sequence in (1, 2):
        client.post("/koperasi/daftar-anggota/", _form(nik=sample_nik(sequence)), REMOTE_ADDR="203.0.113.9")
    refused = client.post("/koperasi/daftar-anggota/", _form(nik=sample_nik(3)), REMOTE_ADDR="203.0.113.9")
    assert refused.status_code == 429 and refused["Retry-After"] == "3600"
    assert MemberApplication.objects.count() == 2
    other = client.post("/koperasi/daftar-anggota/", _form(nik=sample_nik(4)), REMOTE_ADDR="198.51.100.7")
    assert other.status_code == 200


def test_the_pengurus_admits_from_the_applications_page(client, village_staff, prawoto, sukolilo_officer):
    application = _apply(prawoto)
    client_login(client, sukolilo_officer)
    assert client.get(f"/koperasi/{prawoto.pk}/anggota/pendaftaran/").status_code == 403
    client.logout()
    client_login(client, village_staff)
    page = client.get(f"/koperasi/{prawoto.pk}/anggota/pendaftaran/")
    assert application.masked_nik in page.content.decode() and application.nik not in page.content.decode()
    assert 'href="tel:+6281234567890"' in page.content.decode()  # the pengurus contacts the applicant, as promised
    client.post(f"/koperasi/{prawoto.pk}/anggota/pendaftaran/", {"application": application.pk, "operation": "x"})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.PENDING  # an unknown button refuses no one
    client.post(f"/koperasi/{prawoto.pk}/anggota/pendaftaran/", {"application": application.pk,
                                                                "operation": "approve"})
    assert Member.objects.get(cooperative=prawoto).name == "Siti Pemohon"
    assert prawoto.village_id == PRAWOTO


def test_api_status_change_and_personal_fields_by_persona(village_staff, prawoto, director):
    from tests.conftest import api_as

    member = _add(village_staff, prawoto, 1, address="Dusun Krajan", rt="4", phone="081234567890")
    staff = api_as(village_staff).get(f"/api/members/{member.pk}/").json()
    assert (staff["address"], staff["rt"], staff["member_number"], staff["status"]) == (
        "Dusun Krajan", "004", "00001", "aktif")
    masked = api_as(director).get(f"/api/members/{member.pk}/").json()
    assert (masked["address"], masked["rt"], masked["phone"]) == ("", "", "")
    wrong = api_as(village_staff).post(f"/api/members/{member.pk}/status/", {"status": "keluar"}, format="json")
    assert wrong.status_code == 400 and "status_on" in wrong.json()
    done = api_as(village_staff).post(f"/api/members/{member.pk}/status/", {
        "status": "keluar", "status_on": timezone.localdate().isoformat(), "reason": "Pindah ke Kudus"},
        format="json")
    assert done.status_code == 200 and done.json()["status"] == "keluar"
    assert api_as(director).post(f"/api/members/{member.pk}/status/", {"status": "aktif"},
                                 format="json").status_code == 403


def test_the_member_page_shows_address_and_phone_only_to_who_may_see_personal_data(client, village_staff, prawoto,
                                                                                  director):
    member = _add(village_staff, prawoto, 1, address="Jl. Melati No. 7", rt="5", rw="2", phone="081234567890")
    url = f"/koperasi/{prawoto.pk}/anggota/{member.pk}/"
    client_login(client, village_staff)
    page = client.get(url).content.decode()
    assert "Jl. Melati No. 7, RT 005/RW 002" in page and member.nik in page
    client.logout()
    client_login(client, director)
    page = client.get(url).content.decode()
    assert member.name in page and member.masked_nik in page
    assert "Melati" not in page and "RT 005" not in page and member.nik not in page and "812" not in page


def test_api_applications_for_the_pengurus_only(village_staff, prawoto, pati_officer):
    from tests.conftest import api_as

    application = _apply(prawoto)
    listed = api_as(village_staff).get("/api/member-applications/").json()["results"]
    assert [row["nik_masked"] for row in listed] == [application.masked_nik]
    assert api_as(pati_officer).get(f"/api/member-applications/{application.pk}/").status_code == 404
    rejected = api_as(village_staff).post(f"/api/member-applications/{application.pk}/reject/", {"reason": "x"},
                                          format="json")
    assert rejected.status_code == 400
    admitted = api_as(village_staff).post(f"/api/member-applications/{application.pk}/approve/")
    assert admitted.status_code == 200 and admitted.json()["member_number"] == "00001"


def test_the_quick_reading_of_mobile_numbers_agrees_with_libphonenumber():
    """core.services.indonesian_phone reads 08…/+62 8… mobiles itself (an import checks 100,000): same answer."""
    import random

    from phonenumber_field.phonenumber import to_python

    from core.services import indonesian_phone

    rng = random.Random(12)
    for _ in range(3000):
        digits = "8" + "".join(str(rng.randint(0, 9)) for _ in range(rng.randint(6, 12)))
        typed = rng.choice(["0", "+62", "+62 ", "(0", "62"]) + digits[:3] + rng.choice(["", "-", " "]) + digits[3:]
        number = to_python(typed, region="ID")
        expected = number.as_e164 if number and number.is_valid() else None
        try:
            assert indonesian_phone(typed) == expected, typed
        except ValidationError:
            assert expected is None, typed


def test_correcting_a_mistyped_application_is_not_throttled_and_a_refusal_keeps_what_was_typed(client, prawoto,
                                                                                             settings):
    """Five corrections of an 11-digit NIK had used up the hour's budget, and the refusal showed an empty form."""
    settings.SELF_REGISTRATION_PER_HOUR = 2
    for _attempt in range(5):
        wrong = client.post("/koperasi/daftar-anggota/", _form(nik="33180112345"), REMOTE_ADDR="203.0.113.20")
        assert wrong.status_code == 200 and b"application-received" not in wrong.content
    for sequence in (1, 2):
        sent = client.post("/koperasi/daftar-anggota/", _form(nik=sample_nik(sequence)), REMOTE_ADDR="203.0.113.20")
        assert b"application-received" in sent.content
    refused = client.post("/koperasi/daftar-anggota/", _form(nik=sample_nik(3), name="Siti Rahayu"),
                          REMOTE_ADDR="203.0.113.20")
    assert refused.status_code == 429 and b'value="Siti Rahayu"' in refused.content
    assert MemberApplication.objects.count() == 2
