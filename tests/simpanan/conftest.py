"""A cooperative with savings amounts and members, for the savings tests."""

from datetime import date

import pytest
from django.utils import translation

from members.models import Member
from members.models import MemberStatus
from simpanan import services
from tests.conftest import PRAWOTO
from tests.conftest import register
from tests.conftest import sample_nik


def add_members(cooperative, count: int, *, start: int = 1, joined_on=date(2025, 1, 10), **extra) -> list[Member]:
    return Member.objects.bulk_create([
        Member(cooperative=cooperative, nik=sample_nik(start + index), name=f"Anggota {start + index}", sex="L",
               domicile_id=cooperative.village_id, joined_on=joined_on, member_number=f"{start + index:04d}",
               **extra)
        for index in range(count)
    ])


@pytest.fixture(autouse=True)
def _english_messages():
    """Service messages are asserted in English (the msgids); pages choose their language per request."""
    with translation.override("en"):
        yield


@pytest.fixture
def coop(village_staff):
    cooperative = register(village_staff, PRAWOTO)
    services.savings_setting_add(actor=village_staff, cooperative=cooperative, effective_from=date(2025, 1, 1),
                                 pokok_amount=100_000, wajib_amount=10_000, wajib_period="monthly")
    return cooperative


@pytest.fixture
def members(coop):
    return add_members(coop, 5)


__all__ = ["MemberStatus", "add_members"]
