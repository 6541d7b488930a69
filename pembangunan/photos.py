"""
Site photos from phones on slow links: checked like any upload, then recompressed here so what is stored and
served stays small. EXIF is dropped entirely (it can hold the phone's serial, the owner's name, …); the GPS
position survives only when the uploader ticked "keep location".
"""

import io
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import ExifTags
from PIL import Image
from PIL import ImageOps

from core.imaging import strict_image_decoding
from koperasi.documents import MAX_IMAGE_PIXELS

__all__ = ["PHOTO_MAX_BYTES", "PHOTO_MAX_DIMENSION", "PHOTO_QUALITY", "ProcessedPhoto", "process_photo"]

# A phone camera's JPEG is 2–8 MB; more is a raw or panorama nobody needs here.
PHOTO_MAX_BYTES = getattr(settings, "LAND_PHOTO_MAX_BYTES", 12 * 1024 * 1024)
# The long side kept: enough to see a wall's progress, ~200–400 KB as JPEG.
PHOTO_MAX_DIMENSION = 1600
PHOTO_QUALITY = 78


@dataclass(frozen=True)
class ProcessedPhoto:
    content: bytes
    width: int
    height: int
    latitude: Decimal | None
    longitude: Decimal | None
    taken_at: datetime | None


def _degrees(values, reference: str) -> Decimal | None:
    try:
        degrees, minutes, seconds = (float(value) for value in values)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    value = degrees + minutes / 60 + seconds / 3600
    if reference in ("S", "W"):
        value = -value
    return Decimal(f"{value:.6f}")


def _gps_of(exif: Image.Exif) -> tuple[Decimal | None, Decimal | None]:
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    if not gps:
        return None, None
    latitude = _degrees(gps.get(ExifTags.GPS.GPSLatitude), gps.get(ExifTags.GPS.GPSLatitudeRef, "N"))
    longitude = _degrees(gps.get(ExifTags.GPS.GPSLongitude), gps.get(ExifTags.GPS.GPSLongitudeRef, "E"))
    if latitude is None or longitude is None:
        return None, None
    return latitude, longitude


def _taken_at(exif: Image.Exif) -> datetime | None:
    text = exif.get_ifd(ExifTags.IFD.Exif).get(ExifTags.Base.DateTimeOriginal) or exif.get(ExifTags.Base.DateTime)
    try:
        return timezone.make_aware(datetime.strptime(str(text), "%Y:%m:%d %H:%M:%S"))
    except (TypeError, ValueError):
        return None


def process_photo(upload, *, keep_location: bool) -> ProcessedPhoto:
    """
    A JPG or PNG of at most ``PHOTO_MAX_BYTES``, returned as a JPEG whose long side is at most
    ``PHOTO_MAX_DIMENSION``, turned upright, without EXIF except (when ``keep_location``) its GPS position.
    """
    name = getattr(upload, "name", "") or ""
    size = getattr(upload, "size", 0) or 0
    if size > PHOTO_MAX_BYTES:
        raise ValidationError(
            _("The photo “%(name)s” is %(size)s; at most %(limit)s are accepted. Take it at a lower resolution or "
              "send it through a chat app first, which makes it smaller.")
            % {"name": name, "size": filesizeformat(size), "limit": filesizeformat(PHOTO_MAX_BYTES)})
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    kind = "JPEG" if head.startswith(b"\xff\xd8\xff") else "PNG" if head.startswith(b"\x89PNG\r\n\x1a\n") else None
    if size == 0 or kind is None:
        raise ValidationError(_("The file “%(name)s” is not a photo (JPG or PNG).") % {"name": name})
    try:
        with Image.open(upload) as probe:
            # The header's size is read before any pixel: a decompression bomb is refused before it decodes.
            if probe.width * probe.height > MAX_IMAGE_PIXELS:
                raise ValidationError(
                    _("The photo “%(name)s” is %(width)s × %(height)s pixels; at most %(limit)s megapixels are "
                      "accepted.") % {"name": name, "width": probe.width, "height": probe.height,
                                      "limit": MAX_IMAGE_PIXELS // 1_000_000})
            probe.verify()
    except Image.DecompressionBombError:
        raise ValidationError(_("The photo “%(name)s” declares far more than %(limit)s megapixels.")
                              % {"name": name, "limit": MAX_IMAGE_PIXELS // 1_000_000}) from None
    except (OSError, SyntaxError):
        raise ValidationError(_("The photo “%(name)s” is damaged and cannot be opened.") % {"name": name}) from None
    upload.seek(0)
    with Image.open(upload) as original:
        exif = original.getexif()
        latitude, longitude = _gps_of(exif) if keep_location else (None, None)
        taken_at = _taken_at(exif)
        try:
            # verify() reads a JPEG's structure, not its pixels: a photo cut off on a slow link fails only here.
            with strict_image_decoding():
                image = ImageOps.exif_transpose(original)
                image = image.convert("RGB")
        except (OSError, SyntaxError):
            raise ValidationError(_("The photo “%(name)s” is damaged and cannot be opened.")
                                  % {"name": name}) from None
        image.thumbnail((PHOTO_MAX_DIMENSION, PHOTO_MAX_DIMENSION), Image.Resampling.LANCZOS)
        kept = Image.Exif()
        if keep_location and latitude is not None:
            kept[ExifTags.IFD.GPSInfo] = exif.get_ifd(ExifTags.IFD.GPSInfo)
        buffer = io.BytesIO()
        image.save(buffer, format="JPEG", quality=PHOTO_QUALITY, optimize=True, progressive=True,
                   exif=kept.tobytes() if len(kept) else b"")
    upload.seek(0)
    return ProcessedPhoto(content=buffer.getvalue(), width=image.width, height=image.height, latitude=latitude,
                          longitude=longitude, taken_at=taken_at)

