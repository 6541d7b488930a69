"""Private files: uploads and generated exports that are never served from the public media URL."""

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse
from django.http import Http404
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

__all__ = ["PrivateStorage", "private_file_response", "private_storage"]


class PrivateStorage(FileSystemStorage):
    """Files live outside the public media URL and are served only through a view that checks scope first."""

    @cached_property
    def base_location(self):
        # Read from the settings when first used (and again when MEDIA_ROOT changes), not at import.
        return self._value_or_setting(self._location, Path(settings.MEDIA_ROOT) / "private")


private_storage = PrivateStorage()


def private_file_response(stored, *, inline: bool = False) -> FileResponse:
    """
    Stream a stored file (any object with ``file``, ``original_name`` and ``content_type``) under its
    original name; a file lost from the storage is a 404, not a 500.
    """
    try:
        handle = stored.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("The file of this document is missing from the storage; upload it again.")) from None
    return FileResponse(handle, as_attachment=not inline, filename=stored.original_name,
                        content_type=stored.content_type)
