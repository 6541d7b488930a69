"""SHU: every rupiah of the surplus is accounted for, shares follow the AD/ART, posting happens once."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from simpanan import services
from simpanan.checks import savings_discrepancies
from simpanan.models import MemberSavings
from simpanan.models import Posting
from simpanan.shu import split_largest_remainder


@given(total=st.integers(0, 10**12), weights=st.lists(st.integers(0, 10**9), min_size=1, max_size=60).filter(any))
def test_largest_remainder_parts_sum_exactly_and_stay_within_one_rupiah(total, weights):
    parts = split_largest_remainder(total, weights)
    assert sum(parts) == total
    for part, weight in zip(parts, weights, strict=True):
        exact = total * weight / sum(weights)
        assert abs(part - exact) < 1 + 1e-6 * max(1, exact)


def test_three_equal_members_share_a_rupiah_that_cannot_be_split():
    assert split_largest_remainder(100, [1, 1, 1]) == [34, 33, 33]


@pytest.mark.django_db
def test_shu_shares_sum_exactly_to_the_surplus_and_post_once(village_staff, coop, members):
    for index, member in enumerate(members[:3]):
        services.opening_balance_post(member=member, kind="wajib", amount=100_000 * (index + 1),
                                      as_of=date(2024, 12, 31), actor=village_staff)
    distribution = services.shu_distribution_create(
        actor=village_staff, cooperative=coop, year=2025, surplus=10_000_001, jasa_modal_bp=2500,
        jasa_usaha_bp=3000, other_allocations={"cadangan": 4000, "dana pengurus": 500},
        transactions={members[3].pk: 700_000, members[4].pk: 300_000})
    assert sum(distribution.allocation_amounts.values()) == 10_000_001
    lines = list(distribution.lines.order_by("member_id"))
    assert sum(line.jasa_modal for line in lines) == distribution.allocation_amounts["jasa_modal"]
    assert sum(line.jasa_usaha for line in lines) == distribution.allocation_amounts["jasa_usaha"]
    assert [line.jasa_modal for line in lines[:3]] == [416_667, 833_333, 1_250_000]  # 1 : 2 : 3 of 2.500.000
    with pytest.raises(ValidationError, match="reviewed"):
        services.shu_post(actor=village_staff, distribution=distribution)
    services.shu_review(actor=village_staff, distribution=distribution)
    assert services.shu_post(actor=village_staff, distribution=distribution, transaction_date=date(2026, 3, 1)) == 5
    with pytest.raises(ValidationError, match="already been posted"):
        services.shu_post(actor=village_staff, distribution=distribution, transaction_date=date(2026, 3, 1))
    assert Posting.objects.filter(entry_type="shu").count() == 5
    assert sum(MemberSavings.objects.filter(cooperative=coop).values_list("sukarela", flat=True)) == sum(
        line.total for line in lines)
    assert all(result.ok for result in savings_discrepancies())


@pytest.mark.django_db
@pytest.mark.parametrize(("fields", "error_field"), [
    ({"year": 2999}, "year"),
    ({"surplus": 0}, "surplus"),
    ({"jasa_modal_bp": 12_000}, "jasa_modal_bp"),
    ({"other_allocations": {"cadangan": 1000}}, "other_allocations"),  # shares add up to 50 %
    # The computed line of a pool nobody qualifies for: a name of its own had been overwritten, money lost.
    ({"other_allocations": {"undistributed": 5000}}, "other_allocations"),
    ({"other_allocations": {"Cadangan": 2500, "cadangan": 2500}}, "other_allocations"),
    ({"other_allocations": {"\u202ecadangan": 5000}}, "other_allocations"),  # a bidirectional override
    ({"other_allocations": {"\x00": 5000}}, "other_allocations"),
    ({"other_allocations": {"c" * 61: 5000}}, "other_allocations"),  # refused, not cut
    ({"year": 2024}, "year"),  # the members joined in January 2025
])
def test_bad_shu_input_gets_field_errors(village_staff, coop, members, fields, error_field):
    data = {"year": 2025, "surplus": 1_000_000, "jasa_modal_bp": 2000, "jasa_usaha_bp": 3000,
            "other_allocations": {"cadangan": 5000}, **fields}
    with pytest.raises(ValidationError) as refused:
        services.shu_distribution_create(actor=village_staff, cooperative=coop, **data)
    assert error_field in refused.value.message_dict
