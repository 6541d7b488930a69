"""Opening balances brought in from paper or an import: posted once, corrected only by a reversal."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError

from core.roles import Role
from simpanan import services
from simpanan.models import MemberSavings
from simpanan.models import Posting
from tests.conftest import BLITAR
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_opening_balance_posted_once_and_the_same_amount_again_is_a_no_op(village_staff, members):
    member = members[0]
    first = services.opening_balance_post(member=member, kind="sukarela", amount=250_000, as_of=date(2025, 12, 31),
                                          actor=village_staff, reference="buku lama")
    again = services.opening_balance_post(member=member, kind="sukarela", amount=250_000, as_of=date(2025, 12, 31),
                                          actor=village_staff)
    assert again.pk == first.pk
    assert Posting.objects.filter(member=member).count() == 1
    assert MemberSavings.objects.get(pk=member.pk).sukarela == 250_000
    assert first.receipt_number == "KW/2025/000001"
    assert first.recorded_by == village_staff


def test_a_different_opening_amount_is_refused_until_the_first_is_reversed(village_staff, members):
    member = members[0]
    first = services.opening_balance_post(member=member, kind="wajib", amount=120_000, as_of=date(2025, 12, 31),
                                          actor=village_staff)
    with pytest.raises(ValidationError) as refused:
        services.opening_balance_post(member=member, kind="wajib", amount=130_000, as_of=date(2025, 12, 31),
                                      actor=village_staff)
    assert "already posted" in str(refused.value)
    assert "reversal" in str(refused.value)
    services.posting_reverse(actor=village_staff, posting=first, reason="salah ketik saldo awal")
    corrected = services.opening_balance_post(member=member, kind="wajib", amount=130_000, as_of=date(2025, 12, 31),
                                              actor=village_staff)
    assert corrected.pk != first.pk
    assert MemberSavings.objects.get(pk=member.pk).wajib == 130_000


def test_opening_balance_outside_the_actors_area_is_refused(members):
    blitar = make_user(Role.KABUPATEN_OFFICER, BLITAR)
    with pytest.raises(PermissionDenied):
        services.opening_balance_post(member=members[0], kind="pokok", amount=100_000, as_of=date(2025, 1, 1),
                                      actor=blitar)


@pytest.mark.parametrize(("kind", "amount", "as_of", "field"), [
    ("saham", 1000, date(2025, 1, 1), "kind"),
    ("pokok", 0, date(2025, 1, 1), "amount"),
    ("pokok", -5, date(2025, 1, 1), "amount"),
    ("pokok", 10**15, date(2025, 1, 1), "amount"),
    ("pokok", 1000, date(2999, 1, 1), "as_of"),
])
def test_bad_opening_balances_get_field_errors(village_staff, members, kind, amount, as_of, field):
    with pytest.raises(ValidationError) as refused:
        services.opening_balance_post(member=members[0], kind=kind, amount=amount, as_of=as_of, actor=village_staff)
    assert field in refused.value.message_dict
