"""Home pages that start the day: an officer's queue, risks, follow-ups and villages without a cooperative."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.roles import Role
from koperasi.models import CooperativeVillage
from koperasi.models import StageProgress
from pendampingan.services import visit_log
from reports.services import rollup_reconcile
from targets.services import target_create
from tests.conftest import PATI
from tests.conftest import make_user
from tests.conftest import register
from tests.conftest import submit_stage
from wilayah.models import Region

pytestmark = pytest.mark.django_db


def _figure(html: str, name: str) -> str:
    return html.split(f'data-figure="{name}">', 1)[1].split("<", 1)[0]


def test_a_district_officers_home_lists_queue_risks_follow_ups_and_unregistered_villages(
        client, village_staff, pati_officer):
    today = timezone.localdate()
    prawoto = register(village_staff)
    progress = submit_stage(village_staff, prawoto, "sosialisasi")
    StageProgress.objects.filter(pk=progress.pk).update(submitted_at=timezone.now() - timedelta(days=4))
    target_create(actor=pati_officer, region_code=PATI, metric="stage", stage_code="musdesus",
                  title="Musdesus Pati", start_date=today - timedelta(days=20), due_date=today + timedelta(days=20))
    visit_log(actor=pati_officer, village_code="33.18.01.2002", visited_on=today - timedelta(days=5),
              topic="Persiapan Musdesus", next_step="Kumpulkan daftar hadir", follow_up_on=today)
    visit_log(actor=pati_officer, village_code="33.18.01.2003", visited_on=today - timedelta(days=9),
              topic="Notaris", follow_up_on=today - timedelta(days=2))
    client.force_login(pati_officer)
    html = client.get("/").content.decode()
    assert _figure(html, "queue") == "1" and "terlama: 4 hari" in html
    assert f"/koperasi/{prawoto.pk}/tahap/sosialisasi/" in html
    assert _figure(html, "targets-at-risk") == "1" and "Musdesus Pati" in html
    assert _figure(html, "follow-ups") == "1" and "1 terlambat" in html and "Kumpulkan daftar hadir" in html
    assert _figure(html, "unregistered") == "405"  # Pati's 406 desa/kelurahan less Prawoto
    assert "/koperasi/daftar/?village=33.18.01.2002" in html  # register action beside a belum terdaftar desa
    assert "API" not in html.split("<main", 1)[0]  # the API link left the main menu


def test_a_kecamatan_coordinator_sees_only_their_kecamatan_and_no_queue(client, sukolilo_officer, village_staff):
    register(village_staff)
    client.force_login(sukolilo_officer)
    html = client.get("/").content.decode()
    assert 'data-figure="queue"' not in html  # coordinators do not verify
    sukolilo = Region.objects.filter(parent_id="33.18.01").count()
    assert int(_figure(html, "unregistered")) == sukolilo - 1


def test_a_village_served_from_a_neighbouring_kecamatan_is_not_listed_as_unregistered(client, village_staff):
    """A cooperative seated in Sukolilo also serving a desa of the next kecamatan: that kecamatan's officer does not
    see the desa as belum terdaftar (what counts is the desa served, not where its cooperative sits)."""
    cooperative = register(village_staff)
    CooperativeVillage.objects.create(cooperative=cooperative, village_id="33.18.02.2001", is_seat=False)
    officer = make_user(Role.KECAMATAN_OFFICER, "33.18.02")
    client.force_login(officer)
    html = client.get("/").content.decode()
    villages = Region.objects.filter(parent_id="33.18.02").count()
    assert int(_figure(html, "unregistered")) == villages - 1
    assert "village=33.18.02.2001" not in html and "village=33.18.02.2002" in html


def test_national_home_shows_figures_and_the_areas_furthest_behind(client, national_admin, village_staff):
    register(village_staff)
    rollup_reconcile(snapshot=False)
    client.force_login(national_admin)
    html = client.get("/").content.decode()
    assert _figure(html, "cooperatives") == "1"
    assert "Paling tertinggal" in html and "/dasbor/11/" in html  # Aceh: 0 % registered


def test_federation_director_sees_their_villages_figures(client, director):
    client.force_login(director)
    response = client.get("/")
    assert response.status_code == 200 and 'data-figure="cooperatives"' in response.content.decode()
