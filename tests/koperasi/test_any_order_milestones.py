"""Milestones the law lets happen in any order once the legal entity exists (issue 16 §4)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from koperasi.catalog import ANY_ORDER_STAGES
from koperasi.models import FormationStage
from koperasi.models import StageStatus
from koperasi.services import stage_record_from_archive
from tests.conftest import STAGE_DATA
from tests.conftest import complete_stage
from tests.conftest import pdf_upload
from tests.conftest import seed_board
from tests.conftest import submit_stage

pytestmark = pytest.mark.django_db

LEGAL_STEPS = ("sosialisasi", "musdesus", "rapat_pendirian", "akta_notaris", "sk_ahu")


def _up_to_sk_ahu(village_staff, pati_officer, cooperative):
    seed_board(village_staff, cooperative)
    for code in LEGAL_STEPS:
        complete_stage(village_staff, pati_officer, cooperative, code)


def test_the_catalogue_marks_the_order_free_milestones_as_data():
    free = set(FormationStage.objects.filter(any_order=True).values_list("code", flat=True))
    assert free == set(ANY_ORDER_STAGES) == {"npwp", "nib", "rekening_bank", "simkopdes"}


def test_after_sk_ahu_simkopdes_nib_and_bank_account_come_in_any_order(village_staff, pati_officer, prawoto):
    _up_to_sk_ahu(village_staff, pati_officer, prawoto)
    # SIMKOPDES before NPWP, NIB and the bank account; then the bank account before NPWP and NIB.
    assert complete_stage(village_staff, pati_officer, prawoto, "simkopdes").status == StageStatus.VERIFIED
    assert complete_stage(village_staff, pati_officer, prawoto, "rekening_bank").status == StageStatus.VERIFIED
    prawoto.refresh_from_db()
    assert prawoto.simkopdes_account == STAGE_DATA["simkopdes"]["simkopdes_account"]
    assert prawoto.stage_reached.code == "sk_ahu"  # the unbroken run from the first stage
    # Operasional is an ordered step: it still needs every earlier milestone.
    with pytest.raises(ValidationError) as error:
        submit_stage(village_staff, prawoto, "operasional")
    assert "NPWP" in error.value.messages[0]
    complete_stage(village_staff, pati_officer, prawoto, "nib")
    complete_stage(village_staff, pati_officer, prawoto, "npwp")
    prawoto.refresh_from_db()
    assert prawoto.stage_reached.code == "simkopdes"
    complete_stage(village_staff, pati_officer, prawoto, "operasional")
    prawoto.refresh_from_db()
    assert prawoto.formation_completed


def test_order_free_milestones_are_refused_before_the_legal_entity(village_staff, pati_officer, prawoto):
    seed_board(village_staff, prawoto)
    for code in LEGAL_STEPS[:-1]:
        complete_stage(village_staff, pati_officer, prawoto, code)
    for code in ("simkopdes", "nib", "npwp", "rekening_bank"):
        with pytest.raises(ValidationError) as error:
            submit_stage(village_staff, prawoto, code)
        assert "SK AHU" in error.value.messages[0]
        assert prawoto.stages.get(stage__code=code).status == StageStatus.NOT_STARTED


def test_the_legal_steps_stay_ordered(village_staff, pati_officer, prawoto):
    seed_board(village_staff, prawoto)
    complete_stage(village_staff, pati_officer, prawoto, "sosialisasi")
    for code in ("rapat_pendirian", "akta_notaris", "sk_ahu"):
        with pytest.raises(ValidationError) as error:
            submit_stage(village_staff, prawoto, code)
        assert "Musdesus" in error.value.messages[0]


def _archive(actor, cooperative, code, completed_on):
    progress = cooperative.stages.get(stage__code=code)
    documents = [(doc.code, pdf_upload(f"{doc.code}.pdf")) for doc in progress.stage.required_documents.all()]
    return stage_record_from_archive(actor=actor, progress=progress, completed_on=completed_on,
                                     note="Arsip Dinas, map 2025/07", data=STAGE_DATA[code], documents=documents)


def test_archive_records_milestones_out_of_order_but_not_before_the_sk_ahu(village_staff, pati_officer, prawoto):
    seed_board(village_staff, prawoto)
    days = dict(zip(LEGAL_STEPS, (date(2025, 4, 10), date(2025, 5, 20), date(2025, 5, 28), date(2025, 6, 5),
                                  date(2025, 6, 20)), strict=True))
    for code in LEGAL_STEPS:
        _archive(pati_officer, prawoto, code, days[code])
    # The SIMKOPDES account opened in July, the NIB in September: recorded in any order.
    _archive(pati_officer, prawoto, "nib", date(2025, 9, 1))
    assert _archive(pati_officer, prawoto, "simkopdes", date(2025, 7, 1)).status == StageStatus.VERIFIED
    # Not before the SK AHU's date, though.
    with pytest.raises(ValidationError) as error:
        _archive(pati_officer, prawoto, "npwp", date(2025, 6, 1))
    assert "20 Jun 2025" in " ".join(error.value.message_dict["completed_on"])
    _archive(pati_officer, prawoto, "npwp", date(2025, 6, 25))
    _archive(pati_officer, prawoto, "rekening_bank", date(2025, 6, 30))
    # Operasional comes after every milestone: not before the NIB of September.
    with pytest.raises(ValidationError) as error:
        _archive(pati_officer, prawoto, "operasional", date(2025, 8, 1))
    assert "1 Sep 2025" in " ".join(error.value.message_dict["completed_on"])
    progress = _archive(pati_officer, prawoto, "operasional", date(2025, 9, 2))
    assert timezone.localdate(progress.completed_at) == date(2025, 9, 2)


def test_each_order_free_milestone_is_dated_by_its_document(village_staff, pati_officer, prawoto):
    """
    The NPWP registration, NIB issue, account opening and SIMKOPDES registration dates date their stages in the
    world (issue 16 §1): a bank account opened in July 2025 and verified today counts from July 2025.
    """
    _up_to_sk_ahu(village_staff, pati_officer, prawoto)
    fields = {stage.code: stage.required_fields for stage in FormationStage.objects.filter(any_order=True)}
    assert fields == {"npwp": ["npwp", "npwp_registered_on"], "nib": ["nib", "nib_issued_on"],
                      "rekening_bank": ["bank_name", "bank_account_number", "bank_account_name", "account_opened_on"],
                      "simkopdes": ["simkopdes_account", "simkopdes_registered_on"]}
    with pytest.raises(ValidationError) as error:  # the document's date is asked for like the others
        submit_stage(village_staff, prawoto, "rekening_bank", data={
            key: value for key, value in STAGE_DATA["rekening_bank"].items() if key != "account_opened_on"})
    assert "account_opened_on" in error.value.message_dict
    progress = complete_stage(village_staff, pati_officer, prawoto, "rekening_bank")
    local = timezone.localtime(progress.completed_at)
    assert local.date() == date(2025, 7, 15) and timezone.localdate(progress.reviewed_at) == timezone.localdate()
    simkopdes = complete_stage(village_staff, pati_officer, prawoto, "simkopdes")
    assert timezone.localdate(simkopdes.completed_at) == date(2025, 7, 22)


def test_a_new_kdkmps_document_dates_follow_its_earlier_stages(village_staff, pati_officer, prawoto):
    """An account cannot be opened for a legal entity before its SK AHU: the submission says which date is off."""
    _up_to_sk_ahu(village_staff, pati_officer, prawoto)  # SK AHU dated 20 Jun 2025
    early = {**STAGE_DATA["rekening_bank"], "account_opened_on": "2025-06-19"}
    with pytest.raises(ValidationError) as error:
        submit_stage(village_staff, prawoto, "rekening_bank", data=early)
    assert list(error.value.message_dict) == ["account_opened_on"]
    assert "20 Jun 2025" in error.value.message_dict["account_opened_on"][0]
    assert complete_stage(village_staff, pati_officer, prawoto, "rekening_bank",
                          data={**early, "account_opened_on": "2025-06-20"}).status == StageStatus.VERIFIED
