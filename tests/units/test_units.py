"""Business units: readiness ladder, licences for klinik and apotek, go-live, local units, milestones."""

from datetime import date
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.conftest import register
from units.services import unit_add_local
from units.services import unit_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def cooperative(village_staff):
    return register(village_staff)


def unit(cooperative, code):
    return cooperative.units.get(unit_type__code=code)


def test_readiness_moves_up_and_records_milestones(village_staff, cooperative):
    gerai = unit_update(actor=village_staff, unit=unit(cooperative, "gerai_sembako"), status="bangunan",
                        land_progress=100, building_progress=60)
    assert list(gerai.milestones.values_list("status", flat=True)) == ["lahan_tersedia", "bangunan"]
    opened = unit_update(actor=village_staff, unit=gerai, status="operasional", building_progress=100,
                         go_live_date=date(2025, 10, 1))
    assert opened.milestones.get(status="operasional").reached_on == date(2025, 10, 1)
    assert opened.history.count() == 3  # created, building, operational


def test_going_back_drops_milestones_above_the_new_status(village_staff, cooperative):
    gudang = unit_update(actor=village_staff, unit=unit(cooperative, "pergudangan"), status="bangunan")
    unit_update(actor=village_staff, unit=gudang, status="lahan_tersedia")
    assert list(gudang.milestones.values_list("status", flat=True)) == ["lahan_tersedia"]


def test_a_save_reads_the_units_milestones_once_and_writes_only_what_changed(village_staff, cooperative):
    """Every save of a unit keeps its milestones: one read, and a write only where one is added or dropped."""
    gerai = unit_update(actor=village_staff, unit=unit(cooperative, "gerai_sembako"), status="lahan_tersedia")

    def milestone_statements(**changes) -> list[str]:
        with CaptureQueriesContext(connection) as queries:
            unit_update(actor=village_staff, unit=gerai, **changes)
        return [query["sql"].split()[0] for query in queries.captured_queries
                if "units_unitmilestone" in query["sql"]]

    assert milestone_statements(status="bangunan") == ["SELECT", "INSERT"]
    assert milestone_statements(building_progress=70) == ["SELECT"]
    assert milestone_statements(status="lahan_tersedia") == ["SELECT", "DELETE"]
    assert list(gerai.milestones.values_list("status", flat=True)) == ["lahan_tersedia"]


@pytest.mark.parametrize("code", ["klinik", "apotek"])
def test_clinic_and_pharmacy_need_a_licence_before_licensed_or_open(village_staff, cooperative, code):
    with pytest.raises(ValidationError) as error:
        unit_update(actor=village_staff, unit=unit(cooperative, code), status="izin")
    assert {"licence_number", "licence_date"} <= set(error.value.message_dict)
    assert unit(cooperative, code).status == "rencana"
    licensed = unit_update(actor=village_staff, unit=unit(cooperative, code), status="izin",
                           licence_number="503/123/SIP/2025", licence_date=date(2025, 9, 1))
    assert licensed.status == "izin"


def test_other_units_need_no_licence(village_staff, cooperative):
    assert unit_update(actor=village_staff, unit=unit(cooperative, "logistik"), status="izin").status == "izin"


def test_operational_needs_a_past_go_live_date(village_staff, cooperative):
    with pytest.raises(ValidationError) as error:
        unit_update(actor=village_staff, unit=unit(cooperative, "kantor"), status="operasional")
    assert "go_live_date" in error.value.message_dict
    with pytest.raises(ValidationError):
        unit_update(actor=village_staff, unit=unit(cooperative, "kantor"), status="operasional",
                    go_live_date=timezone.localdate() + timedelta(days=3))


def test_not_run_needs_a_reason(village_staff, cooperative):
    with pytest.raises(ValidationError) as error:
        unit_update(actor=village_staff, unit=unit(cooperative, "apotek"), status="tidak_dijalankan")
    assert "not_run_reason" in error.value.message_dict
    skipped = unit_update(actor=village_staff, unit=unit(cooperative, "apotek"), status="tidak_dijalankan",
                          not_run_reason="Sudah ada apotek swasta di desa")
    assert skipped.status == "tidak_dijalankan" and not skipped.milestones.exists()


@pytest.mark.parametrize("changes", [{"land_progress": 120}, {"building_progress": -1}, {"status": "done"},
                                     {"cooperative_id": 5}, {"name": "Gerai Baru"}])
def test_bad_unit_changes_are_refused(village_staff, cooperative, changes):
    gerai = unit(cooperative, "gerai_sembako")
    with pytest.raises(ValidationError):
        unit_update(actor=village_staff, unit=gerai, **changes)
    gerai.refresh_from_db()
    assert (gerai.status, gerai.land_progress, gerai.building_progress, gerai.name) == ("rencana", 0, 0, "")
    assert gerai.history.count() == 1 and not gerai.milestones.exists()


def test_local_units_can_be_added_with_unique_names(village_staff, cooperative):
    wisata = unit_add_local(actor=village_staff, cooperative=cooperative, name="Pariwisata")
    assert wisata.unit_type is None and wisata.display_name == "Pariwisata"
    with pytest.raises(ValidationError):
        unit_add_local(actor=village_staff, cooperative=cooperative, name="pariwisata")
    assert cooperative.units.count() == 8


def test_units_outside_scope_cannot_be_changed(cooperative):
    from core.roles import Role
    from tests.conftest import make_user

    outsider = make_user(Role.VILLAGE_STAFF, "33.18.01.2002")
    with pytest.raises(PermissionDenied):
        unit_update(actor=outsider, unit=unit(cooperative, "kantor"), status="lahan_tersedia")
