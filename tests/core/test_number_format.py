"""Whole numbers as the reader's language writes them (core.formatting.grouped, the templates' ``number``)."""

from decimal import Decimal

from django.contrib.humanize.templatetags.humanize import intcomma
from django.template import Context
from django.template import Template
from django.utils import translation

from core.formatting import grouped


def test_whole_numbers_are_grouped_with_the_languages_separator():
    with translation.override("id"):
        assert grouped(83762) == "83.762" and grouped(1_000_000) == "1.000.000" and grouped(-8158) == "-8.158"
        assert grouped(999) == "999" and grouped(0) == "0"
    with translation.override("en"):
        assert grouped(83762) == "83,762" and grouped(-1_234_567) == "-1,234,567"


def test_without_an_active_language_numbers_are_written_as_intcomma_writes_them():
    with translation.override(None):
        assert grouped(83762) == intcomma(83762)


def test_anything_but_a_whole_number_is_written_as_intcomma_writes_it():
    for language in ("id", "en"):
        with translation.override(language):
            for value in (1234.5, Decimal("98765.25"), "12345", None, "", True):
                assert grouped(value) == intcomma(value), (language, value)


def test_templates_write_numbers_through_the_number_filter():
    template = Template("{% load portal %}{{ members|number }} anggota")
    with translation.override("id"):
        assert template.render(Context({"members": 1_000_000})) == "1.000.000 anggota"
