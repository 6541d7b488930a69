"""
Every page a persona can reach by following links opens: each link on each page is followed (GET
only) and must answer with a page, a redirect, or a refusal — never a server error.
"""

from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta
from html.parser import HTMLParser
from urllib.parse import urljoin
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from core.roles import Role
from kegiatan import services as kegiatan_services
from pendampingan.services import visit_log
from reports.services import rollup_reconcile
from targets.services import target_create
from tests.conftest import PATI
from tests.conftest import PRAWOTO
from tests.conftest import SUKOLILO
from tests.conftest import complete_stage
from tests.conftest import make_user
from tests.conftest import register
from tests.conftest import seed_board
from tests.conftest import submit_stage

pytestmark = pytest.mark.django_db

# Links that leave the pages for files, the API's browsable views, or change the session.
SKIPPED_PREFIXES = ("/static/", "/api/", "/akun/logout/", "/i18n/", "/admin/")
MAX_PAGES = 250


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def _internal_links(base: str, html: str) -> set[str]:
    parser = _Links()
    parser.feed(html)
    links = set()
    for href in parser.hrefs:
        url = urlsplit(urljoin(base, href))
        if url.netloc in ("", "testserver") and url.path.startswith("/") and not url.path.startswith(SKIPPED_PREFIXES):
            links.add(url.path + (f"?{url.query}" if url.query else ""))
    return links


def _crawl(client) -> dict[str, int]:
    seen: dict[str, int] = {}
    queue = ["/"]
    while queue and len(seen) < MAX_PAGES:
        path = queue.pop(0)
        if path in seen:
            continue
        response = client.get(path)
        seen[path] = response.status_code
        if response.status_code in (301, 302):
            queue.append(response["Location"])
        elif response.status_code == 200 and "html" in response.get("Content-Type", ""):
            # Breadth first, the many area dashboards last: a national crawl would otherwise spend its page
            # budget on 38 provinces' dashboards before the apps' own pages.
            queue.extend(sorted(_internal_links(path, response.content.decode()) - set(seen),
                                key=lambda link: (link.startswith("/dasbor/"), link)))
    return seen


@pytest.fixture
def portal(village_staff, pati_officer, kabupaten_officer_2, sukolilo_officer):
    """A cooperative with a board, stages done and one awaiting review, a target, a visit, the roll-up."""
    cooperative = register(village_staff)
    seed_board(village_staff, cooperative)
    for code in ("sosialisasi", "musdesus"):
        complete_stage(village_staff, pati_officer, cooperative, code)
    submit_stage(village_staff, cooperative, "rapat_pendirian")
    target_create(actor=pati_officer, region_code=PATI, metric="stage", stage_code="musdesus",
                  start_date=date(2025, 4, 1), due_date=date(2026, 12, 31))
    visit_log(actor=sukolilo_officer, village_code=PRAWOTO, visited_on=date(2025, 5, 2), topic="Persiapan Musdesus",
              follow_up_on=date(2025, 5, 9))
    _kegiatan(sukolilo_officer, pati_officer, cooperative)
    rollup_reconcile()
    return cooperative


def _kegiatan(sukolilo_officer, pati_officer, cooperative):
    """A rakor with attendance, a partner with a deal, and a co-working space with a booking."""
    starts = timezone.make_aware(datetime(2025, 6, 2, 9))
    event = kegiatan_services.event_create(actor=sukolilo_officer, title="Rakor KDKMP", kind="rakor", starts_at=starts,
                                  ends_at=starts.replace(hour=12), place="Aula", region_code=SUKOLILO)
    kegiatan_services.event_invite(actor=sukolilo_officer, event=event, region_codes=[PRAWOTO])
    kegiatan_services.attendee_add(actor=sukolilo_officer, event=event, name="Kades", role="kepala_desa",
                                   village_code=PRAWOTO)
    partner = kegiatan_services.partner_create(actor=pati_officer, name="PD BPR Pati", kind="bumd", region_code=PATI)
    kegiatan_services.meeting_record(actor=pati_officer, cooperative=cooperative, partner=partner, kind="financing",
                                     value=1)
    space = kegiatan_services.space_create(actor=sukolilo_officer, name="Ruang Kreatif", owner_kind="kecamatan",
                                  region_code=SUKOLILO)
    room = kegiatan_services.resource_add(actor=sukolilo_officer, space=space, name="Aula", kind="room", capacity=30,
                                 opens_at=time(8), closes_at=time(17), open_days="1234567")
    day = timezone.localdate() + timedelta(days=1)
    kegiatan_services.booking_create(actor=sukolilo_officer, resource=room, booker_name="UMKM", booker_kind="umkm",
                            starts_at=timezone.make_aware(datetime.combine(day, time(9))),
                            ends_at=timezone.make_aware(datetime.combine(day, time(10))))


def _director_on_a_federation(pati_officer):
    """The director of a BUM Desa Bersama of Prawoto and Pakem, with its PT, a clinic and an agreement."""
    from accounts.models import RoleAssignment
    from bumdes import services

    bersama = services.bumdes_register(actor=pati_officer, kind="bum_desa_bersama",
                                       name="BUM Desa Bersama Mitra Sejahtera Pati", village_code=PRAWOTO,
                                       villages=[(PRAWOTO, 50_000_000), ("33.18.01.2002", 60_000_000)])
    federation = services.federation_register(actor=pati_officer, kind="bumdes_bersama", bumdes=bersama)
    company = services.federation_register(actor=pati_officer, kind="company", name="PT Mitra Bumdes",
                                           parent=federation, seat_code=PRAWOTO)
    services.site_create(actor=pati_officer, federation=company, kind="clinic", name="Klinik Prawoto",
                         village_code=PRAWOTO, latitude=-6.75, longitude=111.04)
    director = make_user(Role.VILLAGE_STAFF, PRAWOTO)
    director.role_assignments.all().delete()
    RoleAssignment.objects.create(user=director, role=Role.FEDERATION_DIRECTOR, federation=federation)
    return director


@pytest.mark.parametrize("persona", ["village_staff", "kabupaten_officer", "kecamatan_officer", "federation_director",
                                     "director_on_a_federation", "national_admin"])
def test_every_linked_page_opens_for_each_persona(client, portal, persona, village_staff, pati_officer,
                                                    sukolilo_officer):
    user = {
        "village_staff": lambda: village_staff, "kabupaten_officer": lambda: pati_officer,
        "kecamatan_officer": lambda: sukolilo_officer,
        "federation_director": lambda: make_user(Role.FEDERATION_DIRECTOR, PRAWOTO),
        "director_on_a_federation": lambda: _director_on_a_federation(pati_officer),
        "national_admin": lambda: make_user(Role.NATIONAL_ADMIN, is_superuser=False),
    }[persona]()
    client.force_login(user)

    statuses = _crawl(client)

    errors = {path: status for path, status in statuses.items() if status >= 500}
    assert not errors
    opened = [path for path, status in statuses.items() if status == 200]
    # The crawl reached the cooperative's own pages, not just the home page.
    assert any(path.startswith(f"/koperasi/{portal.pk}/") for path in opened), opened
    if persona == "director_on_a_federation":
        assert any(path.startswith("/dasbor/federasi/") for path in opened)
        assert any(path.startswith("/bumdes/lokasi/") for path in opened)
    if persona in ("kabupaten_officer", "kecamatan_officer"):
        assert any(path.startswith(f"/dasbor/{SUKOLILO}") or path.startswith(f"/dasbor/{PATI}") for path in opened)
