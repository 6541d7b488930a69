"""The rules of land and construction: the plot ladder, verification, progress, handover and photos."""

import io
from datetime import date
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.utils import timezone
from PIL import Image

from core.roles import Role
from pembangunan import services
from pembangunan.models import PlotStatus
from pembangunan.photos import PHOTO_MAX_DIMENSION
from pembangunan.progress import actual_percent
from pembangunan.progress import planned_percent
from pembangunan.progress import slippage
from pembangunan.selectors import slipping_projects
from tests.conftest import PATI
from tests.conftest import make_user
from tests.conftest import pdf_upload
from tests.pembangunan.conftest import photo_upload
from tests.pembangunan.conftest import record
from tests.pembangunan.conftest import start_project
from tests.pembangunan.conftest import verified_plot

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def test_a_plot_climbs_the_ladder_one_step_at_a_time(village_staff, dinas, cooperative):
    plot = record(village_staff, cooperative)
    assert plot.status == PlotStatus.PROPOSED
    assert {unit_type.code for unit_type in plot.unit_types.all()} == {"gerai_sembako", "pergudangan"}
    with pytest.raises(ValidationError, match="surveyed plot"):
        services.plot_verify(actor=dinas, plot=plot)
    plot = services.plot_survey(actor=village_staff, plot=plot, surveyed_on=TODAY())
    plot = services.plot_verify(actor=dinas, plot=plot)
    assert plot.status == PlotStatus.VERIFIED and plot.verified_by == dinas and plot.verified_at


def test_no_construction_before_verification(village_staff, dinas, cooperative):
    plot = record(village_staff, cooperative)
    services.plot_survey(actor=village_staff, plot=plot, surveyed_on=TODAY())
    with pytest.raises(ValidationError, match="verified"):
        start_project(dinas, plot)
    assert not plot.projects.exists()


def test_only_the_dinas_verifies_and_assigns_construction(village_staff, sukolilo_officer, dinas, cooperative):
    plot = record(village_staff, cooperative)
    services.plot_survey(actor=village_staff, plot=plot, surveyed_on=TODAY())
    for outsider in (village_staff, sukolilo_officer, make_user(Role.KABUPATEN_OFFICER, "35.05")):
        with pytest.raises(PermissionDenied):
            services.plot_verify(actor=outsider, plot=plot)
    plot = services.plot_verify(actor=dinas, plot=plot)
    with pytest.raises(PermissionDenied):
        start_project(village_staff, plot)


def test_a_rejection_says_why_and_the_plot_can_be_surveyed_again(village_staff, dinas, cooperative):
    plot = record(village_staff, cooperative)
    services.plot_survey(actor=village_staff, plot=plot, surveyed_on=TODAY())
    with pytest.raises(ValidationError) as error:
        services.plot_reject(actor=dinas, plot=plot, reason="no")
    assert "reason" in error.value.message_dict
    plot = services.plot_reject(actor=dinas, plot=plot, reason="Sertifikat atas nama pribadi, bukan desa")
    assert plot.status == PlotStatus.REJECTED and "pribadi" in plot.rejection_reason
    plot = services.plot_update(actor=village_staff, plot=plot, legal_reference="SHM 12/2025 a.n. Pemdes")
    plot = services.plot_survey(actor=village_staff, plot=plot, surveyed_on=TODAY())
    assert plot.status == PlotStatus.SURVEYED and plot.rejection_reason == ""


def test_survey_needs_a_position_and_a_verified_plot_is_frozen(village_staff, dinas, cooperative):
    plot = record(village_staff, cooperative, latitude=None, longitude=None)
    with pytest.raises(ValidationError) as error:
        services.plot_survey(actor=village_staff, plot=plot, surveyed_on=TODAY())
    assert "latitude" in error.value.message_dict
    plot = services.plot_update(actor=village_staff, plot=plot, latitude="-6.8", longitude="111.0")
    services.plot_survey(actor=village_staff, plot=plot, surveyed_on=TODAY())
    plot = services.plot_verify(actor=dinas, plot=plot)
    with pytest.raises(ValidationError, match="verified plot"):
        services.plot_update(actor=village_staff, plot=plot, area_m2=5000)


@pytest.mark.parametrize("kwargs, field", [
    ({"latitude": "6.9", "longitude": "111"}, "latitude"),  # north of Indonesia
    ({"latitude": "-6.8", "longitude": "151"}, "longitude"),
    ({"latitude": "-6.8", "longitude": None}, "longitude"),
    ({"area_m2": 0}, "area_m2"),
    ({"owner_kind": "bought"}, "owner_kind"),
    ({"unit_type_codes": ["casino"]}, "unit_types"),
    ({"village_code": "35.05.01.2001"}, "village"),
    ({"name": "Tanah\x07 kas desa"}, "name"),  # a control character
    ({"name": "\u202eTanah kas desa"}, "name"),  # a bidirectional override
])
def test_bad_plots_name_the_field(village_staff, cooperative, kwargs, field):
    with pytest.raises(ValidationError) as error:
        record(village_staff, cooperative, **kwargs)
    assert field in error.value.message_dict


def test_progress_never_goes_back_and_a_report_without_photo_is_a_draft(village_staff, dinas, cooperative):
    project = start_project(dinas, verified_plot(village_staff, dinas, cooperative))
    day = TODAY() - timedelta(days=30)
    services.progress_report_add(actor=village_staff, project=project, reported_on=day, percent=20,
                                 photos=[photo_upload()])
    services.progress_report_add(actor=village_staff, project=project, reported_on=day + timedelta(days=10),
                                 percent=40, photos=[photo_upload()])
    project.refresh_from_db()
    assert (project.progress_percent, project.progress_on) == (40, day + timedelta(days=10))
    with pytest.raises(ValidationError, match="cannot go back"):
        services.progress_report_add(actor=village_staff, project=project, reported_on=day + timedelta(days=20),
                                     percent=35, photos=[photo_upload()])
    # Between two reports a figure must fit between them.
    with pytest.raises(ValidationError, match="later report"):
        services.progress_report_add(actor=village_staff, project=project, reported_on=day + timedelta(days=5),
                                     percent=50, photos=[photo_upload()])
    draft = services.progress_report_add(actor=village_staff, project=project, reported_on=TODAY(), percent=55)
    project.refresh_from_db()
    assert draft.is_draft and project.progress_percent == 40  # a draft counts for nothing
    services.progress_photo_add(actor=village_staff, report=draft, upload=photo_upload())
    draft.refresh_from_db()
    project.refresh_from_db()
    assert not draft.is_draft and project.progress_percent == 55


def test_a_draft_that_no_longer_fits_is_not_published(village_staff, dinas, cooperative):
    project = start_project(dinas, verified_plot(village_staff, dinas, cooperative))
    draft = services.progress_report_add(actor=village_staff, project=project, reported_on=TODAY(), percent=30)
    services.progress_report_add(actor=village_staff, project=project, reported_on=TODAY(), percent=60,
                                 photos=[photo_upload()])
    with pytest.raises(ValidationError, match="cannot go back"):
        services.progress_photo_add(actor=village_staff, report=draft, upload=photo_upload())
    draft.refresh_from_db()
    assert draft.is_draft


@pytest.mark.parametrize("kwargs, field", [
    ({"percent": 101}, "percent"),
    ({"reported_on": date.today() + timedelta(days=2)}, "reported_on"),
    ({"reported_on": date(2025, 1, 2)}, "reported_on"),  # before the contract
])
def test_bad_reports_name_the_field(village_staff, dinas, cooperative, kwargs, field):
    project = start_project(dinas, verified_plot(village_staff, dinas, cooperative))
    kwargs.setdefault("reported_on", TODAY())
    kwargs.setdefault("percent", 10)
    with pytest.raises(ValidationError) as error:
        services.progress_report_add(actor=village_staff, project=project, **kwargs)
    assert field in error.value.message_dict


def test_no_handover_without_a_final_report_nor_before_it(village_staff, dinas, cooperative):
    plot = verified_plot(village_staff, dinas, cooperative)
    project = start_project(dinas, plot)
    services.progress_report_add(actor=village_staff, project=project, reported_on=TODAY() - timedelta(days=5),
                                 percent=95, photos=[photo_upload()])
    with pytest.raises(ValidationError, match="final progress report"):
        services.project_hand_over(actor=dinas, project=project, handed_over_on=TODAY(), upload=pdf_upload())
    # A 100 % draft is not a final report either.
    draft = services.progress_report_add(actor=village_staff, project=project, reported_on=TODAY() - timedelta(days=2),
                                         percent=100)
    with pytest.raises(ValidationError, match="final progress report"):
        services.project_hand_over(actor=dinas, project=project, handed_over_on=TODAY(), upload=pdf_upload())
    services.progress_photo_add(actor=village_staff, report=draft, upload=photo_upload())
    with pytest.raises(ValidationError) as error:
        services.project_hand_over(actor=dinas, project=project, handed_over_on=TODAY() - timedelta(days=3),
                                   upload=pdf_upload())
    assert "handed_over_on" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.project_hand_over(actor=dinas, project=project, handed_over_on=TODAY(), upload=None)
    assert "file" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        services.project_hand_over(actor=village_staff, project=project, handed_over_on=TODAY(), upload=pdf_upload())
    project = services.project_hand_over(actor=dinas, project=project, handed_over_on=TODAY(),
                                         upload=pdf_upload("bast.pdf"))
    plot.refresh_from_db()
    assert project.handed_over_on == TODAY() and plot.status == PlotStatus.HANDED_OVER
    with pytest.raises(ValidationError, match="handed over"):
        services.progress_report_add(actor=village_staff, project=project, reported_on=TODAY(), percent=100)


@pytest.mark.parametrize("kwargs, field", [
    ({"contract_value": 0}, "contract_value"),
    ({"building_area_m2": 0}, "building_area_m2"),
    ({"planned_finish": date(2025, 3, 1), "planned_start": date(2025, 6, 1)}, "planned_finish"),
    ({"loan_amount": 3_000_000_000}, "bank_name"),
    ({"bank_name": "BRI", "loan_tenor_months": 999}, "loan_tenor_months"),
    ({"executor": "other"}, "executor_name"),
])
def test_bad_projects_name_the_field(village_staff, dinas, cooperative, kwargs, field):
    plot = verified_plot(village_staff, dinas, cooperative)
    with pytest.raises(ValidationError) as error:
        start_project(dinas, plot, **kwargs)
    assert field in error.value.message_dict


def test_planned_curve_is_linear_between_start_and_finish():
    start, finish = date(2025, 11, 1), date(2026, 1, 30)  # 90 days
    assert planned_percent(start, finish, date(2025, 10, 1)) == 0
    assert planned_percent(start, finish, date(2025, 12, 16)) == 50.0
    assert planned_percent(start, finish, date(2025, 11, 10)) == 10.0
    assert planned_percent(start, finish, finish) == 100
    assert planned_percent(start, finish, date(2026, 5, 1)) == 100
    assert planned_percent(start, start, start) == 100


def test_slippage_compares_the_plan_with_the_latest_report():
    start, finish = date(2025, 11, 1), date(2026, 1, 30)
    reports = [(date(2025, 11, 20), 10), (date(2025, 12, 10), 25)]
    assert actual_percent(reports, date(2025, 12, 9)) == 10
    standing = slippage(start=start, finish=finish, reports=reports, day=date(2025, 12, 16))
    assert (standing.planned, standing.actual, standing.behind) == (50.0, 25, 25.0)
    assert standing.is_slipping and standing.overdue_days == 0
    late = slippage(start=start, finish=finish, reports=[*reports, (date(2026, 2, 1), 96)], day=date(2026, 2, 9))
    assert late.overdue_days == 10 and late.is_slipping
    done = slippage(start=start, finish=finish, reports=[], day=date(2026, 3, 1), handed_over_on=date(2026, 2, 20))
    assert not done.is_slipping
    on_track = slippage(start=start, finish=finish, reports=[(date(2025, 12, 16), 45)], day=date(2025, 12, 16))
    assert not on_track.is_slipping


def test_slipping_projects_are_listed_worst_first(village_staff, dinas, cooperative):
    plot = verified_plot(village_staff, dinas, cooperative)
    behind = start_project(dinas, plot, title="Behind")
    services.progress_report_add(actor=village_staff, project=behind, reported_on=TODAY(), percent=10,
                                 photos=[photo_upload()])
    start_project(dinas, plot, title="Overdue", planned_start=TODAY() - timedelta(days=50),
                            planned_finish=TODAY() - timedelta(days=3))
    on_track = start_project(dinas, plot, title="On track")
    services.progress_report_add(actor=village_staff, project=on_track, reported_on=TODAY(), percent=50,
                                 photos=[photo_upload()])
    rows = slipping_projects(user=dinas, code=PATI)
    assert [project.title for project, _standing in rows] == ["Overdue", "Behind"]
    assert rows[0][1].overdue_days == 3 and rows[1][1].behind == 40.0
    assert slipping_projects(user=make_user(Role.KABUPATEN_OFFICER, "35.05")) == []


def _exif_of(photo):
    with photo.file.open("rb") as handle, Image.open(io.BytesIO(handle.read())) as image:
        return image.getexif(), image.size


def test_photos_are_shrunk_and_stripped_of_exif_unless_location_is_kept(village_staff, cooperative):
    plot = record(village_staff, cooperative)
    big = photo_upload(size=(4000, 3000), gps=(-6.81, 111.0))
    stripped = services.plot_photo_add(actor=village_staff, plot=plot, upload=big)
    exif, size = _exif_of(stripped)
    assert max(size) == PHOTO_MAX_DIMENSION and len(exif) == 0
    assert stripped.latitude is None and not stripped.is_geotagged
    kept = services.plot_photo_add(actor=village_staff, plot=plot, upload=photo_upload(gps=(-6.81, 111.0)),
                                   keep_location=True)
    exif, _size = _exif_of(kept)
    assert list(exif) == [0x8825]  # the GPS block only: no serial number, no owner's name
    assert round(float(kept.latitude), 2) == -6.81 and round(float(kept.longitude), 2) == 111.0


def test_a_photo_without_gps_takes_the_phones_reading_only_when_allowed(village_staff, cooperative):
    plot = record(village_staff, cooperative)
    kept = services.plot_photo_add(actor=village_staff, plot=plot, upload=photo_upload(), keep_location=True,
                                   latitude="-6.8", longitude="111.1")
    refused = services.plot_photo_add(actor=village_staff, plot=plot, upload=photo_upload(), keep_location=False,
                                      latitude="-6.8", longitude="111.1")
    assert kept.is_geotagged and not refused.is_geotagged


def test_photos_that_are_not_photos_or_too_big_are_refused_with_a_clear_message(village_staff, cooperative):
    plot = record(village_staff, cooperative)
    with pytest.raises(ValidationError) as error:
        services.plot_photo_add(actor=village_staff, plot=plot, upload=pdf_upload("foto.jpg"))
    assert "not a photo" in error.value.message_dict["photo"][0]
    huge = photo_upload()
    huge.size = 50 * 1024 * 1024
    with pytest.raises(ValidationError) as error:
        services.plot_photo_add(actor=village_staff, plot=plot, upload=huge)
    assert "at most 12.0\xa0MB" in error.value.message_dict["photo"][0]


def test_documents_are_checked_like_stage_documents(village_staff, cooperative):
    plot = record(village_staff, cooperative)
    document = services.plot_document_add(actor=village_staff, plot=plot, kind="sertifikat",
                                          upload=pdf_upload("shm.pdf"))
    assert document.content_type == "application/pdf" and document.original_name == "shm.pdf"
    with pytest.raises(ValidationError) as error:
        services.plot_document_add(actor=village_staff, plot=plot, kind="sertifikat", upload=photo_upload("x.pdf"))
    assert "file" in error.value.message_dict


def test_recording_is_scoped(cooperative, jaten):
    outsider = make_user(Role.VILLAGE_STAFF, "33.18.01.2002")
    with pytest.raises(PermissionDenied):
        record(outsider, cooperative)
    director = make_user(Role.FEDERATION_DIRECTOR, "33.18.01.2001")
    with pytest.raises(PermissionDenied):
        record(director, cooperative)
    with pytest.raises(PermissionDenied):
        record(make_user(Role.KABUPATEN_OFFICER, PATI), jaten)


def _cut_off_jpeg(name: str = "terpotong.jpg"):
    """A photo cut off on a slow link: the first third of a real JPEG."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    buffer = io.BytesIO()
    Image.effect_noise((400, 300), 64).convert("RGB").save(buffer, format="JPEG", quality=90)
    return SimpleUploadedFile(name, buffer.getvalue()[: buffer.tell() // 3], content_type="image/jpeg")


def test_a_photo_cut_off_in_transfer_is_refused_not_a_500(village_staff, cooperative):
    from pembangunan.photos import process_photo

    with pytest.raises(ValidationError) as refused:
        process_photo(_cut_off_jpeg(), keep_location=True)
    assert "damaged" in refused.value.messages[0]


def test_a_document_image_cut_off_in_transfer_is_refused():
    from koperasi.documents import check_upload

    with pytest.raises(ValidationError) as refused:
        check_upload(_cut_off_jpeg("akta.jpg"))
    assert "damaged" in refused.value.messages[0]


def test_a_surveyed_plot_keeps_its_position_and_is_verified_by_someone_else_than_its_last_editor(
        client, village_staff, dinas, cooperative):
    """The verifier had removed the coordinates, doubled the area and verified his own change."""
    from tests.conftest import client_login

    plot = services.plot_survey(actor=village_staff, plot=record(village_staff, cooperative), surveyed_on=TODAY())
    with pytest.raises(ValidationError) as refused:
        services.plot_update(actor=dinas, plot=plot, latitude=None, longitude=None)
    assert "latitude" in refused.value.message_dict
    plot = services.plot_update(actor=dinas, plot=plot, area_m2=1300)
    with pytest.raises(PermissionDenied):
        services.plot_verify(actor=dinas, plot=plot)
    client_login(client, dinas)
    response = client.get(f"/pembangunan/lahan/{plot.pk}/")
    assert response.status_code == 200 and 'id="verification"' in response.content.decode()
    assert 'value="verify"' not in response.content.decode()  # no button that would only be refused
    other = make_user(Role.KABUPATEN_OFFICER, PATI)
    assert services.plot_verify(actor=other, plot=plot).status == PlotStatus.VERIFIED


def test_a_contract_is_not_moved_after_its_first_progress_report(village_staff, dinas, cooperative):
    project = start_project(dinas, verified_plot(village_staff, dinas, cooperative))
    reported = TODAY() - timedelta(days=30)
    services.progress_report_add(actor=village_staff, project=project, reported_on=reported, percent=20,
                                 photos=[photo_upload()])
    with pytest.raises(ValidationError) as refused:
        services.project_update(actor=dinas, project=project, contract_date=TODAY())
    assert "contract_date" in refused.value.message_dict
    services.project_update(actor=dinas, project=project, contract_date=reported)  # the day itself is fine


def test_a_cut_off_photo_is_refused_even_after_a_pdf_was_drawn_in_the_process():
    """WeasyPrint sets PIL's LOAD_TRUNCATED_IMAGES for the whole process; uploads are still decoded strictly."""
    from PIL import ImageFile

    from koperasi.documents import check_upload
    from pembangunan.photos import process_photo

    previous = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = True  # as after `import weasyprint`
    try:
        with pytest.raises(ValidationError):
            process_photo(_cut_off_jpeg(), keep_location=True)
        with pytest.raises(ValidationError):
            check_upload(_cut_off_jpeg("akta.jpg"))
        assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # put back for the PDFs
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = previous
