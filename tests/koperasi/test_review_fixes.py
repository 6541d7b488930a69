"""Edge cases found in review: archive for existing cooperatives, who is told, and input that must not be a 500."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.roles import Role
from koperasi.models import Cooperative
from koperasi.models import StageDocument
from koperasi.services import stage_mark_not_applicable
from koperasi.services import stage_record_from_archive
from notifications.models import Notification
from tests.conftest import PAKEM
from tests.conftest import PATI
from tests.conftest import PRAWOTO
from tests.conftest import STAGE_DATA
from tests.conftest import complete_stage
from tests.conftest import make_user
from tests.conftest import pdf_upload
from tests.conftest import register
from tests.conftest import submit_stage

pytestmark = pytest.mark.django_db


def _archive(actor, cooperative, code, day):
    progress = cooperative.stages.get(stage__code=code)
    documents = [(doc.code, pdf_upload(f"{doc.code}.pdf")) for doc in progress.stage.required_documents.all()]
    return stage_record_from_archive(actor=actor, progress=progress, completed_on=day, note="Arsip dinas, map 9",
                                     data=STAGE_DATA[code] | ({"deed_date": day.isoformat()} if code == "akta_notaris"
                                                              else {}), documents=documents)


def test_an_existing_cooperatives_old_deed_is_recorded_after_its_2025_meetings(village_staff, pati_officer,
                                                                              kabupaten_officer_2):
    cooperative = register(village_staff, formation_model="pengembangan")
    today = str(timezone.localdate())
    complete_stage(village_staff, pati_officer, cooperative, "sosialisasi", {"held_on": today})
    complete_stage(village_staff, pati_officer, cooperative, "musdesus", {"held_on": today, "participants": 40})
    stage_mark_not_applicable(actor=pati_officer, progress=cooperative.stages.get(stage__code="rapat_pendirian"),
                              reason="Koperasi lama, pengurus sudah ada.")
    progress = _archive(kabupaten_officer_2, cooperative, "akta_notaris", date(2012, 3, 5))
    assert progress.from_archive and progress.completed_at.date() == date(2012, 3, 5)
    cooperative.refresh_from_db()
    # Its meetings were held today: "stalled" counts from its latest event, not from the deed's 2012 date.
    assert not Cooperative.objects.stalled(days=30).filter(pk=cooperative.pk).exists()


def test_the_founding_meeting_from_the_archive_still_needs_the_board(village_staff, pati_officer):
    cooperative = register(village_staff)
    complete_stage(village_staff, pati_officer, cooperative, "sosialisasi")
    complete_stage(village_staff, pati_officer, cooperative, "musdesus")
    with pytest.raises(ValidationError) as error:
        _archive(pati_officer, cooperative, "rapat_pendirian", date(2025, 5, 28))
    assert "governance" in error.value.message_dict


def test_staff_of_a_joint_cooperatives_other_village_are_not_told(sukolilo_officer, pati_officer):
    pakem_staff = make_user(Role.VILLAGE_STAFF, PAKEM)
    prawoto_staff = make_user(Role.VILLAGE_STAFF, PRAWOTO)
    joint = register(sukolilo_officer, joint_village_codes=[PAKEM], joint_population_confirmed=True)
    complete_stage(sukolilo_officer, pati_officer, joint, "sosialisasi")
    assert Notification.objects.filter(user=prawoto_staff).exists()
    assert not Notification.objects.filter(user=pakem_staff).exists()  # Pakem's staff cannot open it


def test_the_only_kabupaten_officer_submitting_tells_the_level_above(pati_officer, national_admin, village_staff):
    cooperative = register(village_staff)
    submit_stage(pati_officer, cooperative, "sosialisasi")
    assert Notification.objects.filter(user=national_admin, kind="stage_submitted").exists()
    assert not Notification.objects.filter(user=pati_officer).exists()


def test_odd_input_is_refused_not_a_server_error(client, village_staff, pati_officer, prawoto):
    client.force_login(pati_officer)
    assert client.get("/koperasi/", {"region": "\x00Pati"}).status_code == 200
    assert client.get("/wilayah/pilihan/", {"param": "q", "q": "\x00ab"}).status_code == 200
    submit_stage(village_staff, prawoto, "sosialisasi")
    stage_url = f"/koperasi/{prawoto.pk}/tahap/sosialisasi/"
    assert client.post(stage_url, {"operation": "remove_document", "document": "abc"}).status_code == 302
    assert StageDocument.objects.filter(removed_at__isnull=True).count() == 1
    response = client.post(f"/dasbor/{PATI}/ekspor/", {"kind": "children", "fmt": "csv", "k": "²"})
    assert response.status_code == 302
    refused = client.post("/dasbor/ekspor/", {"kind": "cooperatives", "fmt": "csv", "filters": "region=Atlantis"},
                          follow=True)
    assert "Atlantis" in refused.content.decode()  # the refused filter is named, no empty file is made


def test_a_common_desa_name_is_found_with_its_kecamatan(client):
    from wilayah.forms import RegionField
    from wilayah.models import Region

    admin = make_user(Role.NATIONAL_ADMIN)
    name = "Mekarsari"
    assert Region.objects.filter(name=name, level="village").count() > 20
    target = Region.objects.select_related("parent__parent").filter(name=name, level="village").order_by(
        "-code").first()
    field = RegionField(levels=("village",)).for_user(admin)
    typed = f"Desa {name} — Kec. {target.parent.name}, {target.parent.parent.name.replace('Kabupaten ', 'Kab. ')}"
    assert field.clean(typed).code == target.code
