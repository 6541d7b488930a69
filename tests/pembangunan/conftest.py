"""Helpers of the land and construction tests: a plot at each step of its ladder, photos with or without GPS."""

import io
from datetime import timedelta
from fractions import Fraction

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils import translation
from PIL import ExifTags
from PIL import Image

from core.roles import Role
from pembangunan import services
from tests.conftest import PATI
from tests.conftest import make_user
from tests.conftest import register


def _dms(value: float) -> tuple:
    value = abs(value)
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = round((value - degrees - minutes / 60) * 3600, 2)
    return (Fraction(degrees), Fraction(minutes), Fraction(seconds).limit_denominator(100))


def photo_upload(name: str = "lahan.jpg", *, size: tuple[int, int] = (64, 48), gps: tuple[float, float] | None = None,
                 fmt: str = "JPEG") -> SimpleUploadedFile:
    """A phone-like photo; with ``gps`` its EXIF carries that position (and a camera serial, which must go)."""
    image = Image.new("RGB", size, (120, 160, 90))
    exif = Image.Exif()
    exif[ExifTags.Base.BodySerialNumber] = "CAMERA-SERIAL-123"
    exif[ExifTags.Base.Artist] = "Budi Santoso"
    if gps:
        latitude, longitude = gps
        exif[ExifTags.IFD.GPSInfo] = {
            ExifTags.GPS.GPSLatitudeRef: "S" if latitude < 0 else "N", ExifTags.GPS.GPSLatitude: _dms(latitude),
            ExifTags.GPS.GPSLongitudeRef: "W" if longitude < 0 else "E", ExifTags.GPS.GPSLongitude: _dms(longitude),
        }
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, exif=exif.tobytes())
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def record(actor, cooperative, **kwargs):
    kwargs.setdefault("name", "Tanah kas desa Dusun Krajan")
    kwargs.setdefault("area_m2", 1200)
    kwargs.setdefault("owner_kind", "tanah_kas_desa")
    kwargs.setdefault("legal_status", "sertifikat")
    kwargs.setdefault("latitude", "-6.812345")
    kwargs.setdefault("longitude", "111.001234")
    kwargs.setdefault("unit_type_codes", ["gerai_sembako", "pergudangan"])
    return services.plot_record(actor=actor, cooperative=cooperative, **kwargs)


def verified_plot(recorder, verifier, cooperative, **kwargs):
    plot = record(recorder, cooperative, **kwargs)
    plot = services.plot_survey(actor=recorder, plot=plot, surveyed_on=timezone.localdate() - timedelta(days=20))
    return services.plot_verify(actor=verifier, plot=plot)


def start_project(verifier, plot, **kwargs):
    today = timezone.localdate()
    kwargs.setdefault("title", "Gerai dan gudang")
    kwargs.setdefault("building_area_m2", 600)
    kwargs.setdefault("contract_value", 1_600_000_000)
    kwargs.setdefault("contract_date", today - timedelta(days=60))
    kwargs.setdefault("planned_start", today - timedelta(days=50))
    kwargs.setdefault("planned_finish", today + timedelta(days=50))
    kwargs.setdefault("contractor_name", "CV Karya Pati")
    return services.project_create(actor=verifier, plot=plot, **kwargs)


@pytest.fixture(autouse=True)
def english_messages():
    """Service messages are asserted in English (the msgids); pages keep the portal's language per request."""
    with translation.override("en"):
        yield


@pytest.fixture
def dinas(db):
    return make_user(Role.KABUPATEN_OFFICER, PATI)


@pytest.fixture
def cooperative(village_staff):
    return register(village_staff)
