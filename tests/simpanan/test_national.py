"""The national generator's savings: opening balances for every member, books that pass check_savings."""

import pytest

from members.models import Member
from sampledata.national import generate_national
from simpanan.checks import savings_discrepancies
from simpanan.models import CooperativeSavings
from simpanan.models import MemberSavings
from simpanan.models import Posting
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
