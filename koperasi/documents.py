"""Checks on uploaded stage documents: type by content (not by name), size, and integrity."""

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image
from PIL import UnidentifiedImageError

from core.imaging import strict_image_decoding

__all__ = ["MAX_IMAGE_PIXELS", "CheckedUpload", "check_upload"]

MAX_IMAGE_PIXELS = 40_000_000  # a 40-megapixel photo is plenty for a document

_EXTENSIONS = {
    "application/pdf": {".pdf"},
    "image/jpeg": {".jpg", ".jpeg"},
    "image/png": {".png"},
}


@dataclass(frozen=True)
class CheckedUpload:
    content_type: str
    size: int
    sha256: str
    extension: str


def _sniff(head: bytes) -> str | None:
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    return None


def check_upload(upload) -> CheckedUpload:
    """
    Accept a PDF, JPG or PNG no larger than ``DOCUMENT_MAX_BYTES``. The type is read from the file's
    bytes and must agree with its extension; images must decode and PDFs must be complete, so a
    renamed executable or a truncated scan is refused with a message saying why.
    """
    name = getattr(upload, "name", "") or ""
    size = getattr(upload, "size", None) or 0
    limit = settings.DOCUMENT_MAX_BYTES
    if size == 0:
        raise ValidationError(_("The file “%(name)s” is empty.") % {"name": name})
    if size > limit:
        raise ValidationError(
            _("The file “%(name)s” is %(size)s; the limit is %(limit)s.")
            % {"name": name, "size": filesizeformat(size), "limit": filesizeformat(limit)}
        )
    upload.seek(0)
    content = upload.read()
    upload.seek(0)
    content_type = _sniff(content[:16])
    extension = Path(name).suffix.lower()
    if content_type is None:
        raise ValidationError(
            _("The file “%(name)s” is not a PDF, JPG or PNG document.") % {"name": name}
        )
    if extension not in _EXTENSIONS[content_type]:
        raise ValidationError(
            _("The file “%(name)s” contains a %(kind)s but its name says otherwise; rename it and upload it again.")
            % {"name": name, "kind": content_type.split("/")[1].upper()}
        )
    if content_type == "application/pdf":
        if b"%%EOF" not in content[-2048:]:
            raise ValidationError(_("The PDF “%(name)s” is incomplete or damaged.") % {"name": name})
    else:
        try:
            with Image.open(io.BytesIO(content)) as image:
                # The header's size is read before any pixel: a small file declaring a huge image (a
                # decompression bomb) is refused here, before anything decodes it.
                if image.width * image.height > MAX_IMAGE_PIXELS:
                    raise ValidationError(
                        _("The image “%(name)s” is %(width)s × %(height)s pixels; at most %(limit)s megapixels are "
                          "accepted. Scan or photograph it at a lower resolution.")
                        % {"name": name, "width": image.width, "height": image.height,
                           "limit": MAX_IMAGE_PIXELS // 1_000_000})
                image.verify()
            with Image.open(io.BytesIO(content)) as image, strict_image_decoding():
                image.load()  # verify() reads the structure only: an image cut off in transfer fails here
        except Image.DecompressionBombError:  # declared far beyond the limit: PIL refuses to open it at all
            raise ValidationError(
                _("The image “%(name)s” declares far more than %(limit)s megapixels; scan or photograph it at a "
                  "lower resolution.") % {"name": name, "limit": MAX_IMAGE_PIXELS // 1_000_000}) from None
        except (UnidentifiedImageError, OSError, SyntaxError):
            raise ValidationError(_("The image “%(name)s” is damaged and cannot be opened.") % {"name": name}) from None
    return CheckedUpload(
        content_type=content_type, size=size, sha256=hashlib.sha256(content).hexdigest(), extension=extension
    )
