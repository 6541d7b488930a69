"""The BUMDes naming rule (PP 11/2021): prefix, ends with the village, no foreign words — as a clear error."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from bumdes import services
from bumdes.naming import bumdes_name_problems
from bumdes.naming import canonical_bumdes_name
from tests.conftest import PAKEM
from tests.conftest import PRAWOTO


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_a_bum_desa_name_starts_with_bum_desa_and_ends_with_its_desa():
    assert bumdes_name_problems("BUM Desa Sumber Rejeki Prawoto", joint=False, place_names=["Prawoto"]) == []
    [problem] = bumdes_name_problems("BUMDes Sumber Rejeki Prawoto", joint=False, place_names=["Prawoto"])
    assert "must start with “BUM Desa”" in problem
    [problem] = bumdes_name_problems("BUM Desa Sumber Rejeki", joint=False, place_names=["Prawoto"])
    assert "must end with the name of the desa, “Prawoto”" in problem


def test_a_joint_name_starts_with_bum_desa_bersama_and_ends_with_a_founding_desa_or_the_seat_area():
    places = ["Prawoto", "Pakem", "Sukolilo", "Pati", "Kabupaten Pati"]
    assert bumdes_name_problems("BUM Desa Bersama Mitra Sejahtera Pati", joint=True, place_names=places) == []
    assert bumdes_name_problems("BUM Desa Bersama Tani Makmur Pakem", joint=True, place_names=places) == []
    assert "must start with “BUM Desa Bersama”" in bumdes_name_problems(
        "BUM Desa Mitra Sejahtera Pati", joint=True, place_names=places)[0]
    assert "a BUM Desa of one desa starts with “BUM Desa”" in bumdes_name_problems(
        "BUM Desa Bersama Prawoto", joint=False, place_names=["Prawoto"])[0]


def test_foreign_words_are_refused_by_name_but_a_place_keeps_its_own_name():
    [problem] = bumdes_name_problems("BUM Desa Prawoto Mart Prawoto", joint=False, place_names=["Prawoto"])
    assert problem == "The name may not use foreign words: mart. Use the Indonesian word instead."
    assert bumdes_name_problems("BUM Desa Maju Green Park", joint=False, place_names=["Green Park"]) == []


def test_the_prefix_is_written_as_the_rule_spells_it():
    assert canonical_bumdes_name("  bum desa   Maju  Prawoto ") == "BUM Desa Maju Prawoto"


@pytest.mark.django_db
def test_registering_with_a_bad_name_names_every_problem_on_the_name_field(pati_officer):
    with pytest.raises(ValidationError) as refused:
        services.bumdes_register(actor=pati_officer, kind="bum_desa", name="BUMDes Sejahtera Center",
                                 village_code=PRAWOTO, capital=10_000_000)
    messages = refused.value.message_dict["name"]
    assert len(messages) == 3
    assert any("start with “BUM Desa”" in m for m in messages)
    assert any("end with the name of the desa, “Prawoto”" in m for m in messages)
    assert any("foreign words: center" in m for m in messages)
    bumdes = services.bumdes_register(actor=pati_officer, kind="bum_desa", name="bum desa Sejahtera Prawoto",
                                      village_code=PRAWOTO, capital=10_000_000)
    assert bumdes.name == "BUM Desa Sejahtera Prawoto"
    with pytest.raises(ValidationError) as refused:
        services.bumdes_update(actor=pati_officer, bumdes=bumdes, name="BUM Desa Sejahtera Pakem")
    assert "“Prawoto”" in refused.value.message_dict["name"][0]
    assert PAKEM  # the joint case is in test_registry
