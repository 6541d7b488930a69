"""Concurrent postings to one member lose no update and never overdraw simpanan sukarela."""

import threading
import uuid
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from core.roles import Role
from simpanan import services
from simpanan.checks import savings_discrepancies
from simpanan.models import CooperativeSavings
from simpanan.models import MemberSavings
from tests.conftest import PRAWOTO
from tests.conftest import make_user
from tests.conftest import register
from tests.simpanan.conftest import add_members

DAY = date(2025, 6, 15)


def _in_threads(count: int, work) -> list:
    results: list = [None] * count
    barrier = threading.Barrier(count)

    def run(index):
        try:
            barrier.wait()
            results[index] = work(index)
        except Exception as error:  # recorded for the assertions
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


@pytest.mark.django_db(transaction=True)
def test_concurrent_deposits_and_withdrawals_lose_nothing(committed_regions):
    staff = make_user(Role.VILLAGE_STAFF, PRAWOTO)
    cooperative = register(staff, PRAWOTO)
    (member,) = add_members(cooperative, 1)
    deposits = _in_threads(8, lambda index: services.sukarela_deposit(
        actor=staff, member=member, amount=10_000, transaction_date=DAY))
    assert not [result for result in deposits if isinstance(result, Exception)]
    assert MemberSavings.objects.get(pk=member.pk).sukarela == 80_000
    withdrawals = _in_threads(8, lambda index: services.sukarela_withdraw(
        actor=staff, member=member, amount=30_000, transaction_date=DAY))
    refused = [result for result in withdrawals if isinstance(result, ValidationError)]
    assert len(refused) == 6  # 80.000 covers two withdrawals of 30.000, no more
    assert MemberSavings.objects.get(pk=member.pk).sukarela == 20_000
    assert CooperativeSavings.objects.get(pk=cooperative.pk).sukarela == 20_000
    receipts = sorted(p.receipt_number for p in member.savings_postings.all())
    assert receipts == [f"KW/2025/{number:06d}" for number in range(1, 11)]
    assert all(result.ok for result in savings_discrepancies())


def test_one_form_sent_from_two_tabs_at_once_posts_once(committed_regions):
    staff = make_user(Role.VILLAGE_STAFF, PRAWOTO)
    cooperative = register(staff, PRAWOTO)
    (member,) = add_members(cooperative, 1)
    key = uuid.uuid4()
    results = _in_threads(4, lambda index: services.sukarela_deposit(
        actor=staff, member=member, amount=10_000, transaction_date=DAY, submission_key=key))
    assert len({result.pk for result in results}) == 1, results
    assert MemberSavings.objects.get(pk=member.pk).sukarela == 10_000
    assert all(result.ok for result in savings_discrepancies())
