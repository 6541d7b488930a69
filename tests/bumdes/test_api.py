"""The BUMDes, federation, site and agreement endpoints: scoped, audited, 400 with field errors, never a 500."""

from datetime import date

import pytest
from django.utils import timezone

from bumdes import services
from bumdes.models import Bumdes
from core.roles import Role
from tests.bumdes.conftest import on_federation
from tests.conftest import BLITAR
from tests.conftest import PAKEM
from tests.conftest import PRAWOTO
from tests.conftest import api_as
from tests.conftest import make_user
from tests.conftest import pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


def _en(client):
    client.credentials(HTTP_ACCEPT_LANGUAGE="en")
    return client


def test_registering_a_joint_bumdes_over_the_api(pati_officer):
    api = _en(api_as(pati_officer))
    response = api.post("/api/bumdes/", {
        "kind": "bum_desa_bersama", "name": "BUM Desa Bersama Tani Makmur Pakem", "village": PRAWOTO,
        "founding_villages": [{"village": PRAWOTO, "capital": 50_000_000}, {"village": PAKEM, "capital": 1}],
    }, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert {row["village"]["code"]: row["capital"] for row in body["villages"]} == {PRAWOTO: 50_000_000, PAKEM: 1}
    refused = api.post("/api/bumdes/", {"kind": "bum_desa", "name": "BUM Desa Prawoto Shop", "village": PRAWOTO,
                                        "capital": 10**12}, format="json")
    assert refused.status_code == 400
    assert set(refused.json()) == {"capital"}  # the input serializer bounds the amount before the service runs
    refused = api.post("/api/bumdes/", {"kind": "bum_desa", "name": "BUM Desa Prawoto Shop", "village": PRAWOTO},
                       format="json")
    assert refused.status_code == 400 and "foreign words: shop" in " ".join(refused.json()["name"])
    history = api.get(f"/api/bumdes/{body['id']}/history/").json()
    assert history[-1]["who"].startswith(pati_officer.full_name)


def test_the_registry_is_scoped(bersama):
    blitar = api_as(make_user(Role.KABUPATEN_OFFICER, BLITAR))
    assert blitar.get("/api/bumdes/").json()["count"] == 0
    assert blitar.get(f"/api/bumdes/{bersama.pk}/").status_code == 404
    refused = blitar.post("/api/bumdes/", {"kind": "bum_desa", "name": "BUM Desa Maju Prawoto", "village": PRAWOTO},
                          format="json")
    assert refused.status_code == 403


def test_organs_classification_lines_and_certificate(pati_officer, bersama):
    api = _en(api_as(pati_officer))
    assert api.post(f"/api/bumdes/{bersama.pk}/officers/", {"organ": "penasihat", "name": "Kades Prawoto"},
                    format="json").status_code == 201
    assert api.post(f"/api/bumdes/{bersama.pk}/classifications/", {"year": 2024, "classification": "berkembang",
                                                                   "score": 71}, format="json").status_code == 200
    corrected = api.post(f"/api/bumdes/{bersama.pk}/classifications/", {"year": 2024, "classification": "maju"},
                         format="json")
    assert corrected.json() == {"year": 2024, "classification": "maju", "score": None}
    future = api.post(f"/api/bumdes/{bersama.pk}/classifications/",
                      {"year": timezone.localdate().year + 1, "classification": "maju"}, format="json")
    assert future.status_code == 400 and "year" in future.json()
    assert api.post(f"/api/bumdes/{bersama.pk}/business-lines/", {"name": "Klinik Pratama", "sector": "health"},
                    format="json").status_code == 201
    half = api.patch(f"/api/bumdes/{bersama.pk}/", {"registration_number": "", "registration_date": None},
                     format="json")
    assert half.status_code == 200 and half.json()["is_legal_entity"] is False
    missing_date = api.patch(f"/api/bumdes/{bersama.pk}/", {"registration_number": "X-1"}, format="json")
    assert missing_date.status_code == 400 and "registration_date" in missing_date.json()


def test_a_kelurahan_founds_no_bumdes(pati_officer):
    response = _en(api_as(pati_officer)).post("/api/bumdes/", {
        "kind": "bum_desa", "name": "BUM Desa Maju Pati Kidul", "village": "33.18.08.1001"}, format="json")
    assert response.status_code == 400 and "kelurahan" in " ".join(response.json()["village"])


def test_members_join_leave_and_list_by_day(pati_officer, federation, federation_director):
    api = _en(api_as(federation_director))
    # From the seat's kabupaten (the director then reads its cooperatives); further only through an officer there.
    refused = api.post(f"/api/federations/{federation.pk}/member-villages/", {
        "village": "35.05.01.2001", "joined_on": "2024-01-01"}, format="json")
    assert refused.status_code == 403
    joined = api.post(f"/api/federations/{federation.pk}/member-villages/", {
        "village": "33.18.01.2003", "joined_on": "2024-01-01", "capital": 60_000_000}, format="json")
    assert joined.status_code == 201
    overlap = api.post(f"/api/federations/{federation.pk}/member-villages/", {
        "village": PRAWOTO, "joined_on": "2024-01-01"}, format="json")
    assert overlap.status_code == 400 and "already a member" in " ".join(overlap.json()["joined_on"])
    pakem = federation.member_villages.get(village_id=PAKEM)
    ended = api.patch(f"/api/federation-member-villages/{pakem.pk}/", {"left_on": "2025-01-01"}, format="json")
    assert ended.status_code == 200
    on_2024 = api.get(f"/api/federation-member-villages/?federation={federation.pk}&on=2024-06-01").json()
    assert {row["village"]["code"] for row in on_2024["results"]} == {PRAWOTO, PAKEM, "33.18.01.2003"}
    today = api.get(f"/api/federation-member-villages/?federation={federation.pk}&on={timezone.localdate()}").json()
    assert {row["village"]["code"] for row in today["results"]} == {PRAWOTO, "33.18.01.2003"}
    assert api.get("/api/federation-member-villages/?on=kemarin").status_code == 400
    before = api.patch(f"/api/federation-member-villages/{pakem.pk}/", {"left_on": "2018-01-01"}, format="json")
    assert before.status_code == 400 and "left_on" in before.json()


def test_sites_move_along_their_statuses_and_clinics_need_a_licence(federation, federation_staff):
    api = _en(api_as(federation_staff))
    created = api.post("/api/federation-sites/", {"federation": federation.pk, "kind": "clinic",
                                                  "name": "Klinik Pratama Sehat Pakem", "village": PAKEM},
                       format="json")
    assert created.status_code == 201 and created.json()["status"] == "planned"
    site = created.json()["id"]
    skipped = api.patch(f"/api/federation-sites/{site}/", {"status": "operating", "opened_on": "2025-02-01"},
                        format="json")
    assert skipped.status_code == 400 and "can become" in " ".join(skipped.json()["status"])
    assert api.patch(f"/api/federation-sites/{site}/", {"status": "preparing"}, format="json").status_code == 200
    unlicensed = api.patch(f"/api/federation-sites/{site}/", {"status": "operating", "opened_on": "2025-02-01"},
                           format="json")
    assert unlicensed.status_code == 400 and set(unlicensed.json()) == {"licence_number", "licence_date"}
    opened = api.patch(f"/api/federation-sites/{site}/", {"status": "operating", "opened_on": "2025-02-01",
                                                          "licence_number": "503/12/2025",
                                                          "licence_date": "2025-01-20"}, format="json")
    assert opened.status_code == 200
    figure = api.post(f"/api/federation-sites/{site}/figures/", {"month": "2025-03", "revenue": 45_500_000,
                                                                  "patients": 900}, format="json")
    assert figure.status_code == 200 and figure.json()["month"] == "2025-03-01"
    early = api.post(f"/api/federation-sites/{site}/figures/", {"month": "2025-01", "revenue": 1}, format="json")
    assert early.status_code == 400 and "opened on" in " ".join(early.json()["month"])
    for month in ("\u0662\u0660\u0662\u0665-03", "\uff12\uff10\uff12\uff15-03"):  # Arabic-Indic, full-width digits
        assert api.post(f"/api/federation-sites/{site}/figures/", {"month": month, "revenue": 1},
                        format="json").status_code == 400
    bad = api.post(f"/api/federation-sites/{site}/figures/", {"month": "2025-13", "revenue": -5}, format="json")
    assert bad.status_code == 400 and set(bad.json()) == {"month", "revenue"}
    assert [row["revenue"] for row in api.get(f"/api/federation-sites/{site}/figures/").json()] == [45_500_000]
    moves = api.get(f"/api/federation-sites/{site}/history/").json()
    assert any(change["field"] == "status" for entry in moves for change in entry["changes"])


def test_staff_cannot_run_the_federation_or_another_ones_sites(pati_officer, federation, federation_staff):
    api = api_as(federation_staff)
    assert api.patch(f"/api/federations/{federation.pk}/", {"description": "x"}, format="json").status_code == 403
    other = services.federation_register(actor=pati_officer, kind="secondary_cooperative",
                                         name="Koperasi Sekunder Pati", seat_code=PRAWOTO)
    site = services.site_create(actor=pati_officer, federation=other, kind="warehouse", name="Gudang",
                                village_code=PRAWOTO)
    assert api.get(f"/api/federation-sites/{site.pk}/").status_code == 404
    refused = api.post("/api/federation-sites/", {"federation": other.pk, "kind": "shop", "name": "Toko",
                                                  "village": PRAWOTO}, format="json")
    assert refused.status_code == 400 and "federation" in refused.json()
    director = api_as(on_federation(Role.FEDERATION_DIRECTOR, federation))
    assert director.patch(f"/api/federations/{federation.pk}/", {"description": "Klinik desa"},
                          format="json").status_code == 200


def test_agreements_need_both_sides_to_be_legal_entities(pati_officer, kabupaten_officer_2, federation, village_staff):
    from tests.conftest import complete_stage
    from tests.conftest import register
    from tests.conftest import seed_board

    cooperative = register(village_staff)
    api = _en(api_as(pati_officer))
    body = {"cooperative": cooperative.pk, "federation": federation.pk, "kind": "asset_use",
            "title": "Pemanfaatan gudang BUMDes", "starts_on": "2025-10-01", "value": 12_000_000}
    draft = api.post("/api/cooperation-agreements/", body, format="json")
    assert draft.status_code == 201 and draft.json()["status"] == "draft"
    refused = api.post(f"/api/cooperation-agreements/{draft.json()['id']}/activate/")
    assert refused.status_code == 400
    assert refused.json() == {"cooperative": [f"{cooperative.name} is not a legal entity yet: its SK AHU is not "
                                              "recorded."]}
    seed_board(village_staff, cooperative)
    for code in ("sosialisasi", "musdesus", "rapat_pendirian", "akta_notaris", "sk_ahu"):
        complete_stage(village_staff, kabupaten_officer_2, cooperative, code)
    bumdes = Bumdes.objects.get()
    services.bumdes_update(actor=pati_officer, bumdes=bumdes, registration_number="", registration_date=None)
    refused = api.post(f"/api/cooperation-agreements/{draft.json()['id']}/activate/")
    assert set(refused.json()) == {"federation"} and "registration certificate" in refused.json()["federation"][0]
    services.bumdes_update(actor=pati_officer, bumdes=bumdes, registration_number="AHU-1.AH.02.01.TAHUN 2021",
                           registration_date=date(2021, 6, 1))
    active = api.post(f"/api/cooperation-agreements/{draft.json()['id']}/activate/")
    assert active.status_code == 200 and active.json()["status"] == "active"
    with_terms = api.post("/api/cooperation-agreements/", {**body, "terms_document": pdf_upload("perjanjian.pdf"),
                                                           "activate": "true"}, format="multipart")
    assert with_terms.status_code == 201 and with_terms.json()["has_terms_document"]
    download = api.get(f"/api/cooperation-agreements/{with_terms.json()['id']}/terms-document/")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    ended = api.post(f"/api/cooperation-agreements/{draft.json()['id']}/status/", {"status": "ended"}, format="json")
    assert ended.json()["status"] == "ended"


def test_dinas_officers_see_all_agreements_in_their_area_others_none(pati_officer, federation, prawoto):
    services.agreement_create(actor=pati_officer, cooperative=prawoto, federation=federation, kind="supply",
                              title="Pasokan beras", starts_on=date(2025, 9, 1))
    assert api_as(pati_officer).get("/api/cooperation-agreements/").json()["count"] == 1
    assert api_as(make_user(Role.KABUPATEN_OFFICER, BLITAR)).get("/api/cooperation-agreements/").json()["count"] == 0
    # The federation's director sees it through the federation, its staff too.
    assert api_as(on_federation(Role.FEDERATION_STAFF, federation)).get(
        "/api/cooperation-agreements/").json()["count"] == 1


def test_expired_agreements_end_by_the_daily_job(pati_officer, federation, prawoto):
    from bumdes.tasks import end_expired_agreements

    agreement = services.agreement_create(actor=pati_officer, cooperative=prawoto, federation=federation,
                                          kind="supply", title="Pasokan", starts_on=date(2025, 1, 2),
                                          ends_on=date(2025, 2, 1))
    agreement.status = "active"
    agreement.save()
    assert end_expired_agreements.delay().get() == 1
    agreement.refresh_from_db()
    assert agreement.status == "ended"
    assert end_expired_agreements.delay().get() == 0


def test_both_sides_are_told_of_an_agreement_but_not_who_recorded_it(pati_officer, village_staff, federation,
                                                                     federation_director, prawoto):
    from notifications.models import Notification

    services.agreement_create(actor=village_staff, cooperative=prawoto, federation=federation, kind="supply",
                              title="Pasokan beras", starts_on=date(2025, 9, 1))
    told = Notification.objects.filter(kind="agreement_proposed")
    assert set(told.values_list("user_id", flat=True)) == {federation_director.pk}
    with translation_en():
        assert "Pasokan beras" in told.get().body and prawoto.name in told.get().body
    assert not Notification.objects.filter(user=village_staff).exists()


def translation_en():
    from django.utils import translation

    return translation.override("en")
