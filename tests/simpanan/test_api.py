"""The savings API: scoped, append-only (no PUT/PATCH/DELETE), 4xx with field errors, NIK masked unless allowed."""

import uuid
from datetime import date

import pytest

from core.roles import Role
from members.models import PersonalDataRead
from simpanan import services
from simpanan.models import Bill
from simpanan.models import Posting
from tests.conftest import BLITAR
from tests.conftest import PAKEM
from tests.conftest import api_as
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_the_bendahara_posts_and_reverses_over_the_api(village_staff, coop, members):
    services.wajib_bills_generate(today=date(2025, 6, 1))
    bill = Bill.objects.get(member=members[0])
    api = api_as(village_staff)
    paid = api.post("/api/savings-postings/", {"type": "payment", "bill": bill.pk, "amount": 10_000,
                                               "transaction_date": "2025-06-05"}, format="json")
    assert paid.status_code == 201, paid.json()
    assert paid.json()["receipt_number"] == "KW/2025/000001" and paid.json()["kind"] == "wajib"
    reversed_ = api.post(f"/api/savings-postings/{paid.json()['id']}/reverse/",
                         {"reason": "salah anggota", "transaction_date": "2025-06-06"}, format="json")
    assert reversed_.status_code == 201 and reversed_.json()["amount"] == -10_000
    again = api.post(f"/api/savings-postings/{paid.json()['id']}/reverse/", {"reason": "sekali lagi"}, format="json")
    assert again.status_code == 400 and "posting" in again.json()
    assert api.get(f"/api/savings-bills/{bill.pk}/").json()["outstanding"] == 10_000
    for method in ("put", "patch", "delete"):
        assert getattr(api, method)(f"/api/savings-postings/{paid.json()['id']}/", {}, format="json").status_code \
            == 405


@pytest.mark.parametrize(("body", "field"), [
    ({"type": "deposit", "amount": 1000, "transaction_date": "2025-06-01"}, "member"),
    ({"type": "deposit", "member": "MEMBER", "amount": 0, "transaction_date": "2025-06-01"}, "amount"),
    ({"type": "deposit", "member": "MEMBER", "amount": "sepuluh", "transaction_date": "2025-06-01"}, "amount"),
    ({"type": "deposit", "member": "MEMBER", "amount": 10**16, "transaction_date": "2025-06-01"}, "amount"),
    ({"type": "deposit", "member": "MEMBER", "amount": 1000, "transaction_date": "2999-01-01"}, "transaction_date"),
    ({"type": "withdrawal", "member": "MEMBER", "amount": 1000, "transaction_date": "2025-06-01"}, "amount"),
    ({"type": "opening", "member": "MEMBER", "amount": 1000, "transaction_date": "2025-06-01"}, "kind"),
    ({"type": "transfer", "member": "MEMBER", "amount": 1000, "transaction_date": "2025-06-01"}, "type"),
    ({"type": "deposit", "member": 999_999_999, "amount": 1000, "transaction_date": "2025-06-01"}, "member"),
    # DRF alone had read the text "50.000" as Rp 50 (it drops a point followed by zeros).
    ({"type": "deposit", "member": "MEMBER", "amount": "50.000", "transaction_date": "2025-06-01"}, "amount"),
    ({"type": "deposit", "member": "MEMBER", "amount": "50,000", "transaction_date": "2025-06-01"}, "amount"),
    ({"type": "deposit", "member": "MEMBER", "amount": "50000.0", "transaction_date": "2025-06-01"}, "amount"),
])
def test_bad_postings_are_400_with_the_field_named(village_staff, members, body, field):
    body = {key: members[0].pk if value == "MEMBER" else value for key, value in body.items()}
    response = api_as(village_staff).post("/api/savings-postings/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Posting.objects.exists()


def test_readers_cannot_post_and_others_do_not_see(village_staff, coop, members, pati_officer, director):
    services.sukarela_deposit(actor=village_staff, member=members[0], amount=5_000, transaction_date=date(2025, 6, 1))
    body = {"type": "deposit", "member": members[0].pk, "amount": 1000, "transaction_date": "2025-06-01"}
    assert api_as(pati_officer).post("/api/savings-postings/", body, format="json").status_code == 403
    assert api_as(director).post("/api/savings-postings/", body, format="json").status_code == 403
    outsider = make_user(Role.VILLAGE_STAFF, PAKEM)
    assert api_as(outsider).post("/api/savings-postings/", body, format="json").status_code == 400  # no such member
    blitar = make_user(Role.KABUPATEN_OFFICER, BLITAR)
    for user, count in ((pati_officer, 1), (director, 1), (outsider, 0), (blitar, 0)):
        assert api_as(user).get("/api/savings-postings/").json()["count"] == count
        assert api_as(user).get("/api/savings-balances/").json()["count"] == count


def test_the_nik_in_balances_is_masked_unless_the_role_may_see_it(village_staff, coop, members, pati_officer,
                                                                  director):
    services.sukarela_deposit(actor=village_staff, member=members[0], amount=5_000, transaction_date=date(2025, 6, 1))
    url = f"/api/savings-balances/{members[0].pk}/"
    assert api_as(director).get(url).json()["nik"] == members[0].masked_nik
    assert not PersonalDataRead.objects.exists()
    shown = api_as(pati_officer).get(url).json()
    assert shown["nik"] == members[0].nik and shown["sukarela"] == 5_000
    assert PersonalDataRead.objects.filter(user=pati_officer, member=members[0], channel="api").count() == 1


def test_shu_over_the_api(village_staff, coop, members):
    services.opening_balance_post(member=members[0], kind="pokok", amount=100_000, as_of=date(2025, 1, 1),
                                  actor=village_staff)
    api = api_as(village_staff)
    created = api.post("/api/shu-distributions/", {
        "cooperative": coop.pk, "year": 2025, "surplus": 1_000_001, "jasa_modal_bp": 3000, "jasa_usaha_bp": 2000,
        "other_allocations": {"cadangan": 5000}}, format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert sum(created.json()["allocation_amounts"].values()) == 1_000_001
    updated = api.post(f"/api/shu-distributions/{pk}/transactions/",
                       {"transactions": [{"member": members[1].pk, "amount": 250_000}]}, format="json")
    assert updated.status_code == 200
    assert api.post(f"/api/shu-distributions/{pk}/post/", {}, format="json").status_code == 400  # not reviewed
    assert api.post(f"/api/shu-distributions/{pk}/review/").status_code == 200
    posted = api.post(f"/api/shu-distributions/{pk}/post/", {}, format="json")
    assert posted.status_code == 200 and posted.json()["status"] == "posted"
    assert api.post(f"/api/shu-distributions/{pk}/post/", {}, format="json").status_code == 400
    lines = api.get("/api/shu-lines/", {"distribution": pk}).json()["results"]
    assert {line["member"]: line["total"] for line in lines} == {members[0].pk: 300_000, members[1].pk: 200_000}
    bad = api.post("/api/shu-distributions/", {"cooperative": coop.pk, "year": 2025, "surplus": 10,
                                               "jasa_modal_bp": 3000, "jasa_usaha_bp": 3000}, format="json")
    assert bad.status_code == 400 and "other_allocations" in bad.json()  # 60 % is not 100 %


def test_detail_routes_advertise_only_what_they_answer(village_staff, coop, members):
    api = api_as(village_staff)
    distribution = services.shu_distribution_create(actor=village_staff, cooperative=coop, year=2025,
                                                    surplus=1_000, jasa_modal_bp=5000, jasa_usaha_bp=5000)
    for url in (f"/api/shu-distributions/{distribution.pk}/", "/api/savings-postings/1/"):
        allowed = api.options(url)["Allow"] if api.options(url).status_code != 404 else "GET"
        assert "POST" not in allowed and "PUT" not in allowed and "DELETE" not in allowed


def test_a_collection_sheet_over_the_api_is_all_or_nothing(village_staff, coop, members):
    services.wajib_bills_generate(today=date(2025, 6, 1))
    first, second = (Bill.objects.get(member=member) for member in members[:2])
    api = api_as(village_staff)
    sheet = {"cooperative": coop.pk, "transaction_date": "2025-06-05", "reference": "Keliling RT 01",
             "payments": [{"bill": first.pk, "amount": 10_000}, {"bill": second.pk, "amount": 10_001}]}
    refused = api.post("/api/savings-postings/sheet/", sheet, format="json")
    assert refused.status_code == 400
    assert refused.json()["payments"] == ["Baris 2: Sisa tagihan Rp 10.000; isi paling banyak sejumlah itu."]
    assert not Posting.objects.exists()
    sheet["payments"][1]["amount"] = 10_000
    posted = api.post("/api/savings-postings/sheet/", sheet, format="json")
    assert posted.status_code == 201, posted.json()
    assert [(row["bill"], row["receipt_number"]) for row in posted.json()] == [
        (first.pk, "KW/2025/000001"), (second.pk, "KW/2025/000002")]
    empty = api.post("/api/savings-postings/sheet/", {**sheet, "payments": []}, format="json")
    assert empty.status_code == 400 and "payments" in empty.json()


def test_an_amount_sent_as_text_of_digits_or_as_a_number_is_the_same_amount(village_staff, members):
    api = api_as(village_staff)
    for amount in ("50000", 50_000):
        response = api.post("/api/savings-postings/", {"type": "deposit", "member": members[0].pk, "amount": amount,
                                                       "transaction_date": "2025-06-01"}, format="json")
        assert response.status_code == 201 and response.json()["amount"] == 50_000, response.json()
    refused = api.post("/api/savings-postings/", {"type": "deposit", "member": members[0].pk, "amount": "50.000",
                                                  "transaction_date": "2025-06-01"}, format="json")
    assert "50000" in refused.json()["amount"][0]
    # The JSON number 50.000 (a float, 50.0) too: DRF alone had read it as Rp 50.
    raw = f'{{"type": "deposit", "member": {members[0].pk}, "amount": 50.000, "transaction_date": "2025-06-01"}}'
    refused = api.post("/api/savings-postings/", raw, content_type="application/json")
    assert refused.status_code == 400 and "amount" in refused.json()
    assert Posting.objects.filter(member=members[0]).count() == 2


def test_a_request_sent_again_with_its_idempotency_key_posts_once(village_staff, coop, members):
    api = api_as(village_staff)
    key = str(uuid.uuid4())
    body = {"type": "deposit", "member": members[0].pk, "amount": 25_000, "transaction_date": "2025-06-01"}
    first = api.post("/api/savings-postings/", body, format="json", headers={"Idempotency-Key": key})
    again = api.post("/api/savings-postings/", body, format="json", headers={"Idempotency-Key": key})
    assert (first.status_code, again.status_code) == (201, 200) and first.json()["id"] == again.json()["id"]
    assert api.post("/api/savings-postings/", body, format="json").status_code == 201  # no key: a new deposit
    assert Posting.objects.filter(member=members[0]).count() == 2
    refused = api.post("/api/savings-postings/", body, format="json", headers={"Idempotency-Key": "sekali"})
    assert refused.status_code == 400 and "Idempotency-Key" in refused.json()
    services.wajib_bills_generate(today=date(2025, 6, 1))
    sheet = {"cooperative": coop.pk, "transaction_date": "2025-06-05",
             "payments": [{"bill": bill.pk, "amount": 10_000} for bill in Bill.objects.order_by("pk")[:3]]}
    key = str(uuid.uuid4())
    first = api.post("/api/savings-postings/sheet/", sheet, format="json", headers={"Idempotency-Key": key})
    again = api.post("/api/savings-postings/sheet/", sheet, format="json", headers={"Idempotency-Key": key})
    assert (first.status_code, again.status_code) == (201, 200)
    assert [row["receipt_number"] for row in first.json()] == [row["receipt_number"] for row in again.json()]
    assert Posting.objects.filter(entry_type="payment").count() == 3
