"""Registering a cooperative: type, default name, one per village, joint cooperatives, identifiers."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError

from koperasi.models import Cooperative
from koperasi.models import CooperativeVillage
from koperasi.services import cooperative_default_name
from koperasi.services import cooperative_default_names
from koperasi.services import cooperative_update
from tests.conftest import PAKEM
from tests.conftest import PRAWOTO
from tests.conftest import register
from wilayah.models import Region

pytestmark = pytest.mark.django_db


def test_village_staff_register_their_desa_with_stages_and_the_seven_units(village_staff):
    cooperative = register(village_staff, phone="0812-3456-7890")

    assert cooperative.name == "Koperasi Desa Merah Putih Prawoto"
    assert cooperative.kind == "kdmp" and cooperative.formation_model == "baru"
    assert str(cooperative.phone) == "+6281234567890"
    assert list(cooperative.stages.values_list("stage__code", "status")) == [
        (code, "not_started") for code in ("sosialisasi", "musdesus", "rapat_pendirian", "akta_notaris", "sk_ahu",
                                           "npwp", "nib", "rekening_bank", "simkopdes", "operasional")
    ]
    assert sorted(cooperative.units.values_list("unit_type__code", "status")) == sorted(
        (code, "rencana") for code in ("kantor", "gerai_sembako", "simpan_pinjam", "klinik", "apotek", "pergudangan",
                                       "logistik")
    )
    assert cooperative.history.get().history_user == village_staff


def test_kelurahan_gets_a_kkmp_with_the_kelurahan_name(pati_officer):
    cooperative = register(pati_officer, "33.18.10.1005")
    assert cooperative.kind == "kkmp"
    assert cooperative.name == "Koperasi Kelurahan Merah Putih Pati Wetan"


@pytest.mark.parametrize(
    "code, expected",
    [
        (PRAWOTO, "Koperasi Desa Merah Putih Prawoto"),  # unique name
        (PAKEM, "Koperasi Desa Merah Putih Pakem Kecamatan Sukolilo"),  # 3 desa named Pakem
        # Another desa Gabus lies in a kecamatan also named Gabus (Kab. Grobogan): add the kabupaten too.
        ("33.18.11.2006", "Koperasi Desa Merah Putih Gabus Kecamatan Gabus Kabupaten Pati"),
    ],
)
def test_default_name_is_disambiguated_when_the_village_name_is_shared(code, expected):
    assert cooperative_default_name(Region.objects.get(code=code)) == expected


def test_a_second_cooperative_for_the_same_village_is_refused(village_staff, pati_officer):
    first = register(village_staff)
    with pytest.raises(ValidationError) as error:
        register(pati_officer, name="Koperasi Lain")
    assert "village" in error.value.message_dict
    assert first.name in error.value.message_dict["village"][0]
    assert Cooperative.objects.filter(village_id=PRAWOTO).count() == 1


def test_village_staff_cannot_register_another_desa(village_staff):
    with pytest.raises(PermissionDenied):
        register(village_staff, PAKEM)
    assert not Cooperative.objects.filter(village_id=PAKEM).exists()


def test_joint_cooperative_needs_confirmation_and_free_villages(sukolilo_officer):
    with pytest.raises(ValidationError) as error:
        register(sukolilo_officer, joint_village_codes=[PAKEM])
    assert "joint_population_confirmed" in error.value.message_dict

    joint = register(sukolilo_officer, joint_village_codes=[PAKEM], joint_population_confirmed=True)
    assert set(joint.villages.values_list("village_id", "is_seat")) == {(PRAWOTO, True), (PAKEM, False)}

    with pytest.raises(ValidationError) as error:
        register(sukolilo_officer, "33.18.01.2003", joint_village_codes=[PAKEM], joint_population_confirmed=True)
    assert "joint_villages" in error.value.message_dict
    assert not CooperativeVillage.objects.filter(village_id="33.18.01.2003").exists()


def test_joint_village_outside_the_officers_area_is_refused(sukolilo_officer):
    with pytest.raises(PermissionDenied):
        register(sukolilo_officer, joint_village_codes=["33.18.02.2001"], joint_population_confirmed=True)


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"latitude": "-6.75", "longitude": "11.1"}, "longitude"),  # longitude typed without its first digit
        ({"latitude": "110.9", "longitude": "-6.7"}, "latitude"),  # swapped
        ({"latitude": "-6.75"}, "longitude"),
        ({"phone": "12345"}, "phone"),
        ({"formation_model": "merger"}, "formation_model"),
        ({"village_code": "33.18.01"}, "village"),  # a kecamatan is not a village
    ],
)
def test_bad_registration_input_names_the_field_and_creates_nothing(pati_officer, kwargs, field):
    village = kwargs.pop("village_code", PRAWOTO)
    with pytest.raises(ValidationError) as error:
        register(pati_officer, village, **kwargs)
    assert field in error.value.message_dict
    assert Cooperative.objects.count() == 0


def test_names_are_unique_case_insensitively(pati_officer):
    register(pati_officer, name="Koperasi Maju Bersama")
    with pytest.raises(ValidationError) as error:
        register(pati_officer, PAKEM, name="koperasi maju  bersama")
    assert "name" in error.value.message_dict


def test_legal_identifiers_are_validated_and_only_officers_who_verify_may_correct_them(village_staff, pati_officer):
    cooperative = register(village_staff)
    with pytest.raises(PermissionDenied):
        cooperative_update(actor=village_staff, cooperative=cooperative, npwp="0123456789012345")

    cooperative_update(actor=pati_officer, cooperative=cooperative, npwp="01.234.567.8-901.000",
                       nib="9120301234567", sk_ahu_number="ahu-0036770.ah.01.29.tahun  2025")
    cooperative.refresh_from_db()
    assert cooperative.npwp == "0012345678901000"  # the old 15-digit form gains its leading zero
    assert cooperative.sk_ahu_number == "AHU-0036770.AH.01.29.TAHUN 2025"

    with pytest.raises(ValidationError) as error:
        cooperative_update(actor=pati_officer, cooperative=cooperative, npwp="12345", nib="12", sk_ahu_number="SK-1")
    assert {"npwp", "nib", "sk_ahu_number"} <= set(error.value.message_dict)
    assert "16" in error.value.message_dict["npwp"][0]
    cooperative.refresh_from_db()
    assert cooperative.nib == "9120301234567"


def test_village_staff_edit_the_profile_and_the_change_is_audited(village_staff):
    cooperative = register(village_staff)
    cooperative_update(actor=village_staff, cooperative=cooperative, address="Jl. Raya Prawoto 1",
                       latitude="-6.9", longitude="111.0", nomor_induk_koperasi="3318012001000001")
    record = cooperative.history.latest()
    assert record.history_user == village_staff
    assert {change.field for change in record.diff_against(record.prev_record).changes} == {
        "address", "latitude", "longitude", "nomor_induk_koperasi"}


def test_every_default_name_in_the_official_region_list_is_unique():
    """All 83,762 desa/kelurahan: no two default names alike (case aside), and each as the one-village path names it."""
    villages = list(Region.objects.filter(level="village"))
    names = cooperative_default_names(villages)
    assert len(villages) == 83_762
    assert len({name.lower() for name in names.values()}) == len(villages)
    # Two desa of one name in one kecamatan (the official list has such pairs) are told apart by their code.
    tounelet = sorted(code for code, name in names.items() if "Tounelet Satu" in name)
    assert len(tounelet) >= 2 and all(names[code].endswith(f"({code})") for code in tounelet)
    for code in ("33.18.11.2006", PAKEM, PRAWOTO, *tounelet):
        assert cooperative_default_name(Region.objects.get(code=code)) == names[code]
