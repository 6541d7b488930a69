"""
Benchmark of kegiatan at the scale of a province-wide day (PostgreSQL). Prints figures; checks nothing.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> REDIS_URL=redis://127.0.0.1:6379/<n> \
        .venv/bin/python bench/kegiatan.py

On a database it migrates (and loads the region list into when empty), it builds an event with 2,000 invited
villages and 10,000 attendees, 20,000 deals over 2,000 cooperatives, and a room with 10,000 bookings, then
measures (median of 7): the coverage of the event, the door search by a full NIK, the pipeline summary of the
20,000 deals, one booking's conflict check, and the roll-up refresh of 50 villages and the full reconcile.
"""

import os
import random
import statistics
import sys
import time
from datetime import datetime
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402


def timed(label: str, function, repeat: int = 7) -> None:
    durations, queries = [], 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            function()
            durations.append(time.perf_counter() - started)
        queries = len(captured.captured_queries)
    print(f"{label:<58} {statistics.median(durations) * 1000:8.1f} ms  {queries:3d} queries")


def main() -> None:
    call_command("migrate", verbosity=0)
    from wilayah.models import Region

    if not Region.objects.exists():
        call_command("load_wilayah", verbosity=0)
    from accounts.models import RoleAssignment
    from accounts.models import User
    from core.roles import Role
    from kegiatan import services
    from kegiatan.models import Attendee
    from kegiatan.models import Booking
    from kegiatan.models import Deal
    from kegiatan.models import Event
    from kegiatan.models import EventInvitation
    from kegiatan.models import Partner
    from kegiatan.models import Resource
    from kegiatan.models import Space
    from kegiatan.selectors import attendee_search
    from kegiatan.selectors import event_coverage
    from kegiatan.selectors import pipeline_summary
    from kegiatan.services import member_attendee_role
    from koperasi.catalog import formation_catalog_ensure
    from koperasi.models import Cooperative
    from reports.services import rollup_reconcile
    from reports.services import rollup_refresh_villages
    from units.catalog import unit_catalog_ensure

    formation_catalog_ensure()
    unit_catalog_ensure()
    rng = random.Random(14)
    officer, _ = User.objects.get_or_create(email="bench-kegiatan@bench.kopdes.id",
                                            defaults={"full_name": "Bench Dinas Jawa Tengah"})
    RoleAssignment.objects.get_or_create(user=officer, role=Role.PROVINCE_OFFICER, region_id="33")
    admin, _ = User.objects.get_or_create(email="bench-admin@bench.kopdes.id",
                                          defaults={"full_name": "Bench Admin", "is_superuser": True})
    villages = list(Region.objects.filter(code__startswith="33.", level="village").order_by("code")
                    .values_list("code", flat=True)[:2000])
    with transaction.atomic():
        Booking.objects.filter(resource__space__name="Bench ruang").delete()
        Resource.objects.filter(space__name="Bench ruang").delete()
        Space.objects.filter(name="Bench ruang").delete()
        Deal.objects.filter(partner__name="Bench mitra").delete()
        Partner.objects.filter(name="Bench mitra").delete()
        Event.objects.filter(title="Bench temu usaha Jawa Tengah").delete()
        starts = timezone.now() - timedelta(hours=3)
        event = Event.objects.create(title="Bench temu usaha Jawa Tengah", kind="business_matching", region_id="33",
                                     organiser_name="Bench", place="Semarang", venue_village_id=villages[0],
                                     starts_at=starts, ends_at=starts + timedelta(hours=6), created_by=officer)
        EventInvitation.objects.bulk_create(EventInvitation(event=event, village_id=code) for code in villages)
        roles = ["kepala_desa", "sekretaris_desa", "bpd", "operator_desa", "pengurus"]
        Attendee.objects.bulk_create(
            Attendee(event=event, name=f"Peserta {n}", role=roles[n % 5], village_id=rng.choice(villages),
                     nik=f"3318{n:012d}" if n % 3 == 0 else "", recorded_by=officer) for n in range(10_000))
        existing = dict(Cooperative.objects.filter(village_id__in=villages).values_list("village_id", "id"))
        Cooperative.objects.bulk_create(
            Cooperative(village_id=code, name=f"Bench KDKMP {code}", kind="kdmp", formation_model="baru")
            for code in villages if code not in existing)
        cooperatives = list(Cooperative.objects.filter(village_id__in=villages).values_list("id", flat=True))
        partner = Partner.objects.create(name="Bench mitra", kind="bumn")
        Deal.objects.bulk_create(
            Deal(cooperative_id=rng.choice(cooperatives), partner=partner, kind=rng.choice(
                ["procurement", "project", "financing", "mentoring"]), stage=rng.choice(
                ["lead", "talks", "agreed", "running", "closed", "lost"]), title="Bench",
                value=rng.randrange(0, 2_000) * 1_000_000) for _ in range(20_000))
        space = Space.objects.create(name="Bench ruang", owner_kind="kecamatan", region_id="33.74.06")
        room = Resource.objects.create(space=space, name="Aula", kind="room", capacity=50,
                                       opens_at=datetime.min.time(), closes_at=datetime.max.time().replace(
                                           microsecond=0), open_days="1234567")
        day0 = timezone.localdate() - timedelta(days=5000)
        zone = timezone.get_current_timezone()
        Booking.objects.bulk_create(
            Booking(resource=room, booker_name="B", booker_kind="public",
                    starts_at=datetime.combine(day0 + timedelta(days=n // 2), datetime.min.time(), tzinfo=zone)
                    + timedelta(hours=9 + 4 * (n % 2)),
                    ends_at=datetime.combine(day0 + timedelta(days=n // 2), datetime.min.time(), tzinfo=zone)
                    + timedelta(hours=11 + 4 * (n % 2))) for n in range(10_000))
    call_command("shell", "-c", "from django.db import connection; connection.cursor().execute('ANALYZE')",
                 verbosity=0)
    print(f"event: {len(villages)} invited villages, 10,000 attendees; 20,000 deals over {len(cooperatives)} "
          f"cooperatives; one room with 10,000 bookings")
    timed("coverage of the event (12 of 13 … by role)", lambda: event_coverage(event))
    timed("door search by a full NIK", lambda: attendee_search(user=admin, event=event, text="3318011508850001",
                                                                suggested_role=member_attendee_role))
    timed("pipeline summary of 20,000 deals (by stage and kind)",
          lambda: pipeline_summary(Deal.objects.for_user(officer)))
    slot = datetime.combine(timezone.localdate() + timedelta(days=3), datetime.min.time(), tzinfo=zone)

    def book_and_undo():
        with transaction.atomic():
            services.booking_create(actor=admin, resource=room, booker_name="X", booker_kind="umkm",
                                    starts_at=slot + timedelta(hours=9), ends_at=slot + timedelta(hours=10))
            transaction.set_rollback(True)

    timed("one booking with its conflict check (locked)", book_and_undo)
    timed("roll-up refresh of 50 villages", lambda: rollup_refresh_villages(villages[:50]), repeat=3)
    timed("full roll-up reconcile (all columns, whole database)", lambda: rollup_reconcile(snapshot=False), repeat=1)


if __name__ == "__main__":
    main()
