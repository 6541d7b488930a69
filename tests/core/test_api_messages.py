"""The API answers in Indonesian by default, also where Django REST framework's own catalogue has no Indonesian."""

import inspect

from django.utils import translation
from rest_framework import exceptions
from rest_framework import fields
from rest_framework import relations
from rest_framework import serializers


def _drf_messages():
    """Every error message of DRF's fields and relations and every exception's default text."""
    for module in (fields, relations, serializers):
        for name, cls in inspect.getmembers(module, inspect.isclass):
            for key, message in getattr(cls, "default_error_messages", {}).items():
                yield f"{name}.{key}", message
    for name, cls in inspect.getmembers(exceptions, inspect.isclass):
        if issubclass(cls, exceptions.APIException) and cls.__module__ == exceptions.__name__:
            yield name, cls.default_detail
            for extra in ("extra_detail_singular", "extra_detail_plural"):
                if hasattr(cls, extra):
                    yield f"{name}.{extra}", getattr(cls, extra)


def test_every_message_drf_may_answer_with_reads_in_indonesian():
    untranslated = []
    for where, message in _drf_messages():
        with translation.override("en"):
            english = str(message)
        with translation.override("id"):
            indonesian = str(message)
        if indonesian == english:
            untranslated.append(f"{where}: {english}")
    assert not untranslated, "add them to core/api/drf_messages.py and translate them:\n" + "\n".join(untranslated)



def test_the_api_says_how_long_to_wait_in_indonesian():
    with translation.override("id"):
        detail = str(exceptions.Throttled(wait=41).detail)
    assert detail == "Permintaan ini telah dibatasi. Tersedia lagi dalam 41 detik."
