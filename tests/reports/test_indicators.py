"""Published indicators: each over its official base, with its precision, rounded only for display (issue 16 §3)."""

from decimal import Decimal

import pytest
from django.utils import translation

from koperasi.services import cooperative_update
from reports.indicators import INDICATORS
from reports.indicators import Base
from reports.indicators import indicator
from reports.indicators import percent_of
from reports.selectors import dashboard
from reports.services import rollup_reconcile
from tests.conftest import PATI
from tests.conftest import PRAWOTO
from tests.conftest import api_as
from tests.conftest import complete_stage
from tests.conftest import register
from wilayah.models import Region
from wilayah.models import RegionKind
from wilayah.models import RegionLevel

pytestmark = pytest.mark.django_db


def test_percentages_come_from_integers_and_are_rounded_half_up_to_the_precision():
    assert percent_of(1, 3, 1) == Decimal("33.3") and percent_of(2, 3, 1) == Decimal("66.7")
    assert percent_of(1234, 10_000, 2) == Decimal("12.34") and percent_of(1, 8, 2) == Decimal("12.50")
    assert percent_of(1, 2000, 1) == Decimal("0.1")  # 0.05 rounds half up, not to even
    assert percent_of(1, 16, 1) == Decimal("6.3") and percent_of(1, 16, 2) == Decimal("6.25")
    assert percent_of(83_762, 83_762, 2) == Decimal("100.00") and percent_of(0, 5, 1) == Decimal("0.0")
    assert percent_of(3, 0, 1) is None


def test_every_indicator_declares_a_base_and_a_precision():
    assert {item.base for item in INDICATORS} == set(Base.values)
    assert all(item.precision in (0, 1, 2) and item.source and item.definition for item in INDICATORS)
    assert indicator("simkopdes_cooperatives").precision == 2
    assert indicator("simkopdes_cooperatives").base == Base.COOPERATIVES
    assert indicator("legal_entity_villages").base == Base.VILLAGES
    assert indicator("desa_with_cooperative").base == Base.DESA
    assert indicator("kelurahan_with_cooperative").base == Base.KELURAHAN


def _kelurahan_in(code):
    return Region.objects.filter(level=RegionLevel.VILLAGE, kind=RegionKind.KELURAHAN, code__startswith=code + ".")


def test_the_denominators_of_each_base(pati_officer, kabupaten_officer_2):
    kelurahan = _kelurahan_in(PATI).order_by("code").first()
    register(pati_officer, PRAWOTO)
    register(pati_officer, "33.18.01.2002")
    register(pati_officer, kelurahan.code)
    rollup_reconcile()
    area = dashboard(user=pati_officer, code=PATI).area
    pati = Region.objects.get(code=PATI)
    assert pati.kelurahan_count == _kelurahan_in(PATI).count() > 0
    assert area.villages == 406 and area.kelurahan == pati.kelurahan_count
    bases = {item["code"]: item["base_count"] for item in area.indicators()}
    assert bases["villages_with_cooperative"] == bases["legal_entity_villages"] == 406
    assert bases["desa_with_cooperative"] == 406 - pati.kelurahan_count
    assert bases["kelurahan_with_cooperative"] == pati.kelurahan_count
    assert bases["legal_entity_cooperatives"] == bases["simkopdes_cooperatives"] == 3
    counts = {item["code"]: item["count"] for item in area.indicators()}
    assert counts["villages_with_cooperative"] == 3
    assert counts["desa_with_cooperative"] == 2 and counts["kelurahan_with_cooperative"] == 1
    desa = indicator("desa_with_cooperative").percent(area)
    assert desa == percent_of(2, 406 - pati.kelurahan_count, 1)
    # The nation's bases are the sums of the provinces'.
    national = Region.objects.filter(level=RegionLevel.VILLAGE, kind=RegionKind.KELURAHAN).count()
    assert sum(Region.objects.filter(level=RegionLevel.PROVINCE).values_list("kelurahan_count", flat=True)) == national


def test_the_simkopdes_account_indicator_over_cooperatives_with_two_decimals(pati_officer, kabupaten_officer_2):
    from tests.conftest import seed_board

    with_field = register(pati_officer, PRAWOTO)
    cooperative_update(actor=pati_officer, cooperative=with_field, simkopdes_account="KDMP-3318012001")
    with_stage = register(pati_officer, "33.18.01.2002")
    seed_board(pati_officer, with_stage)
    for code in ("sosialisasi", "musdesus", "rapat_pendirian", "akta_notaris", "sk_ahu", "simkopdes"):
        complete_stage(pati_officer, kabupaten_officer_2, with_stage, code)
    register(pati_officer, "33.18.01.2003")
    rollup_reconcile()
    area = dashboard(user=pati_officer, code=PATI).area
    simkopdes = indicator("simkopdes_cooperatives")
    assert simkopdes.count(area) == 2 and simkopdes.base_count(area) == 3
    assert simkopdes.percent(area) == Decimal("66.67")
    with translation.override("id"):
        assert simkopdes.display(area) == "66,67 %"
        assert indicator("legal_entity_villages").display(area) == "0,2 %"  # 1 of 406 desa/kelurahan
        assert indicator("legal_entity_cooperatives").display(area) == "33,3 %"
        assert indicator("simkopdes_villages").display(area) == "0,49 %"
    body = api_as(pati_officer).get(f"/api/rollups/{PATI}/").json()
    published = {item["code"]: item for item in body["indicators"]}
    assert published["simkopdes_cooperatives"] == {
        "code": "simkopdes_cooperatives", "label": published["simkopdes_cooperatives"]["label"], "count": 2,
        "base": "cooperatives", "base_count": 3, "base_label": published["simkopdes_cooperatives"]["base_label"],
        "precision": 2, "percent": "66.67", "display": published["simkopdes_cooperatives"]["display"]}
    assert body["simkopdes_account"] == 2 and body["kelurahan"] + body["desa"] == body["villages"] == 406
    assert body["stages_completed"]["simkopdes"] == 1 and body["stages_completed"]["npwp"] == 0


def test_the_dashboard_shows_both_bases_in_indonesian(client, pati_officer):
    register(pati_officer, PRAWOTO)
    rollup_reconcile()
    client.force_login(pati_officer)
    page = client.get(f"/dasbor/{PATI}/").content.decode()
    assert 'data-indicator="simkopdes_cooperatives"' in page and "0,00 % dari koperasi" in page
    assert 'data-indicator="villages_with_cooperative"' in page and "0,2 % dari desa/kelurahan" in page
    assert 'data-indicator="legal_entity_cooperatives"' in page


def test_an_area_without_cooperatives_has_no_percentage_over_cooperatives(pati_officer):
    rollup_reconcile()
    area = dashboard(user=pati_officer, code=PATI).area
    assert indicator("simkopdes_cooperatives").percent(area) is None
    assert indicator("simkopdes_cooperatives").display(area) == "–"
