"""Demo savings (simpanan) of a few Pati cooperatives, through the real services: the bendahara's daily work."""

import random
from datetime import date

from koperasi.models import Cooperative
from members.models import Member
from simpanan import services
from simpanan.models import Bill

__all__ = ["savings_demo_create"]

PRAWOTO = "33.18.01.2001"


def _month_starts(first: date, last: date) -> list[date]:
    months, day = [], first.replace(day=1)
    while day <= last:
        months.append(day)
        day = day.replace(year=day.year + 1, month=1) if day.month == 12 else day.replace(month=day.month + 1)
    return months


def savings_demo_create(*, prawoto_staff, admin, rng: random.Random, today: date, cooperatives: int = 4) -> int:
    """
    Prawoto and a few other cooperatives of Kec. Sukolilo: AD/ART amounts, opening balances from the paper
    books, monthly wajib bills since January (most paid, some in arrears), sukarela deposits and a withdrawal,
    a corrected mistake, and last year's SHU as a draft to review. Returns the number of postings.
    """
    start = date(today.year, 1, 1)
    chosen = list(Cooperative.objects.filter(village__code__startswith=PRAWOTO[:8])
                  .order_by("village_id")[:cooperatives])
    postings = 0
    for cooperative in chosen:
        staff = prawoto_staff if cooperative.village_id == PRAWOTO else admin
        services.savings_setting_add(actor=staff, cooperative=cooperative, effective_from=date(today.year - 1, 1, 1),
                                     pokok_amount=100_000, wajib_amount=10_000, wajib_period="monthly",
                                     basis="AD/ART Pasal 8")
        members = list(Member.objects.filter(cooperative=cooperative).order_by("pk"))
        # The demo's members joined last January (the register records today when they are typed in): their
        # opening balances are of the end of last year, and last year's SHU is theirs.
        Member.objects.filter(cooperative=cooperative).update(joined_on=date(today.year - 1, 1, 1))
        for number, member in enumerate(members, start=1):
            if not member.member_number:
                Member.objects.filter(pk=member.pk).update(member_number=f"{number:04d}")
        for member in members[: len(members) // 2]:
            services.opening_balance_post(member=member, kind="pokok", amount=100_000,
                                          as_of=date(today.year - 1, 12, 31), actor=staff, reference="buku kas lama")
            services.opening_balance_post(member=member, kind="wajib", amount=10_000 * rng.randint(3, 12),
                                          as_of=date(today.year - 1, 12, 31), actor=staff, reference="buku kas lama")
            postings += 2
        for month in _month_starts(start, today):
            services.wajib_bills_generate(today=month, cooperative_id=cooperative.pk)
        for bill in Bill.objects.filter(cooperative=cooperative, kind="wajib").order_by("period", "member_id"):
            late = rng.random() < 0.15 or (bill.member_id % 7 == 0 and bill.period.month > 3)
            if late:
                continue
            paid_on = min(today, bill.period.replace(day=rng.randint(1, 25)))
            amount = bill.amount if rng.random() > 0.05 else bill.amount // 2
            services.bill_pay(actor=staff, bill=bill, amount=amount, transaction_date=paid_on)
            postings += 1
        for member in members[::3]:
            services.sukarela_deposit(actor=staff, member=member, amount=rng.choice([25_000, 50_000, 100_000]),
                                      transaction_date=today.replace(day=1), reference="setoran tunai")
            postings += 1
        if len(members) > 3:
            services.sukarela_withdraw(actor=staff, member=members[0], amount=20_000, transaction_date=today,
                                       reference="keperluan sekolah anak")
            wrong = services.sukarela_deposit(actor=staff, member=members[1], amount=500_000, transaction_date=today,
                                              reference="setoran")
            services.posting_reverse(actor=staff, posting=wrong, reason="salah ketik: seharusnya Rp 50.000",
                                     transaction_date=today)
            services.sukarela_deposit(actor=staff, member=members[1], amount=50_000, transaction_date=today,
                                      reference="setoran (koreksi)")
            postings += 4
        if cooperative.village_id == PRAWOTO:
            services.shu_distribution_create(
                actor=staff, cooperative=cooperative, year=today.year - 1, surplus=12_500_000, jasa_modal_bp=2000,
                jasa_usaha_bp=2500, other_allocations={"cadangan": 4000, "dana pengurus dan pengawas": 500,
                                                       "dana pendidikan": 500, "dana sosial": 500})
    return postings
