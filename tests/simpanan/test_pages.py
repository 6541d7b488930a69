"""The bendahara's pages: post with a receipt, see balances, arrears and SHU; each persona sees only their area."""

import re
import uuid
from datetime import date

import pytest
from django.utils import translation

from core.roles import Role
from simpanan import services
from simpanan.models import Bill
from simpanan.models import MemberSavings
from simpanan.models import Posting
from tests.conftest import JATEN
from tests.conftest import PAKEM
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

EN = {"django_language": "en"}


def _english(client):
    client.cookies["django_language"] = "en"
    return client


def test_the_bendahara_posts_a_payment_a_deposit_and_a_reversal_with_receipts(client, village_staff, coop, members):
    services.wajib_bills_generate(today=date(2025, 6, 1))
    bill = Bill.objects.get(member=members[0])
    client.force_login(village_staff)
    _english(client)
    url = f"/koperasi/{coop.pk}/simpanan/anggota/{members[0].pk}/"
    response = client.post(url, {"operation": "pay", "bill": bill.pk, "amount": "Rp 10.000",
                                 "transaction_date": "2025-06-10", "reference": ""})
    payment = Posting.objects.get(bill=bill)
    assert response.status_code == 302 and response["Location"].endswith(f"/kwitansi/{payment.pk}/")
    receipt = client.get(response["Location"]).content.decode()
    assert "KW/2025/000001" in receipt and "Rp\xa010,000" in receipt  # kept on one line
    client.post(url, {"operation": "sukarela", "direction": "deposit", "amount": "25.000",
                      "transaction_date": "2025-06-11"})
    refused = client.post(url, {"operation": "sukarela", "direction": "withdrawal", "amount": "30.000",
                                "transaction_date": "2025-06-11"})
    assert refused.status_code == 200 and "cannot be more" in refused.content.decode()
    client.post(url, {"operation": "reverse", "posting": payment.pk, "reason": "salah anggota"})
    assert MemberSavings.objects.get(pk=members[0].pk).wajib == 0
    page = client.get(url).content.decode()
    reversal = Posting.objects.get(reverses=payment)  # dated today: numbered in today's year
    assert reversal.receipt_number in page and "reversed" in page


def test_an_amount_with_sen_is_refused_and_zero_sen_are_read_as_whole_rupiah(client, village_staff, coop, members):
    """“1.000.000,50” had been read as Rp 100.000.050 (both separators dropped); ”10.000,00” as Rp 1.000.000."""
    client.force_login(village_staff)
    url = f"/koperasi/{coop.pk}/simpanan/anggota/{members[0].pk}/"
    for typed in ("1.000.000,50", "2500,50", "1,5"):
        refused = client.post(url, {"operation": "sukarela", "direction": "deposit", "amount": typed,
                                    "transaction_date": "2025-06-11"})
        assert refused.status_code == 200 and "rupiah utuh" in refused.content.decode()
        assert f'value="{typed}"' in refused.content.decode()  # what was typed is kept
    assert not Posting.objects.filter(member=members[0]).exists()
    client.post(url, {"operation": "sukarela", "direction": "deposit", "amount": "10.000,00",
                      "transaction_date": "2025-06-11"})
    client.post(url, {"operation": "sukarela", "direction": "deposit", "amount": "Rp 5.000,-",
                      "transaction_date": "2025-06-11"})
    assert MemberSavings.objects.get(pk=members[0].pk).sukarela == 15_000


def test_the_bendahara_sets_the_ad_art_amounts(client, village_staff, coop):
    client.force_login(village_staff)
    response = client.post(f"/koperasi/{coop.pk}/simpanan/", {
        "effective_from": "2026-01-01", "pokok_amount": "150.000", "wajib_amount": "20.000",
        "wajib_period": "monthly"})
    assert response.status_code == 302
    assert coop.savings_settings.count() == 2
    bad = client.post(f"/koperasi/{coop.pk}/simpanan/", {
        "effective_from": "2026-01-01", "pokok_amount": "abc", "wajib_amount": "20.000", "wajib_period": "weekly"})
    assert bad.status_code == 200 and coop.savings_settings.count() == 2


def test_arrears_statement_and_shu_pages_open(client, village_staff, coop, members):
    services.wajib_bills_generate(today=date(2025, 5, 1))
    services.wajib_bills_generate(today=date(2025, 6, 1))
    services.opening_balance_post(member=members[1], kind="wajib", amount=50_000, as_of=date(2024, 12, 31),
                                  actor=village_staff)
    client.force_login(village_staff)
    _english(client)
    arrears = client.get(f"/koperasi/{coop.pk}/simpanan/tunggakan/").content.decode()
    assert "Anggota 1" in arrears and "5 members owe Rp\xa0100,000" in arrears
    assert "<td>May 2025</td>" in arrears  # the oldest period owed
    pdf = client.get(f"/koperasi/{coop.pk}/simpanan/anggota/{members[1].pk}/rekening.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    response = client.post(f"/koperasi/{coop.pk}/simpanan/shu/", {
        "year": 2025, "surplus": "1.000.000", "jasa_modal_percent": "20", "jasa_usaha_percent": "30",
        "other_allocations": "cadangan = 50"})
    assert response.status_code == 302
    shu_url = response["Location"]
    client.post(shu_url, {"operation": "transactions", "transactions": f"{members[2].member_number} = 400.000"})
    client.post(shu_url, {"operation": "review"})
    client.post(shu_url, {"operation": "post"})
    assert "Posted" in client.get(shu_url).content.decode()
    assert MemberSavings.objects.get(pk=members[2].pk).sukarela == 300_000  # all of jasa usaha
    member_page = client.get(f"/koperasi/{coop.pk}/simpanan/anggota/{members[1].pk}/").content.decode()
    assert "200,000" in member_page  # all of jasa modal: the only member with savings at the end of 2025


@pytest.mark.parametrize(("persona", "sees"), [
    ("village_staff", True), ("other_village_staff", False), ("pati_officer", True), ("blitar_officer", False),
    ("director", True),
])
def test_each_persona_sees_the_savings_of_their_area_only(client, request, coop, members, persona, sees):
    user = {
        "other_village_staff": lambda: make_user(Role.VILLAGE_STAFF, PAKEM),
        "blitar_officer": lambda: make_user(Role.KABUPATEN_OFFICER, JATEN[:5]),
    }.get(persona, lambda: request.getfixturevalue(persona))()
    client.force_login(user)
    for url in (f"/koperasi/{coop.pk}/simpanan/", f"/koperasi/{coop.pk}/simpanan/tunggakan/",
                f"/koperasi/{coop.pk}/simpanan/anggota/{members[0].pk}/"):
        assert client.get(url).status_code == (200 if sees else 404)


@pytest.mark.parametrize("persona", ["pati_officer", "director"])
def test_readers_who_do_not_keep_the_books_cannot_post(client, request, coop, members, persona):
    client.force_login(request.getfixturevalue(persona))
    url = f"/koperasi/{coop.pk}/simpanan/anggota/{members[0].pk}/"
    assert "Post payment" not in client.get(url).content.decode()
    response = client.post(url, {"operation": "sukarela", "direction": "deposit", "amount": "1000",
                                 "transaction_date": "2025-06-11"})
    assert response.status_code == 403
    assert not Posting.objects.exists()


def test_officers_see_their_areas_totals_and_arrears(client, village_staff, coop, members, pati_officer):
    services.wajib_bills_generate(today=date(2025, 6, 1))
    services.sukarela_deposit(actor=village_staff, member=members[0], amount=75_000, transaction_date=date(2025, 6, 2))
    client.force_login(pati_officer)
    _english(client)
    page = client.get("/simpanan/").content.decode()
    assert coop.name in page and "75,000" in page and "50,000" in page
    client.force_login(make_user(Role.KABUPATEN_OFFICER, JATEN[:5]))
    assert coop.name not in client.get("/simpanan/").content.decode()


@pytest.mark.parametrize("typed, problem", [
    ("cadangan = Infinity", "Line 1"), ("cadangan = NaN", "Line 1"), ("cadangan = 1e9", "Line 1"),
    ("cadangan = 30\ncadangan = 20", "Line 2: “cadangan” is already allocated above."),
])
def test_other_shu_allocations_that_are_no_share_are_refused_by_line(typed, problem):
    from simpanan.forms import ShuForm

    with translation.override("en"):
        form = ShuForm({"year": 2025, "surplus": "1.000.000", "jasa_modal_percent": "20",
                        "jasa_usaha_percent": "30", "other_allocations": typed})
        assert not form.is_valid()
        assert problem in form.errors["other_allocations"][0]


def test_shu_transactions_are_edited_as_a_list_and_a_wrong_line_loses_nothing(client, village_staff, coop,
                                                                               members):
    """Numbers match without their zeros; the form shows the list recorded; a wrong line keeps what was typed."""
    from simpanan.models import ShuLine

    client.force_login(village_staff)
    response = client.post(f"/koperasi/{coop.pk}/simpanan/shu/", {
        "year": 2025, "surplus": "1.000.000", "jasa_modal_percent": "20", "jasa_usaha_percent": "30",
        "other_allocations": "cadangan = 50"})
    shu_url = response["Location"]
    number = str(int(members[2].member_number))  # "3" for "0003"
    client.post(shu_url, {"operation": "transactions", "transactions": f"{number} = 400.000\n0004 = 100.000"})
    recorded = dict(ShuLine.objects.filter(member__in=members).values_list("member_id", "transactions_basis"))
    assert (recorded[members[2].pk], recorded[members[3].pk]) == (400_000, 100_000)
    page = client.get(shu_url).content.decode()
    assert f"{members[2].member_number} = 400.000\n{members[3].member_number} = 100.000</textarea>" in page
    typed = f"{number} = 450.000\n999 = 1.000"
    refused = client.post(shu_url, {"operation": "transactions", "transactions": typed})
    assert refused.status_code == 200 and f">{typed}</textarea>" in refused.content.decode()
    assert "baris: 2 (999)" in refused.content.decode()
    assert ShuLine.objects.get(member=members[2]).transactions_basis == 400_000  # nothing half-saved


def test_the_same_form_sent_twice_posts_once(client, village_staff, coop, members):
    """Pressed again, or resent after a slow link timed out: each had posted the deposit once more."""
    client.force_login(village_staff)
    _english(client)
    url = f"/koperasi/{coop.pk}/simpanan/anggota/{members[0].pk}/"
    keys = [re.findall(r'name="submission" value="([0-9a-f-]{36})"', client.get(url).content.decode())
            for _view in range(2)]
    assert keys[0] and set(keys[0]).isdisjoint(keys[1])  # a new key each time the forms are shown
    key = keys[0][-1]
    body = {"operation": "sukarela", "direction": "deposit", "amount": "25.000", "transaction_date": "2025-06-11",
            "submission": key}
    first = client.post(url, body)
    again = client.post(url, body, follow=True)
    posting = Posting.objects.get(member=members[0])
    assert first["Location"].endswith(f"/kwitansi/{posting.pk}/")
    assert "already sent and posted with receipt KW/2025/000001" in again.content.decode()
    assert MemberSavings.objects.get(pk=members[0].pk).sukarela == 25_000
    client.post(url, {**body, "submission": str(uuid.uuid4())})  # a new form is a new deposit
    assert MemberSavings.objects.get(pk=members[0].pk).sukarela == 50_000
