"""Numbers as the reader's language writes them (core.formatting.grouped, ``number``), and amounts read back."""

from decimal import Decimal

import pytest
from django import forms
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template import Context
from django.template import Template
from django.utils import translation

from core.formatting import grouped
from core.formatting import whole_rupiah
from core.forms import RupiahField
from core.forms import WholeNumberField


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


def test_percentages_are_written_as_number_format_writes_them():
    """decimal_text is number_format's output for the rounded Decimals indicators give, in every language."""
    from django.utils.formats import number_format

    from core.formatting import decimal_text
    from reports.indicators import percent_of

    values = [percent_of(count, base, precision) for base in (1, 3, 7, 83762) for count in range(0, 8)
              for precision in (0, 1, 2)]
    values += [Decimal("-0.0"), Decimal("-4.7"), Decimal("1234.56"), Decimal("4.75"), Decimal("4"), Decimal("0E-2")]
    for language in ("id", "en"):
        with translation.override(language):
            for value in values:
                for places in (0, 1, 2):
                    assert decimal_text(value, places) == number_format(value, decimal_pos=places, use_l10n=True), (
                        language, value, places)
    with translation.override("id"):
        assert decimal_text(percent_of(47, 1000, 1), 1) == "4,7" and decimal_text(percent_of(1, 3, 2), 2) == "33,33"



def test_rupiah_are_grouped_and_kept_on_one_line_and_headline_amounts_never_show_bare_digits():
    template = Template("{% load portal %}{{ amount|rupiah }}|{{ small|amount_in_words }}|{{ big|amount_in_words }}")
    context = Context({"amount": 1_250_000, "small": 600_000, "big": 1_200_000})
    with translation.override("id"):
        assert template.render(context) == "Rp\xa01.250.000|600.000|1,2 juta"
    with translation.override("en"):
        assert template.render(context) == "Rp\xa01,250,000|600,000|1.2 million"


def test_a_long_lists_pagination_groups_its_row_count():
    from django.core.paginator import Paginator
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    page = Paginator(range(1011), 50).get_page(1)
    with translation.override("id"):
        html = render_to_string("includes/pagination.html", {"page": page, "request": RequestFactory().get("/")})
    assert "Halaman 1 dari 21 (1.011 baris)" in html


@pytest.mark.parametrize(("typed", "rupiah"), [
    ("50000000", 50_000_000), ("50.000.000", 50_000_000), ("50,000,000", 50_000_000), ("Rp 50.000.000", 50_000_000),
    ("Rp50.000.000,-", 50_000_000), ("10.000,00", 10_000), ("50,000,000.00", 50_000_000), ("1.500", 1_500),
    ("Rp\xa01.250.000", 1_250_000),
])
def test_amounts_are_read_as_typed_or_printed(typed, rupiah):
    assert whole_rupiah(typed) == rupiah


@pytest.mark.parametrize(("typed", "refusal"), [
    ("1.000.000,50", "sen"), ("2500,50", "sen"), ("1,5", "sen"), ("12.5", "sen"),
    ("1.000,000", "invalid"), ("1.5000", "invalid"), ("-100", "invalid"), ("1,5 juta", "invalid"),
    ("１２３", "invalid"), ("1.000.50", "invalid"),
])
def test_an_amount_with_sen_or_irregular_groups_is_refused_never_read_otherwise(typed, refusal):
    with pytest.raises(forms.ValidationError) as refused:
        RupiahField().clean(typed)
    assert refused.value.code == refusal


@pytest.mark.parametrize(("typed", "number"), [("1500", 1_500), ("1.500", 1_500), ("1,500", 1_500), ("1.000", 1_000),
                                               (" 12.345.678 ", 12_345_678), ("0", 0)])
def test_a_whole_number_typed_with_indonesian_grouping_is_read_in_full(typed, number):
    """Django's IntegerField had read "1.000" as 1: a plot of a thousand m² became one m²."""
    assert WholeNumberField().clean(typed) == number


@pytest.mark.parametrize("typed", ["1.5", "1.000,5", "1,5", "1.000.00", "-1.000", "１２３", "12 orang"])
def test_a_whole_number_with_decimals_or_other_characters_is_refused(typed):
    with pytest.raises(forms.ValidationError) as refused:
        WholeNumberField(min_value=-10).clean(typed)
    assert refused.value.code == "invalid"
