"""
Decoding uploaded images strictly. WeasyPrint, once imported (any process that has drawn a PDF), sets PIL's
``ImageFile.LOAD_TRUNCATED_IMAGES`` for the whole process, so that a damaged image in a document still prints. An
upload must not be taken that way: a photo cut off on a slow link would be stored half grey.
"""

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from PIL import ImageFile

__all__ = ["strict_image_decoding"]

_FLAG = threading.Lock()


@contextmanager
def strict_image_decoding() -> Iterator[None]:
    """Within this block a truncated image raises ``OSError`` when decoded, whatever the process set before."""
    with _FLAG:  # the flag is a module global: one strict decode at a time, and it is put back after
        previous = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = previous
