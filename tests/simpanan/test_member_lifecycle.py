"""
The savings book follows the member through the register: joining, leaving, a posted SHU year, removal. Each test
is a defect a treasurer met: money taken from a member who had left, bills owed for ever after leaving, pokok paid
twice, a joining date moved after the savings, entries dated into a posted SHU year, an SHU line lost on removal.
"""

import uuid
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from members.services import member_remove
from members.services import member_status_change
from members.services import member_update
from simpanan import selectors
from simpanan import services
from simpanan.checks import savings_discrepancies
from simpanan.models import Bill
from simpanan.models import CooperativeSavings
from simpanan.models import MemberSavings
from simpanan.models import Posting
from simpanan.models import ShuLine
from tests.conftest import api_as
from tests.simpanan.conftest import add_members

pytestmark = pytest.mark.django_db


def _bill_months(first: int, last: int) -> None:
    """The monthly wajib billing run of each month of 2025 from ``first`` to ``last``."""
    for month in range(first, last + 1):
        services.wajib_bills_generate(today=date(2025, month, 1))


def test_a_member_who_left_pays_nothing_in_after_leaving_but_can_take_their_savings(village_staff, coop, members):
    member = members[0]
    services.sukarela_deposit(actor=village_staff, member=member, amount=50_000, transaction_date=date(2025, 3, 1))
    _bill_months(1, 6)
    member_status_change(actor=village_staff, member=member, status="keluar", status_on=date(2025, 4, 15),
                         reason="pindah domisili")
    member.refresh_from_db()
    with pytest.raises(ValidationError, match="no longer a member"):
        services.sukarela_deposit(actor=village_staff, member=member, amount=1_000, transaction_date=date(2025, 5, 1))
    # Money owed from before leaving may still come in, dated then.
    april = Bill.objects.get(member=member, kind="wajib", period=date(2025, 4, 1))
    services.bill_pay(actor=village_staff, bill=april, amount=10_000, transaction_date=date(2025, 4, 10))
    with pytest.raises(ValidationError, match="no longer a member"):
        services.bill_pay(actor=village_staff, bill=Bill.objects.get(member=member, kind="wajib",
                                                                     period=date(2025, 3, 1)),
                          amount=10_000, transaction_date=date(2025, 5, 2))
    # The collection sheet names the row.
    march = Bill.objects.get(member=member, kind="wajib", period=date(2025, 3, 1))
    with pytest.raises(ValidationError, match=r"Row 1: .*no longer a member"):
        services.bill_payments_post(actor=village_staff, cooperative=coop, payments=[(march.pk, 10_000)],
                                    transaction_date=date(2025, 5, 2))
    # Their savings go back to them after leaving.
    services.sukarela_withdraw(actor=village_staff, member=member, amount=50_000, transaction_date=date(2025, 5, 3))
    assert MemberSavings.objects.get(pk=member.pk).sukarela == 0


def test_leaving_clears_the_bills_of_the_periods_after_it_from_the_arrears(village_staff, coop, members):
    member = members[0]
    services.pokok_bills_generate(today=date(2025, 6, 1))
    _bill_months(1, 6)
    periods_before = Bill.objects.filter(member=member, kind="wajib").count()
    arrears_before = CooperativeSavings.objects.get(pk=coop.pk).arrears
    member_status_change(actor=village_staff, member=member, status="keluar", status_on=date(2025, 3, 20),
                         reason="pindah")
    kept = list(Bill.objects.filter(member=member).values_list("kind", "period").order_by("period"))
    assert kept == [("wajib", date(2025, m, 1)) for m in (1, 2, 3)]  # owed while a member; no pokok any more
    gone = periods_before - 3
    assert CooperativeSavings.objects.get(pk=coop.pk).arrears == arrears_before - gone * 10_000
    assert all(result.ok for result in savings_discrepancies())  # the arrears counter agrees with the bills


def test_an_opening_pokok_balance_settles_the_open_pokok_bill(village_staff, coop, members):
    """Registered first, books brought in after: the pokok bill had stayed open and the member paid pokok twice."""
    whole, part = members[0], members[1]
    services.pokok_bills_generate(today=date(2025, 6, 1))
    assert Bill.objects.filter(kind="pokok").count() == 5
    services.opening_balance_post(member=whole, kind="pokok", amount=100_000, as_of=date(2025, 1, 31),
                                  actor=village_staff)
    assert not Bill.objects.filter(member=whole, kind="pokok").exists()
    services.opening_balance_post(member=part, kind="pokok", amount=40_000, as_of=date(2025, 1, 31),
                                  actor=village_staff)
    assert Bill.objects.get(member=part, kind="pokok").outstanding == 60_000
    services.bill_pay(actor=village_staff, bill=Bill.objects.get(member=part, kind="pokok"), amount=60_000,
                      transaction_date=date(2025, 2, 1))
    assert MemberSavings.objects.get(pk=part.pk).pokok == 100_000


def test_the_joining_date_cannot_move_after_the_members_savings(village_staff, coop, members):
    member = members[0]
    services.sukarela_deposit(actor=village_staff, member=member, amount=5_000, transaction_date=date(2025, 2, 1))
    with pytest.raises(ValidationError) as refused:
        member_update(actor=village_staff, member=member, joined_on=date(2025, 6, 1))
    assert "savings recorded from" in refused.value.message_dict["joined_on"][0]
    member.refresh_from_db()
    assert member.joined_on == date(2025, 1, 10)
    member_update(actor=village_staff, member=member, joined_on=date(2025, 1, 20))  # still before the deposit
    member.refresh_from_db()
    assert member.joined_on == date(2025, 1, 20)


def test_a_posted_shu_year_takes_no_more_entries(village_staff, coop, members):
    services.opening_balance_post(member=members[0], kind="wajib", amount=100_000, as_of=date(2025, 1, 31),
                                  actor=village_staff)
    distribution = services.shu_distribution_create(
        actor=village_staff, cooperative=coop, year=2025, surplus=1_000_000, jasa_modal_bp=5000, jasa_usaha_bp=0,
        other_allocations={"cadangan": 5000}, transactions={})
    services.shu_review(actor=village_staff, distribution=distribution)
    services.shu_post(actor=village_staff, distribution=distribution, transaction_date=date(2026, 3, 1))
    with pytest.raises(ValidationError, match="SHU of 2025 has been posted"):
        services.sukarela_deposit(actor=village_staff, member=members[1], amount=1_000,
                                  transaction_date=date(2025, 6, 30))
    with pytest.raises(ValidationError, match="SHU of 2025 has been posted"):
        services.opening_balance_post(member=members[1], kind="wajib", amount=120_000, as_of=date(2025, 12, 31),
                                      actor=village_staff)
    posted = Posting.objects.count()
    services.sukarela_deposit(actor=village_staff, member=members[1], amount=1_000, transaction_date=date(2026, 1, 5))
    assert Posting.objects.count() == posted + 1


def test_a_member_with_an_shu_line_is_not_removed_from_the_register(village_staff, coop, members):
    """Removal had deleted the member's line from the draft: the SHU then paid out less than it showed."""
    newcomer = add_members(coop, 1, start=50, joined_on=date(2025, 3, 1))[0]
    distribution = services.shu_distribution_create(
        actor=village_staff, cooperative=coop, year=2025, surplus=1_000_000, jasa_modal_bp=0, jasa_usaha_bp=5000,
        other_allocations={"cadangan": 5000}, transactions={members[0].pk: 100_000, newcomer.pk: 100_000})
    with pytest.raises(ValidationError, match="cannot be removed"):
        member_remove(actor=village_staff, member=newcomer)
    assert sum(line.total for line in ShuLine.objects.filter(distribution=distribution)) == 500_000


def test_the_savings_book_finds_a_member_by_number_without_its_leading_zeros(coop, members):
    assert [member.member_number for member in selectors.member_balances(coop, query="3")] == ["0003"]
    assert [member.member_number for member in selectors.member_balances(coop, query="0003")] == ["0003"]


def test_a_member_who_left_is_paid_out_everything_they_hold(client, village_staff, coop, members):
    """Withdrawal was sukarela only: a leaver's pokok and wajib could not be returned, and counted in later SHUs."""
    member = members[0]
    for kind, amount in (("pokok", 100_000), ("wajib", 150_000), ("sukarela", 20_000)):
        services.opening_balance_post(member=member, kind=kind, amount=amount, as_of=date(2025, 1, 31),
                                      actor=village_staff)
    with pytest.raises(ValidationError, match="when a member leaves"):
        services.savings_payout(actor=village_staff, member=member, transaction_date=date(2025, 6, 1))
    member_status_change(actor=village_staff, member=member, status="keluar", status_on=date(2025, 5, 31),
                         reason="pindah")
    member.refresh_from_db()
    with pytest.raises(ValidationError, match="dated from then on"):
        services.savings_payout(actor=village_staff, member=member, transaction_date=date(2025, 5, 1))
    client.force_login(village_staff)
    url = f"/koperasi/{coop.pk}/simpanan/anggota/{member.pk}/"
    assert 'value="payout"' in client.get(url).content.decode()
    response = client.post(url, {"operation": "payout", "transaction_date": "2025-06-02", "reference": ""},
                           follow=True)
    paid = Posting.objects.filter(member=member, entry_type="withdrawal").order_by("kind")
    assert [(posting.kind, posting.amount) for posting in paid] == [
        ("pokok", -100_000), ("sukarela", -20_000), ("wajib", -150_000)]
    assert all(posting.receipt_number in response.content.decode() for posting in paid)
    held = MemberSavings.objects.get(pk=member.pk)
    assert (held.pokok, held.wajib, held.sukarela) == (0, 0, 0)
    assert 'value="payout"' not in client.get(url).content.decode()  # nothing left to pay out
    assert all(result.ok for result in savings_discrepancies())
    api = api_as(village_staff)
    other = members[1]
    member_status_change(actor=village_staff, member=other, status="meninggal", status_on=date(2025, 5, 31),
                         reason="meninggal dunia")
    services.opening_balance_post(member=other, kind="wajib", amount=50_000, as_of=date(2025, 1, 31),
                                  actor=village_staff)
    body = {"member": other.pk, "transaction_date": "2025-06-03", "reference": "Dibayar kepada ahli waris, Siti"}
    key = str(uuid.uuid4())
    response = api.post("/api/savings-postings/payout/", body, format="json", headers={"Idempotency-Key": key})
    assert response.status_code == 201 and [row["amount"] for row in response.json()] == [-50_000]
    again = api.post("/api/savings-postings/payout/", body, format="json", headers={"Idempotency-Key": key})
    assert again.status_code == 200 and again.json() == response.json()  # resent after a timeout: paid once


def test_a_bill_paid_and_reversed_stays_when_the_member_leaves_or_brings_in_pokok(village_staff, coop, members):
    """Its postings protect it: deleting it with the unpaid ones had answered 500 on leaving and on an opening pokok."""
    member = members[0]
    services.pokok_bills_generate(today=date(2025, 6, 1))
    _bill_months(1, 6)
    for kind, period in (("wajib", date(2025, 5, 1)), ("pokok", date(2025, 1, 10))):
        bill = Bill.objects.get(member=member, kind=kind, period=period)
        paid = services.bill_pay(actor=village_staff, bill=bill, amount=bill.amount, transaction_date=date(2025, 3, 1))
        services.posting_reverse(actor=village_staff, posting=paid, reason="salah anggota",
                                 transaction_date=date(2025, 3, 2))
    services.opening_balance_post(member=member, kind="pokok", amount=100_000, as_of=date(2025, 1, 31),
                                  actor=village_staff)
    assert Bill.objects.get(member=member, kind="pokok").outstanding == 0  # asks for nothing more, keeps its postings
    member_status_change(actor=village_staff, member=member, status="keluar", status_on=date(2025, 3, 20),
                         reason="pindah")
    assert Bill.objects.filter(member=member, kind="wajib", period=date(2025, 5, 1)).exists()
    assert not Bill.objects.filter(member=member, kind="wajib", period=date(2025, 6, 1)).exists()
    assert all(result.ok for result in savings_discrepancies())


def test_a_member_active_again_is_billed_again_for_the_months_since_leaving(village_staff, coop, members):
    member = members[0]
    _bill_months(1, 6)
    member_status_change(actor=village_staff, member=member, status="keluar", status_on=date(2025, 3, 20),
                         reason="salah catat")
    assert not Bill.objects.filter(member=member, period__gt=date(2025, 3, 20)).exists()
    member.refresh_from_db()
    member_status_change(actor=village_staff, member=member, status="aktif")
    months = set(Bill.objects.filter(member=member, kind="wajib").values_list("period", flat=True))
    assert {date(2025, m, 1) for m in range(1, 7)} <= months
    assert all(result.ok for result in savings_discrepancies())


def test_a_form_key_sent_again_with_other_details_is_refused_and_nothing_is_owed_to_a_member_with_nothing(
        village_staff, coop, members):
    key = uuid.uuid4()
    services.sukarela_deposit(actor=village_staff, member=members[0], amount=25_000,
                              transaction_date=date(2025, 6, 1), submission_key=key)
    with pytest.raises(ValidationError, match="with other details"):
        services.sukarela_deposit(actor=village_staff, member=members[0], amount=30_000,
                                  transaction_date=date(2025, 6, 1), submission_key=key)
    member_status_change(actor=village_staff, member=members[1], status="keluar", status_on=date(2025, 5, 31),
                         reason="pindah")
    members[1].refresh_from_db()
    with pytest.raises(ValidationError, match="nothing to pay out"):
        services.savings_payout(actor=village_staff, member=members[1], transaction_date=date(2025, 6, 1))


def test_a_search_by_a_very_long_number_finds_nothing_and_breaks_nothing(coop, members):
    assert list(selectors.member_balances(coop, query="1" * 5000)) == []
