"""Partners, meetings and the deal pipeline: allowed stage moves, integer rupiah, scoped."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.utils import timezone

from kegiatan import services
from kegiatan.models import Deal
from kegiatan.models import DealKind
from kegiatan.models import DealStage
from kegiatan.models import EventKind
from kegiatan.models import Partner
from kegiatan.models import PartnerKind
from kegiatan.selectors import pipeline_summary
from tests.conftest import PATI

from .helpers import past_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def partner(national_admin):
    return services.partner_create(actor=national_admin, name="PT Pupuk Indonesia", kind=PartnerKind.BUMN,
                                   area_codes=["33"])


def test_a_meeting_opens_a_deal_that_moves_only_along_the_pipeline(pati_officer, prawoto, partner):
    event = past_event(pati_officer, kind=EventKind.BUSINESS_MATCHING, region=PATI, title="Temu bisnis Pati")
    meeting = services.meeting_record(actor=pati_officer, cooperative=prawoto, partner=partner, event=event,
                                      kind=DealKind.PROCUREMENT, value=250_000_000, next_step="Kirim penawaran",
                                      next_step_on=timezone.localdate() + timedelta(days=7))
    deal = meeting.deal
    assert deal.stage == DealStage.LEAD and deal.value == 250_000_000
    with pytest.raises(ValidationError) as error:
        services.deal_move(actor=pati_officer, deal=deal, stage=DealStage.RUNNING)
    assert "stage" in error.value.message_dict
    for stage in (DealStage.TALKS, DealStage.AGREED, DealStage.RUNNING, DealStage.CLOSED):
        deal = services.deal_move(actor=pati_officer, deal=deal, stage=stage)
    with pytest.raises(ValidationError):
        services.deal_move(actor=pati_officer, deal=deal, stage=DealStage.LOST)  # closed is final
    assert deal.history.count() == 5


def test_deal_values_are_bounded_whole_rupiah(pati_officer, prawoto, partner):
    with pytest.raises(ValidationError) as error:
        services.meeting_record(actor=pati_officer, cooperative=prawoto, partner=partner, kind=DealKind.FINANCING,
                                value=10**16)
    assert "value" in error.value.message_dict
    assert not Deal.objects.exists()


def test_pipeline_totals_by_stage_and_kind(pati_officer, prawoto, partner):
    values = [(DealKind.PROCUREMENT, 100), (DealKind.FINANCING, 2_000_000_000), (DealKind.MENTORING, 0)]
    deals = [services.meeting_record(actor=pati_officer, cooperative=prawoto, partner=partner, kind=kind,
                                     value=value).deal for kind, value in values]
    services.deal_move(actor=pati_officer, deal=deals[2], stage=DealStage.LOST)
    summary = pipeline_summary(Deal.objects.for_user(pati_officer))
    assert summary.open_count == 2 and summary.open_value == 2_000_000_100
    assert {s: n for s, _l, n, _v in summary.by_stage} == {"lead": 2, "talks": 0, "agreed": 0, "running": 0,
                                                                   "closed": 0, "lost": 1}
    assert {k: v for k, _l, _n, v in summary.by_kind}["financing"] == 2_000_000_000


def test_the_national_directory_is_read_by_every_officer_and_kept_by_administrators(pati_officer, village_staff,
                                                                                   partner):
    assert list(Partner.objects.for_user(pati_officer)) == [partner]
    assert list(Partner.objects.for_user(village_staff)) == [partner]
    assert not Partner.objects.for_user(pati_officer, "manage_partners").exists()
    with pytest.raises(PermissionDenied):
        services.partner_create(actor=pati_officer, name="Bank Nasional", kind=PartnerKind.HIMBARA)
    local = services.partner_create(actor=pati_officer, name="PD BPR Bank Pati", kind=PartnerKind.BUMD,
                                    region_code=PATI)
    assert local in Partner.objects.for_user(pati_officer)


def test_an_officer_records_no_deal_outside_their_area(pati_officer, jaten, partner):
    with pytest.raises(PermissionDenied):
        services.meeting_record(actor=pati_officer, cooperative=jaten, partner=partner, kind=DealKind.PROJECT)


def test_a_finished_deal_offers_no_update_form(client, pati_officer, prawoto, partner):
    from tests.conftest import client_login

    deal = services.meeting_record(actor=pati_officer, cooperative=prawoto, partner=partner,
                                   kind=DealKind.PROCUREMENT, value=1_000_000).deal
    client_login(client, pati_officer)
    assert 'name="stage"' in client.get(f"/kegiatan/kesepakatan/{deal.pk}/").content.decode()
    services.deal_move(actor=pati_officer, deal=deal, stage=DealStage.LOST)
    page = client.get(f"/kegiatan/kesepakatan/{deal.pk}/").content.decode()
    assert 'name="stage"' not in page and "tidak bergerak lagi" in page
    with pytest.raises(ValidationError):  # nor through the service (the API, a form posted anyway)
        services.deal_move(actor=pati_officer, deal=deal, value=9_000_000)
    deal.refresh_from_db()
    assert deal.value == 1_000_000
