"""The stage-gated formation workflow: order, documents, fields, verification, rejection, not applicable."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError

from core.audit import audit_trail
from koperasi.models import StageStatus
from koperasi.services import stage_mark_not_applicable
from koperasi.services import stage_reject
from koperasi.services import stage_submit
from koperasi.services import stage_verify
from tests.conftest import STAGE_DATA
from tests.conftest import complete_stage
from tests.conftest import pdf_upload
from tests.conftest import register
from tests.conftest import seed_board
from tests.conftest import submit_stage

pytestmark = pytest.mark.django_db


@pytest.fixture
def cooperative(village_staff):
    return register(village_staff)


def _status(cooperative, code):
    return cooperative.stages.get(stage__code=code)


def test_skipping_a_stage_is_refused_and_changes_nothing(village_staff, cooperative):
    with pytest.raises(ValidationError) as error:
        submit_stage(village_staff, cooperative, "musdesus")
    assert "Sosialisasi" in error.value.messages[0] and "Musdesus" in error.value.messages[0]
    progress = _status(cooperative, "musdesus")
    assert progress.status == StageStatus.NOT_STARTED and progress.round == 0
    assert not progress.documents.exists()


def test_submission_needs_every_required_document_and_field(village_staff, cooperative):
    complete_stage(village_staff, _officer(), cooperative, "sosialisasi")
    progress = _status(cooperative, "musdesus")
    with pytest.raises(ValidationError) as error:
        stage_submit(actor=village_staff, progress=progress, data={"held_on": "2030-01-01", "participants": "0"},
                     documents=[("berita_acara_musdesus", pdf_upload())])
    errors = error.value.message_dict
    assert "held_on" in errors and "participants" in errors
    with pytest.raises(ValidationError) as error:
        stage_submit(actor=village_staff, progress=progress, data=STAGE_DATA["musdesus"],
                     documents=[("berita_acara_musdesus", pdf_upload())])
    assert "Daftar hadir" in error.value.message_dict["documents"][0]
    progress.refresh_from_db()
    assert progress.status == StageStatus.NOT_STARTED and not progress.documents.exists()


def _officer():
    from core.roles import Role
    from tests.conftest import PATI
    from tests.conftest import make_user

    return make_user(Role.KABUPATEN_OFFICER, PATI)


def test_officer_verifies_and_the_cooperative_moves_on(village_staff, pati_officer, cooperative):
    submitted = submit_stage(village_staff, cooperative, "sosialisasi")
    assert submitted.status == StageStatus.SUBMITTED and submitted.round == 1
    assert submitted.submitted_by == village_staff and submitted.data == {"held_on": "2025-04-10"}

    verified = stage_verify(actor=pati_officer, progress=submitted)

    assert verified.status == StageStatus.VERIFIED and verified.reviewed_by == pati_officer
    cooperative.refresh_from_db()
    assert cooperative.stage_reached.code == "sosialisasi"
    assert cooperative.stage_reached_at == verified.completed_at


def test_rejection_needs_a_reason_which_the_village_sees_and_resubmission_starts_round_two(
        village_staff, pati_officer, cooperative):
    submitted = submit_stage(village_staff, cooperative, "sosialisasi")
    with pytest.raises(ValidationError):
        stage_reject(actor=pati_officer, progress=submitted, reason="")
    rejected = stage_reject(actor=pati_officer, progress=submitted, reason="Foto sosialisasi tidak terbaca.")
    assert rejected.status == StageStatus.REJECTED
    assert rejected.rejection_reason == "Foto sosialisasi tidak terbaca."

    again = submit_stage(village_staff, cooperative, "sosialisasi")
    assert again.status == StageStatus.SUBMITTED and again.round == 2 and again.rejection_reason == ""
    assert again.documents.filter(round=2).count() == 1

    trail = audit_trail(again.history.all())
    statuses = [next(c.new for c in entry.changes if c.field == "status") for entry in reversed(trail)
                if any(c.field == "status" for c in entry.changes)]
    # (the stage's creation, empty with its cooperative, is not an event of the history)
    assert statuses == ["Diajukan, menunggu verifikasi", "Ditolak — perlu perbaikan", "Diajukan, menunggu verifikasi"]
    assert {entry.who for entry in trail} == {f"{village_staff} (Staf desa/kelurahan, Prawoto)",
                                              f"{pati_officer} (Petugas kabupaten/kota, Kabupaten Pati)"}


@pytest.mark.parametrize("transition", ["verify", "reject"])
def test_only_verifiers_in_scope_review(village_staff, sukolilo_officer, cooperative, transition):
    submitted = submit_stage(village_staff, cooperative, "sosialisasi")
    from core.roles import Role
    from tests.conftest import make_user

    blitar_officer = make_user(Role.KABUPATEN_OFFICER, "35.05")
    for actor in (village_staff, sukolilo_officer, blitar_officer):  # staff, area coordinator, another kabupaten
        with pytest.raises(PermissionDenied):
            if transition == "verify":
                stage_verify(actor=actor, progress=submitted)
            else:
                stage_reject(actor=actor, progress=submitted, reason="Tidak lengkap sama sekali")
    submitted.refresh_from_db()
    assert submitted.status == StageStatus.SUBMITTED


def test_an_officer_cannot_verify_their_own_submission(pati_officer, cooperative):
    submitted = submit_stage(pati_officer, cooperative, "sosialisasi")
    with pytest.raises(PermissionDenied):
        stage_verify(actor=pati_officer, progress=submitted)


def test_verified_and_submitted_stages_cannot_be_submitted_again(village_staff, pati_officer, cooperative):
    submitted = submit_stage(village_staff, cooperative, "sosialisasi")
    with pytest.raises(ValidationError):
        submit_stage(village_staff, cooperative, "sosialisasi")
    stage_verify(actor=pati_officer, progress=submitted)
    with pytest.raises(ValidationError):
        submit_stage(village_staff, cooperative, "sosialisasi")
    with pytest.raises(ValidationError):
        stage_reject(actor=pati_officer, progress=submitted, reason="terlambat ditolak")


def test_not_applicable_only_for_existing_cooperatives_with_a_reason(pati_officer, kabupaten_officer_2):
    new = register(pati_officer)
    for code in ("sosialisasi", "musdesus"):
        complete_stage(pati_officer, kabupaten_officer_2, new, code)
    seed_board(pati_officer, new)
    with pytest.raises(ValidationError) as error:
        stage_mark_not_applicable(actor=pati_officer, progress=_status(new, "rapat_pendirian"),
                                  reason="Koperasi lama sudah punya akta")
    assert "baru" in error.value.messages[0].lower() or "new" in error.value.messages[0].lower()

    existing = register(pati_officer, "33.18.01.2003", formation_model="pengembangan")
    for code in ("sosialisasi", "musdesus"):
        complete_stage(pati_officer, kabupaten_officer_2, existing, code)
    with pytest.raises(ValidationError) as error:  # later stage first: order still holds
        stage_mark_not_applicable(actor=pati_officer, progress=_status(existing, "akta_notaris"),
                                  reason="Sudah berbadan hukum sejak 2019")
    with pytest.raises(ValidationError) as error:
        stage_mark_not_applicable(actor=pati_officer, progress=_status(existing, "rapat_pendirian"), reason="")
    assert "reason" in error.value.message_dict

    for code in ("rapat_pendirian", "akta_notaris", "sk_ahu"):
        marked = stage_mark_not_applicable(actor=pati_officer, progress=_status(existing, code),
                                           reason="Koperasi Unit Desa lama, sudah berbadan hukum sejak 2019")
        assert marked.status == StageStatus.NOT_APPLICABLE and marked.completed_at
    existing.refresh_from_db()
    assert existing.stage_reached.code == "sk_ahu"


def test_founding_meeting_cannot_be_submitted_before_the_board_meets_the_rules(
        village_staff, pati_officer, cooperative):
    for code in ("sosialisasi", "musdesus"):
        complete_stage(village_staff, pati_officer, cooperative, code)
    with pytest.raises(ValidationError) as error:
        submit_stage(village_staff, cooperative, "rapat_pendirian")
    messages = error.value.message_dict["governance"]
    assert any("9" in message for message in messages)
    seed_board(village_staff, cooperative)
    assert submit_stage(village_staff, cooperative, "rapat_pendirian").status == StageStatus.SUBMITTED


def test_verification_copies_identifiers_to_the_cooperative_and_completes_formation(
        village_staff, pati_officer, cooperative):
    seed_board(village_staff, cooperative)
    for code in STAGE_DATA:
        complete_stage(village_staff, pati_officer, cooperative, code)
    cooperative.refresh_from_db()
    assert cooperative.sk_ahu_number == "AHU-0036770.AH.01.29.TAHUN 2025"
    assert str(cooperative.sk_ahu_date) == "2025-06-20"
    assert cooperative.npwp == "0012345678901000" and cooperative.nib == "9120301234567"
    assert cooperative.bank_account_number == "1234567890"
    assert cooperative.formation_completed and cooperative.stage_reached.code == "operasional"


def test_an_identifier_already_used_by_another_cooperative_is_refused_at_submission(
        village_staff, pati_officer, cooperative):
    other = register(pati_officer, "33.18.01.2003", formation_model="pengembangan")
    from koperasi.services import cooperative_update

    cooperative_update(actor=pati_officer, cooperative=other, npwp="0012345678901000")
    seed_board(village_staff, cooperative)
    for code in ("sosialisasi", "musdesus", "rapat_pendirian", "akta_notaris", "sk_ahu"):
        complete_stage(village_staff, pati_officer, cooperative, code)
    with pytest.raises(ValidationError) as error:
        submit_stage(village_staff, cooperative, "npwp")
    assert other.name in error.value.message_dict["npwp"][0]
