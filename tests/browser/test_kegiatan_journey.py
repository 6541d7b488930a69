"""
Events in a real browser: a kecamatan officer takes attendance at a rakor on a 390 px phone; a district officer
records three cooperative–partner meetings at a business-matching day and sees the pipeline on the dashboard.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.roles import Role
from kegiatan import services
from kegiatan.models import Attendee
from kegiatan.models import AttendeeRole
from kegiatan.models import Deal
from kegiatan.models import EventKind
from kegiatan.models import PartnerKind
from tests.conftest import PAKEM
from tests.conftest import PATI
from tests.conftest import PRAWOTO
from tests.conftest import SUKOLILO
from tests.conftest import assert_accessible
from tests.conftest import browser_login
from tests.conftest import fits_the_screen
from tests.conftest import make_user
from tests.conftest import register
from tests.conftest import seed_board

pytestmark = [pytest.mark.browser]



def _rakor(officer, region=SUKOLILO, kind=EventKind.RAKOR, title="Rakor percepatan KDKMP Kec. Sukolilo"):
    starts = timezone.now() - timedelta(minutes=30)
    return services.event_create(actor=officer, title=title, kind=kind, starts_at=starts,
                                 ends_at=starts + timedelta(hours=3), place="Aula Kantor Camat", region_code=region)


def test_a_kecamatan_officer_takes_attendance_at_a_rakor_on_a_phone(page):
    officer = make_user(Role.KECAMATAN_OFFICER, SUKOLILO, full_name="Camat Sukolilo")
    staff = make_user(Role.VILLAGE_STAFF, PRAWOTO)
    cooperative = register(staff)
    people, _kades = seed_board(staff, cooperative)
    event = _rakor(officer)
    services.event_invite(actor=officer, event=event, region_codes=[SUKOLILO])
    invited = event.invitations.count()

    browser_login(page, officer.email)
    assert page.viewport_size["width"] == 390
    page.goto(page.base_url + f"/kegiatan/{event.pk}/")
    page.locator("#take-attendance").click()
    page.wait_for_url(f"**/kegiatan/{event.pk}/hadir/")
    assert fits_the_screen(page)
    assert_accessible(page)

    # The ketua comes to the door with a KTP: found by the full NIK, which the page shows masked.
    page.fill("#q", people[0].nik)
    page.locator("form[role=search] button[type=submit]").click()
    match = page.locator(".matches li", has_text=people[0].name)
    assert people[0].nik not in page.content()
    assert people[0].nik[:4] + "••••••••" + people[0].nik[12:] in match.inner_text()
    assert match.locator("select").input_value() == AttendeeRole.PENGURUS
    match.locator("button[type=submit]").click()
    page.wait_for_load_state("domcontentloaded")
    assert page.locator("[data-figure=coverage]").inner_text().startswith(f"1 dari {invited} desa")

    # The kepala desa of Pakem has no member record: added quickly.
    page.fill("#id_name", "Sutrisno")
    page.select_option("#id_role", AttendeeRole.KEPALA_DESA)
    page.select_option("#id_village", PAKEM)
    page.fill("#id_phone", "0812 3456 7890")
    page.locator("form:has(input[name=operation][value=add]) button[type=submit]").click()
    page.wait_for_load_state("domcontentloaded")
    assert page.locator("[data-figure=coverage]").inner_text() == f"2 dari {invited} desa, kepala desa dari 1"
    assert "Sutrisno" in page.locator("#recent-title + ul").inner_text()
    assert fits_the_screen(page)
    assert_accessible(page)

    # A wrong NIK is a field error, not a crash, and nothing is added.
    page.fill("#id_name", "Tamu")
    page.select_option("#id_role", AttendeeRole.BPD)
    page.select_option("#id_village", PAKEM)
    page.fill("#id_nik", "12345")
    page.locator("form:has(input[name=operation][value=add]) button[type=submit]").click()
    assert page.locator(".error-summary").is_visible()
    assert Attendee.objects.filter(event=event).count() == 2
    assert_accessible(page)


def test_a_district_officer_records_three_meetings_and_sees_the_pipeline_on_the_dashboard(page):
    officer = make_user(Role.KABUPATEN_OFFICER, PATI, full_name="Dinas Koperasi Pati")
    admin = make_user(Role.NATIONAL_ADMIN)
    staff = make_user(Role.VILLAGE_STAFF, PRAWOTO)
    prawoto = register(staff)
    pakem = register(make_user(Role.VILLAGE_STAFF, PAKEM), PAKEM)
    bank = services.partner_create(actor=admin, name="Bank Rakyat Indonesia", kind=PartnerKind.HIMBARA)
    pos = services.partner_create(actor=admin, name="PT Pos Indonesia", kind=PartnerKind.POS)
    event = _rakor(officer, region=PATI, kind=EventKind.BUSINESS_MATCHING, title="Temu Usaha KDKMP Pati")

    browser_login(page, officer.email)
    page.goto(page.base_url + f"/kegiatan/{event.pk}/")
    meetings = [(prawoto, bank, "financing", "500.000.000"), (prawoto, pos, "procurement", "Rp 75.000.000"),
                (pakem, pos, "mentoring", "0")]
    for cooperative, partner, kind, value in meetings:
        details = page.locator("#record-meeting")
        if details.get_attribute("open") != "":
            details.locator("summary").click()
        page.fill("#id_village", cooperative.village_id)
        page.select_option("#id_partner", str(partner.pk))
        page.select_option("#id_kind", kind)
        page.fill("#id_value", value)
        page.fill("#id_next_step", "Kunjungan lapangan")
        page.locator("#record-meeting button[type=submit]").click()
        page.wait_for_load_state("domcontentloaded")
        assert page.locator(".messages").is_visible()
    assert Deal.objects.filter(event=event).count() == 3
    assert page.locator("[data-figure=event-pipeline]").inner_text() == "Rp\xa0575.000.000"
    assert_accessible(page)

    page.goto(page.base_url + "/dasbor/")
    assert page.locator("[data-figure=pipeline-value]").inner_text() == "575.000.000"
    assert fits_the_screen(page)
    assert_accessible(page)
