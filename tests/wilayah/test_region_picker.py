"""The one region picker: labels, suggestions within scope and level, and what typed text is accepted."""

import pytest
from django import forms

from core.roles import Action
from core.roles import Role
from tests.conftest import BLITAR
from tests.conftest import PATI
from tests.conftest import PRAWOTO
from tests.conftest import make_user
from wilayah.forms import RegionField
from wilayah.models import Region
from wilayah.models import RegionLevel
from wilayah.selectors import region_label

pytestmark = pytest.mark.django_db

KUNIR_BLITAR = "35.05.01.2010"


def _label(code: str) -> str:
    return region_label(Region.objects.select_related("parent__parent").get(code=code))


def test_labels_name_the_place_as_people_say_it():
    assert _label(PRAWOTO) == "Desa Prawoto — Kec. Sukolilo, Kab. Pati"
    assert _label("33.18.01") == "Kec. Sukolilo — Kab. Pati"
    assert _label(PATI) == "Kab. Pati — Jawa Tengah"
    assert _label("33.74") == "Kota Semarang — Jawa Tengah"
    assert _label("33") == "Jawa Tengah"
    kelurahan = Region.objects.filter(kind="kelurahan", parent__parent__code="33.74").first()
    assert _label(kelurahan.code).startswith(f"Kelurahan {kelurahan.name} — Kec. ")


def _village_field(user, action=Action.VIEW) -> RegionField:
    return RegionField(action=action, levels=(RegionLevel.VILLAGE,)).for_user(user)


def _error(field, text) -> str:
    with pytest.raises(forms.ValidationError) as error:
        field.clean(text)
    return " ".join(error.value.messages)


def test_a_name_unique_in_the_users_area_is_accepted_as_typed():
    blitar = make_user(Role.KABUPATEN_OFFICER, BLITAR)
    field = _village_field(blitar)
    assert field.clean("Kunir").code == KUNIR_BLITAR
    assert field.clean("  desa   KUNIR ").code == KUNIR_BLITAR
    assert field.clean(f"Desa Kunir — Kec. Wonodadi, Kab. Blitar ({KUNIR_BLITAR})").code == KUNIR_BLITAR
    assert field.clean(KUNIR_BLITAR).code == KUNIR_BLITAR  # a code still works
    assert "wajib" in _error(field, "   ")  # required: blank is refused, not a region


def test_an_ambiguous_name_asks_to_choose_and_offers_the_candidates():
    admin = make_user(Role.NATIONAL_ADMIN)
    field = _village_field(admin)
    message = _error(field, "Kunir")
    assert f"Desa Kunir — Kec. Wonodadi, Kab. Blitar ({KUNIR_BLITAR})" in message
    assert "33.06.10.2024" in message  # Kunir in another kabupaten
    assert {region.code for region in field.widget.candidates} >= {KUNIR_BLITAR, "33.06.10.2024"}
    # Written out in full, the label picks one.
    assert field.clean("Desa Kunir — Kec. Wonodadi, Kab. Blitar").code == KUNIR_BLITAR


def test_a_part_of_a_name_is_not_guessed_but_suggested():
    pati = make_user(Role.KABUPATEN_OFFICER, PATI)
    message = _error(_village_field(pati), "Prawot")
    assert f"Desa Prawoto — Kec. Sukolilo, Kab. Pati ({PRAWOTO})" in message


def test_outside_the_area_wrong_level_and_unknown_codes_are_explained():
    pati = make_user(Role.KABUPATEN_OFFICER, PATI)
    field = _village_field(pati)
    assert "tidak berada di dalam wilayah kewenangan Anda" in _error(field, KUNIR_BLITAR)
    assert "Kunir" in _error(field, KUNIR_BLITAR)  # says which place, not just the code
    assert "Pilih desa/kelurahan" in _error(field, "33.18.01")
    assert "bukan kode wilayah Kemendagri" in _error(field, "99.99.99.9999")
    assert _error(field, "Atlantis") == "Tidak ada tempat bernama “Atlantis” di wilayah Anda."
    assert KUNIR_BLITAR not in _error(field, "Kunir")  # only Pati's Kuniran is offered


def test_the_area_is_the_users_scope_for_the_fields_action():
    director = make_user(Role.FEDERATION_DIRECTOR, PRAWOTO)
    assert _village_field(director).clean("Prawoto").code == PRAWOTO  # may view
    assert "wilayah kewenangan" in _error(_village_field(director, Action.LOG_VISITS), PRAWOTO)  # may not log


def test_suggestions_are_limited_to_scope_action_and_level(client):
    pati = make_user(Role.KABUPATEN_OFFICER, PATI)
    client.force_login(pati)

    def suggestions(**params):
        html = client.get("/wilayah/pilihan/", {"param": "village", **params}).content.decode()
        return [line.split('"')[1] for line in html.splitlines() if line.startswith("<option")]

    found = suggestions(village="sukolilo", levels="village", action="edit_cooperative")
    assert found[0] == "Desa Sukolilo — Kec. Sukolilo, Kab. Pati (33.18.01.2009)"  # the whole name first
    assert all(option.startswith("Desa ") and "Kab. Pati" in option for option in found)
    assert suggestions(village="Kec. Sukolilo") == ["Kec. Sukolilo — Kab. Pati (33.18.01)"]
    assert all("Kab. Pati" in option for option in suggestions(village="Kunir"))  # not Blitar's Kunir
    assert suggestions(village="33.18.01.20", levels="village")[0].endswith("(33.18.01.2001)")
    assert suggestions(village="k") == []  # one letter is not a search
    director = make_user(Role.FEDERATION_DIRECTOR, PRAWOTO)
    client.force_login(director)
    assert suggestions(village="Prawoto", action="log_visits") == []
