"""Members and the board: each governance rule, valid and invalid."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError

from members.models import Member
from members.models import PositionRole
from members.services import governance_issues
from members.services import member_add
from members.services import member_remove
from members.services import member_update
from members.services import position_assign
from members.services import position_end
from tests.conftest import PAKEM
from tests.conftest import register
from tests.conftest import sample_nik
from tests.conftest import seed_board

pytestmark = pytest.mark.django_db


@pytest.fixture
def cooperative(village_staff):
    return register(village_staff)


def add(actor, cooperative, sequence, **kwargs):
    kwargs.setdefault("name", f"Warga {sequence}")
    kwargs.setdefault("sex", "L")
    kwargs.setdefault("domicile_code", cooperative.village_id)
    return member_add(actor=actor, cooperative=cooperative, nik=kwargs.pop("nik", sample_nik(sequence)), **kwargs)[0]


def test_member_is_registered_with_nik_warnings_kept(village_staff, cooperative):
    member, warnings = member_add(actor=village_staff, cooperative=cooperative, nik="3318 0155 0885 0001",
                                  name="  Siti   Aminah ", sex="L", domicile_code=cooperative.village_id,
                                  phone="081234567890")
    assert member.nik == "3318015508850001" and member.name == "Siti Aminah"
    assert str(member.phone) == "+6281234567890"
    assert warnings and member.nik_warnings == warnings  # the day digits say female
    assert member.masked_nik == "3318••••••••0001"


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"nik": "12345"}, "nik"),
        ({"nik": "3318011508850000"}, "nik"),
        ({"sex": "X"}, "sex"),
        ({"name": "   "}, "name"),
        ({"domicile_code": PAKEM}, "domicile_code"),  # KDMP members live in the cooperative's own desa
        ({"phone": "999"}, "phone"),
    ],
)
def test_invalid_member_input_names_the_field_and_saves_nothing(village_staff, cooperative, kwargs, field):
    with pytest.raises(ValidationError) as error:
        add(village_staff, cooperative, 1, **kwargs)
    assert field in error.value.message_dict
    assert not Member.objects.exists()


def test_nik_is_unique_per_cooperative(village_staff, cooperative, pati_officer):
    add(village_staff, cooperative, 1)
    with pytest.raises(ValidationError) as error:
        add(village_staff, cooperative, 1, name="Orang Lain")
    assert "nik" in error.value.message_dict
    other = register(pati_officer, PAKEM)
    add(pati_officer, other, 1, domicile_code=PAKEM)  # the same person may be in another desa's register


def test_kades_perangkat_and_bpd_may_not_be_pengurus(village_staff, cooperative):
    for sequence, office in enumerate(("kepala_desa", "perangkat_desa", "bpd"), start=1):
        leader = add(village_staff, cooperative, sequence, village_office=office)
        with pytest.raises(ValidationError) as error:
            position_assign(actor=village_staff, cooperative=cooperative, member=leader, role=PositionRole.BENDAHARA)
        assert "tidak boleh menjadi pengurus" in error.value.message_dict["role"][0]
    # But they may be pengawas.
    position_assign(actor=village_staff, cooperative=cooperative, member=Member.objects.get(village_office="bpd"),
                    role=PositionRole.ANGGOTA_PENGAWAS)


def test_ketua_pengawas_is_the_kepala_desa(village_staff, cooperative):
    citizen = add(village_staff, cooperative, 1)
    with pytest.raises(ValidationError):
        position_assign(actor=village_staff, cooperative=cooperative, member=citizen, role=PositionRole.KETUA_PENGAWAS)
    kades = add(village_staff, cooperative, 2, village_office="kepala_desa")
    position_assign(actor=village_staff, cooperative=cooperative, member=kades, role=PositionRole.KETUA_PENGAWAS)


def test_one_board_position_per_person_and_one_holder_per_position(village_staff, cooperative):
    first, second = add(village_staff, cooperative, 1), add(village_staff, cooperative, 2)
    position_assign(actor=village_staff, cooperative=cooperative, member=first, role=PositionRole.KETUA)
    with pytest.raises(ValidationError):  # already pengurus
        position_assign(actor=village_staff, cooperative=cooperative, member=first, role=PositionRole.ANGGOTA_PENGAWAS)
    with pytest.raises(ValidationError):  # the ketua seat is taken
        position_assign(actor=village_staff, cooperative=cooperative, member=second, role=PositionRole.KETUA)
    # The manajer is staff, not board: a pengurus can be manajer too.
    position_assign(actor=village_staff, cooperative=cooperative, member=first, role=PositionRole.MANAJER)
    ketua = first.positions.get(role=PositionRole.KETUA)
    position_end(actor=village_staff, position=ketua)
    position_assign(actor=village_staff, cooperative=cooperative, member=second, role=PositionRole.KETUA)


def test_governance_issues_list_every_unmet_rule(village_staff, cooperative):
    codes = {issue.code for issue in governance_issues(cooperative)}
    assert {"founders", "pengurus_count", "missing_ketua", "missing_bendahara", "ketua_pengawas"} <= codes

    seed_board(village_staff, cooperative, founders=8)
    assert [issue.code for issue in governance_issues(cooperative)] == ["founders"]

    ninth = add(village_staff, cooperative, 50, is_founder=True)
    assert governance_issues(cooperative) == []

    position_assign(actor=village_staff, cooperative=cooperative, member=ninth, role=PositionRole.PENGURUS_LAIN)
    assert [issue.code for issue in governance_issues(cooperative)] == ["pengurus_odd"]  # six pengurus


def test_a_pengurus_cannot_become_village_leadership_and_members_with_positions_stay(village_staff, cooperative):
    people, _kades = seed_board(village_staff, cooperative)
    with pytest.raises(ValidationError):
        member_update(actor=village_staff, member=people[0], village_office="bpd")
    with pytest.raises(ValidationError):
        member_remove(actor=village_staff, member=people[0])
    member_remove(actor=village_staff, member=people[8])  # a founder without a position


def test_members_of_a_cooperative_outside_scope_cannot_be_added(pati_officer, village_staff):
    other = register(pati_officer, PAKEM)
    with pytest.raises(PermissionDenied):
        add(village_staff, other, 1, domicile_code=PAKEM)


def test_a_member_who_left_holds_no_position_nor_is_offered_one(village_staff, cooperative):
    from django.utils import timezone

    from members.forms import PositionForm
    from members.models import MemberStatus
    from members.services import member_status_change

    stays, leaves = add(village_staff, cooperative, 1, name="Dewi Suryani"), add(village_staff, cooperative, 2,
                                                                                name="Dewi Suryani")
    member_status_change(actor=village_staff, member=leaves, status=MemberStatus.KELUAR,
                         status_on=timezone.localdate(), reason="Pindah ke luar kota")
    with pytest.raises(ValidationError) as error:
        position_assign(actor=village_staff, cooperative=cooperative, member=leaves, role=PositionRole.KETUA)
    assert "bukan lagi anggota aktif" in error.value.message_dict["member"][0]
    assert not cooperative.positions.exists()
    # The form offers active members only, told apart by their numbers.
    choices = PositionForm(cooperative=cooperative).fields["member"].choices
    assert choices == [(stays.pk, f"Dewi Suryani ({stays.member_number})")]
