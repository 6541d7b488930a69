"""Co-working spaces: bookings never overlap (also weekly ones, reported per week), cancellation, monthly usage."""

from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.utils import timezone

from kegiatan import services
from kegiatan.models import BookerKind
from kegiatan.models import Booking
from kegiatan.models import BookingStatus
from kegiatan.models import ResourceKind
from kegiatan.models import SpaceOwnerKind
from kegiatan.selectors import space_usage
from tests.conftest import SUKOLILO
from tests.conftest import client_login

pytestmark = pytest.mark.django_db


def _next_monday() -> date:
    today = timezone.localdate()
    return today + timedelta(days=7 - today.weekday())


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=timezone.get_current_timezone())


@pytest.fixture
def room(sukolilo_officer):
    space = services.space_create(actor=sukolilo_officer, name="Ruang Kreatif Sukolilo",
                                  owner_kind=SpaceOwnerKind.KECAMATAN, region_code=SUKOLILO)
    return services.resource_add(actor=sukolilo_officer, space=space, name="Ruang rapat", kind=ResourceKind.ROOM,
                                 capacity=20, opens_at=time(8), closes_at=time(17), open_days="12345")


def _book(actor, room, day, start, end, **kwargs):
    return services.booking_create(actor=actor, resource=room, booker_name=kwargs.pop("name", "Karang Taruna"),
                                   booker_kind=kwargs.pop("kind", BookerKind.PUBLIC), starts_at=_at(day, start),
                                   ends_at=_at(day, end), **kwargs)


def test_overlapping_bookings_of_one_room_are_refused(sukolilo_officer, room):
    monday = _next_monday()
    _book(sukolilo_officer, room, monday, 9, 11)
    for start, end in ((10, 12), (8, 10), (9, 11), (8, 12)):
        with pytest.raises(ValidationError) as error:
            _book(sukolilo_officer, room, monday, start, end)
        assert "starts_at" in error.value.message_dict
    _book(sukolilo_officer, room, monday, 11, 12)  # touching is not overlapping
    assert Booking.objects.filter(resource=room).count() == 2


def test_closed_hours_and_capacity_are_refused(sukolilo_officer, room):
    monday = _next_monday()
    with pytest.raises(ValidationError):
        _book(sukolilo_officer, room, monday, 7, 9)
    with pytest.raises(ValidationError):
        _book(sukolilo_officer, room, monday + timedelta(days=5), 9, 10)  # Saturday
    with pytest.raises(ValidationError):
        _book(sukolilo_officer, room, monday, 9, 10, people=21)


def test_a_cancelled_booking_frees_its_time(sukolilo_officer, room):
    monday = _next_monday()
    booking = _book(sukolilo_officer, room, monday, 13, 15)
    assert services.booking_cancel(actor=sukolilo_officer, booking=booking, reason="Acara diundur") == [booking]
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    _book(sukolilo_officer, room, monday, 13, 15)


def test_weekly_bookings_report_each_week_that_clashes(sukolilo_officer, room):
    monday = _next_monday()
    _book(sukolilo_officer, room, monday + timedelta(days=14), 14, 16, name="UMKM Batik")
    created, conflicts = services.booking_create_weekly(
        actor=sukolilo_officer, resource=room, booker_name="Komunitas Disabilitas Sukolilo",
        booker_kind=BookerKind.PUBLIC, first_day=monday, until=monday + timedelta(days=28), starts=time(15),
        ends=time(17), group="komunitas disabilitas")
    assert [b.starts_at.date() for b in created] == [monday, monday + timedelta(days=7),
                                                     monday + timedelta(days=21), monday + timedelta(days=28)]
    assert [day for day, _reason in conflicts] == [monday + timedelta(days=14)]
    assert "UMKM Batik" in conflicts[0][1]
    assert len({b.series for b in created}) == 1
    # When every week clashes nothing is booked.
    with pytest.raises(ValidationError):
        services.booking_create_weekly(actor=sukolilo_officer, resource=room, booker_name="X",
                                       booker_kind=BookerKind.UMKM, first_day=monday, until=monday + timedelta(days=7),
                                       starts=time(15), ends=time(16))


def test_monthly_usage_counts_bookings_hours_users_and_groups(sukolilo_officer, room):
    day = date(2026, 3, 2)  # a Monday
    for week in range(3):
        Booking.objects.create(resource=room, booker_name="Komunitas Tuli", booker_kind=BookerKind.PUBLIC,
                               group="komunitas disabilitas", starts_at=_at(day + timedelta(days=7 * week), 9),
                               ends_at=_at(day + timedelta(days=7 * week), 11), people=8)
    Booking.objects.create(resource=room, booker_name="UMKM Kopi", booker_kind=BookerKind.UMKM, group="UMKM",
                           starts_at=_at(day, 13), ends_at=_at(day, 14, 30))
    Booking.objects.create(resource=room, booker_name="Batal", booker_kind=BookerKind.UMKM, status="cancelled",
                           starts_at=_at(day, 15), ends_at=_at(day, 16))
    Booking.objects.create(resource=room, booker_name="April", booker_kind=BookerKind.UMKM,
                           starts_at=_at(date(2026, 4, 1), 9), ends_at=_at(date(2026, 4, 1), 10))
    usage = space_usage(room.space, date(2026, 3, 1))
    assert usage.bookings == 4
    assert usage.hours == 7.5
    assert usage.distinct_users == 2
    assert usage.groups == [("komunitas disabilitas", 3), ("UMKM", 1)]
    assert usage.by_kind == {"public": 3, "umkm": 1}


def test_village_staff_cannot_book_a_kecamatan_space(village_staff, room):
    with pytest.raises(PermissionDenied):
        _book(village_staff, room, _next_monday(), 9, 10)


def test_the_usage_report_exports_the_months_bookings(client, sukolilo_officer, room):
    day = date(2026, 3, 3)
    Booking.objects.create(resource=room, booker_name="Komunitas Tuli", booker_kind=BookerKind.PUBLIC,
                           group="komunitas disabilitas", starts_at=_at(day, 9), ends_at=_at(day, 11), people=8)
    client_login(client, sukolilo_officer)
    page = client.get(f"/kegiatan/ruang/{room.space_id}/?bulan=2026-03").content.decode()
    assert "komunitas disabilitas: 1" in page
    export = client.get(f"/kegiatan/ruang/{room.space_id}/pemakaian.csv?bulan=2026-03")
    lines = export.content.decode("utf-8-sig").splitlines()
    assert len(lines) == 2 and "Komunitas Tuli" in lines[1] and lines[1].endswith(";2.0")
    assert client.get(f"/kegiatan/ruang/{room.space_id}/pemakaian.pdf").status_code == 404


def test_cancelling_a_week_and_the_following_of_a_series(sukolilo_officer, room):
    monday = _next_monday()
    created, _conflicts = services.booking_create_weekly(
        actor=sukolilo_officer, resource=room, booker_name="Karang Taruna", booker_kind=BookerKind.PUBLIC,
        first_day=monday, until=monday + timedelta(days=21), starts=time(9), ends=time(10))
    cancelled = services.booking_cancel(actor=sukolilo_officer, booking=created[2], following=True)
    assert [b.pk for b in cancelled] == [created[2].pk, created[3].pk]
    assert Booking.objects.filter(series=created[0].series, status=BookingStatus.CONFIRMED).count() == 2


def test_a_booking_is_dated_within_a_month_back_and_a_year_ahead(sukolilo_officer, room):
    """1999 and 2926 had been booked: usage reports never show them, and years-old usage would change."""
    monday = _next_monday()
    for day in (monday - timedelta(days=7 * 6), monday + timedelta(days=7 * 53), date(1999, 12, 13)):
        with pytest.raises(ValidationError) as refused:
            _book(sukolilo_officer, room, day, 9, 10)
        assert "tanggal" in " ".join(refused.value.message_dict["starts_at"]).lower()
    _book(sukolilo_officer, room, monday - timedelta(days=14), 9, 10)  # a walk-in recorded afterwards
    _book(sukolilo_officer, room, monday + timedelta(days=7 * 50), 9, 10)
    assert Booking.objects.filter(resource=room).count() == 2


def test_cancelling_a_cancelled_booking_says_so(sukolilo_officer, room):
    booking = _book(sukolilo_officer, room, _next_monday(), 13, 15)
    services.booking_cancel(actor=sukolilo_officer, booking=booking)
    with pytest.raises(ValidationError) as refused:
        services.booking_cancel(actor=sukolilo_officer, booking=booking)
    assert "sudah dibatalkan" in refused.value.message_dict["booking"][0]


def test_a_weekly_series_ends_within_a_year(sukolilo_officer, room):
    monday = _next_monday()
    with pytest.raises(ValidationError) as refused:
        services.booking_create_weekly(actor=sukolilo_officer, resource=room, booker_name="Karang Taruna",
                                       booker_kind=BookerKind.PUBLIC, first_day=monday,
                                       until=monday + timedelta(days=7 * 53), starts=time(9), ends=time(10))
    assert "until" in refused.value.message_dict
    assert not Booking.objects.filter(resource=room).exists()
