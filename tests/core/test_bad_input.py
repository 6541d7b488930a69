"""Bad input gets a clear error and never a 500: bounded targets, identifiers in other digits, huge images."""

import io
import string
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from PIL import Image

from core.identifiers import nik_check
from core.identifiers import normalize_bank_account
from core.identifiers import normalize_nib
from core.identifiers import normalize_npwp
from core.identifiers import normalize_sk_ahu
from koperasi.documents import check_upload
from koperasi.stage_fields import clean_stage_data
from targets.models import Target
from targets.progress import target_figures
from targets.selectors import burn_up
from targets.selectors import target_rows
from targets.services import target_create
from tests.conftest import PATI
from tests.conftest import api_as
from tests.conftest import client_login

FULL_WIDTH = str.maketrans(string.digits, "０１２３４５６７８９")
ARABIC_INDIC = str.maketrans(string.digits, "٠١٢٣٤٥٦٧٨٩")


def test_full_width_digits_are_the_same_number_and_other_scripts_are_refused():
    assert normalize_nib("9120301234567".translate(FULL_WIDTH)) == "9120301234567"
    assert normalize_npwp("01.234.567.8-901.000".translate(FULL_WIDTH)) == normalize_npwp("01.234.567.8-901.000")
    for refused in ("9120301234567".translate(ARABIC_INDIC), "912030123456²"):
        with pytest.raises(ValidationError):
            normalize_nib(refused)
    assert not nik_check("3318011508850001".translate(ARABIC_INDIC)).is_valid


@hypothesis_settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_identifier_validators_answer_any_text_with_a_value_or_a_validation_error(text):
    for normalize in (normalize_npwp, normalize_nib, normalize_sk_ahu, normalize_bank_account):
        try:
            value = normalize(text)
        except ValidationError:
            continue
        assert value.isascii()  # one stored form: what the uniqueness checks compare
    nik_check(text)


@hypothesis_settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(max_size=20), st.dates().map(date.isoformat)))
def test_stage_dates_answer_any_text_with_a_date_in_bounds_or_a_validation_error(text):
    try:
        cleaned = clean_stage_data(["held_on"], {"held_on": text})
    except ValidationError:
        return
    assert date(2025, 1, 1) <= date.fromisoformat(cleaned["held_on"]) <= date.today()


def test_an_image_declaring_twenty_thousand_pixels_square_is_refused_before_decoding():
    buffer = io.BytesIO()
    Image.new("1", (20_000, 20_000)).save(buffer, format="PNG")  # tiny file, 400 megapixels
    with pytest.raises(ValidationError) as error:
        check_upload(SimpleUploadedFile("scan.png", buffer.getvalue(), content_type="image/png"))
    assert "megapiksel" in " ".join(error.value.messages)


@pytest.mark.django_db
def test_targets_are_bounded_by_the_region_and_the_programme(pati_officer):
    def create(**kwargs):
        defaults = {"actor": pati_officer, "region_code": PATI, "metric": "stage", "stage_code": "musdesus",
                    "start_date": date(2025, 4, 1), "due_date": date(2025, 12, 31)}
        return target_create(**{**defaults, **kwargs})

    for kwargs, field in [({"target_count": 2**31 - 1}, "target_count"), ({"target_count": 407}, "target_count"),
                          ({"due_date": date(9999, 12, 31)}, "due_date"),
                          ({"start_date": date(1, 1, 1)}, "start_date")]:
        with pytest.raises(ValidationError) as error:
            create(**kwargs)
        assert field in error.value.message_dict
    assert create(target_count=406).target_count == 406
    response = api_as(pati_officer).post("/api/targets/", {"region": PATI, "metric": "stage", "stage": "musdesus",
                                                           "target_count": 2**31, "start_date": "2025-04-01",
                                                           "due_date": "2025-12-31"}, format="json")
    assert response.status_code == 400 and "target_count" in response.json()


@pytest.mark.django_db
def test_a_stored_target_with_absurd_figures_still_renders(client, pati_officer):
    target = target_create(actor=pati_officer, region_code=PATI, metric="stage", stage_code="musdesus",
                           start_date=date(2025, 4, 1), due_date=date(2025, 12, 31))
    Target.objects.filter(pk=target.pk).update(target_count=2**31 - 1, start_date=date(1, 1, 1),
                                               due_date=date(9999, 12, 31))
    row = target_rows([Target.objects.get(pk=target.pk)])[0]
    assert len(burn_up(row)["achieved"]) <= 6 * 366 + 31
    client.force_login(pati_officer)
    assert client.get("/target/").status_code == 200
    assert client.get(f"/dasbor/{PATI}/").status_code == 200
    figures = target_figures(target=2**31, achieved=1, achieved_window_start=0, due_date=date(9999, 12, 31),
                             today=date(2026, 1, 1))  # a century and more at this pace: "never", not an overflow
    assert figures.projected_completion is None


@pytest.mark.django_db
def test_stalled_days_beyond_ten_years_are_a_400(pati_officer):
    assert api_as(pati_officer).get("/api/cooperatives/stalled/", {"days": 10**12}).status_code == 400


@pytest.mark.django_db
def test_visit_and_birth_dates_outside_the_domain_are_refused(sukolilo_officer, village_staff, prawoto):
    from members.services import member_add
    from pendampingan.services import visit_log
    from tests.conftest import PRAWOTO
    from tests.conftest import sample_nik

    for kwargs, field in [({"visited_on": date(1, 1, 1)}, "visited_on"),
                          ({"visited_on": date(2025, 5, 1), "follow_up_on": date(9999, 12, 31)}, "follow_up_on")]:
        with pytest.raises(ValidationError) as error:
            visit_log(actor=sukolilo_officer, village_code=PRAWOTO, topic="Musdesus", **kwargs)
        assert field in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        member_add(actor=village_staff, cooperative=prawoto, nik=sample_nik(7), name="Budi", sex="L",
                   domicile_code=PRAWOTO, birth_date=date(1, 1, 1))
    assert "birth_date" in error.value.message_dict
    response = api_as(sukolilo_officer).post("/api/visits/", {"village": PRAWOTO, "visited_on": "0001-01-01",
                                                              "topic": "Musdesus"}, format="json")
    assert response.status_code == 400 and "visited_on" in response.json()


@pytest.mark.django_db
def test_legal_unit_and_event_dates_and_meeting_counts_outside_the_domain_are_refused(pati_officer, sukolilo_officer,
                                                                                      village_staff, prawoto):
    from kegiatan import services as event_services
    from koperasi.services import cooperative_update
    from koperasi.stage_fields import clean_stage_data
    from tests.kegiatan.helpers import past_event
    from units.services import unit_update

    with pytest.raises(ValidationError) as error:
        cooperative_update(actor=pati_officer, cooperative=prawoto, deed_date=date(9999, 12, 31),
                           sk_ahu_date=date(1, 1, 1), operational_since=date(2024, 12, 31))
    # A new KDKMP (formation model "baru") has no papers from before the programme.
    assert set(error.value.message_dict) == {"deed_date", "sk_ahu_date", "operational_since"}
    unit = prawoto.units.order_by("pk").first()
    with pytest.raises(ValidationError) as error:
        unit_update(actor=village_staff, unit=unit, status="operasional", go_live_date=date(1, 1, 1),
                    licence_number="503/01/2025", licence_date=date(1900, 1, 1), land_progress=100,
                    building_progress=100)
    assert {"go_live_date", "licence_date"} <= set(error.value.message_dict)
    event = past_event(sukolilo_officer)
    with pytest.raises(ValidationError) as error:
        event_services.event_update(actor=sukolilo_officer, event=event, respond_by=date(1, 1, 1))
    assert "respond_by" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        clean_stage_data(["held_on", "participants"], {"held_on": "2025-05-20", "participants": str(10**20)})
    assert "participants" in error.value.message_dict


@pytest.mark.parametrize("tampered", ["abc", "", "1e3", "٣"])
def test_a_tampered_id_in_a_posted_form_is_a_404_not_a_500(client, sukolilo_officer, village_staff, prawoto, tampered):
    """A form's hidden id (a position, an application, a visit, an attendee) that is no whole number finds nothing."""
    from kegiatan import services as event_services
    from tests.kegiatan.helpers import past_event

    event = past_event(sukolilo_officer)
    event_services.event_invite(actor=sukolilo_officer, event=event, region_codes=[prawoto.village_id])
    client_login(client, village_staff)
    for url, data in ((f"/koperasi/{prawoto.pk}/anggota/", {"operation": "end", "position": tampered}),
                      (f"/koperasi/{prawoto.pk}/anggota/pendaftaran/",
                       {"operation": "approve", "application": tampered})):
        assert client.post(url, data).status_code == 404, url
    client.logout()
    client_login(client, sukolilo_officer)
    for url, data in (("/pendampingan/", {"operation": "done", "visit": tampered}),
                      (f"/kegiatan/{event.pk}/hadir/", {"operation": "member", "member": tampered}),
                      (f"/kegiatan/{event.pk}/hadir/", {"operation": "remove", "attendee": tampered}),
                      (f"/kegiatan/{event.pk}/", {"operation": "sosialisasi", "cooperative": tampered})):
        assert client.post(url, data).status_code == 404, url
