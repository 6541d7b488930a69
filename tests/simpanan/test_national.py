"""The national generator's savings: opening balances for every member, books that pass check_savings."""

import pytest

from members.models import Member
from sampledata.national import generate_national
from simpanan.checks import savings_discrepancies
from simpanan.models import CooperativeSavings
from simpanan.models import MemberSavings
from simpanan.models import Posting
from simpanan.models import ReceiptSequence
from tests.conftest import PATI

pytestmark = pytest.mark.django_db


def test_generated_members_have_opening_balances_that_equal_the_ledger():
    said = []
    generate_national(cooperatives=20, members=600, visits=10, region=PATI, seed=3, progress=said.append)
    suspended = next(line for line in said if "savings tables" in line)
    assert " 0 foreign keys" not in suspended  # the load runs without per-row foreign-key checks
    assert Posting.objects.filter(entry_type="opening").count() == 2 * Member.objects.count()
    assert MemberSavings.objects.count() == Member.objects.count() == 600
    assert CooperativeSavings.objects.count() == 20
    assert [result.name for result in savings_discrepancies() if not result.ok] == []


def test_generated_receipt_numbers_run_gap_free_per_cooperative_in_member_order():
    generate_national(cooperatives=3, members=90, visits=0, region=PATI, seed=5)
    for cooperative_id in Member.objects.values_list("cooperative_id", flat=True).distinct():
        receipts = list(Posting.objects.filter(cooperative_id=cooperative_id).order_by("member_id", "kind")
                        .values_list("kind", "receipt_number"))
        year = receipts[0][1].split("/")[1]
        assert [number for _kind, number in receipts] == [f"KW/{year}/{n:06d}" for n in range(1, len(receipts) + 1)]
        assert [kind for kind, _number in receipts[:2]] == ["pokok", "wajib"]
        sequence = ReceiptSequence.objects.get(cooperative_id=cooperative_id)
        assert (str(sequence.year), sequence.last_number) == (year, len(receipts))
