"""Forms of the bendahara's savings pages. Amounts are typed as printed (RupiahField); services decide the rules."""

import uuid
from decimal import Decimal
from decimal import InvalidOperation

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.formatting import grouped
from core.forms import RupiahField
from core.forms import StyledFormMixin
from core.forms import WholeNumberField

from .models import WajibPeriod

__all__ = ["PaymentForm", "PayoutForm", "ReversalForm", "SavingsSettingForm", "ShuForm", "SukarelaForm",
           "parse_member_amounts"]


class SavingsSettingForm(StyledFormMixin, forms.Form):
    effective_from = forms.DateField(label=_("Effective from"))
    pokok_amount = RupiahField(label=_("Simpanan pokok (once)"), min_value=1)
    wajib_amount = RupiahField(label=_("Simpanan wajib per period"), min_value=1)
    wajib_period = forms.ChoiceField(label=_("Wajib period"), choices=WajibPeriod.choices)
    basis = forms.CharField(label=_("Basis (AD/ART article, meeting decision)"), max_length=200, required=False)


class _PostingForm(StyledFormMixin, forms.Form):
    amount = RupiahField(label=_("Amount (Rp)"), min_value=1)
    transaction_date = forms.DateField(label=_("Date of the transaction"), initial=timezone.localdate)
    reference = forms.CharField(label=_("Note"), max_length=200, required=False)
    # A new key each time the form is shown: the same form sent twice (pressed again, resent after a slow link
    # timed out, a second tab) posts once (services' submission_key).
    submission = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4, required=False)


class PaymentForm(_PostingForm):
    bill = forms.TypedChoiceField(label=_("Bill"), coerce=int)

    def __init__(self, *args, bills=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bill"].choices = [
            (bill.pk, f"{bill.get_kind_display()} {bill.period:%m/%Y} — Rp\u00a0{grouped(bill.outstanding)}")
            for bill in bills]
        self.order_fields(["bill", "amount", "transaction_date", "reference"])


class SukarelaForm(_PostingForm):
    direction = forms.ChoiceField(label=_("Transaction"),
                                  choices=[("deposit", _("Deposit")), ("withdrawal", _("Withdrawal"))])
    field_order = ["direction", "amount", "transaction_date", "reference"]


class PayoutForm(StyledFormMixin, forms.Form):
    """Everything a member who left holds, paid out: no amount to type (services.savings_payout)."""

    transaction_date = forms.DateField(label=_("Date of the payout"), initial=timezone.localdate)
    reference = forms.CharField(label=_("Note"), max_length=200, required=False,
                                help_text=_("E.g. paid in cash to the member, or to the heirs (name them)."))
    submission = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4, required=False)


class ReversalForm(StyledFormMixin, forms.Form):
    posting = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason for the reversal"), max_length=200)


class ShuForm(StyledFormMixin, forms.Form):
    year = WholeNumberField(label=_("Financial year"), min_value=2000, max_value=2100)
    surplus = RupiahField(label=_("Surplus (SHU) of the year"), min_value=1)
    jasa_modal_percent = forms.DecimalField(label=_("Jasa modal (% of SHU)"), min_value=0, max_value=100,
                                            decimal_places=2)
    jasa_usaha_percent = forms.DecimalField(label=_("Jasa usaha (% of SHU)"), min_value=0, max_value=100,
                                            decimal_places=2)
    other_allocations = forms.CharField(
        label=_("Other allocations"), widget=forms.Textarea(attrs={"rows": 4}), required=False,
        help_text=_("One per line, name = percent, e.g. cadangan = 40"))

    def clean_other_allocations(self):
        allocations = {}
        for number, line in enumerate(self.cleaned_data["other_allocations"].splitlines(), start=1):
            if not line.strip():
                continue
            name, _sep, percent = line.partition("=")
            try:
                basis_points = Decimal(percent.strip().replace(",", ".")) * 100
            except InvalidOperation:
                basis_points = None
            if (not name.strip() or basis_points is None or not basis_points.is_finite()
                    or basis_points != basis_points.to_integral_value() or not 0 <= basis_points <= 10_000):
                raise forms.ValidationError(_("Line %(number)s: write name = percent, e.g. cadangan = 40.") % {
                    "number": number})
            if name.strip() in allocations:  # the second line would silently replace the first
                raise forms.ValidationError(_("Line %(number)s: “%(name)s” is already allocated above.") % {
                    "number": number, "name": name.strip()})
            allocations[name.strip()] = int(basis_points)
        return allocations

    def basis_points(self, name: str) -> int:
        return int(self.cleaned_data[name] * 100)


def _member_key(member_number: str) -> str:
    text = member_number.strip()
    return str(int(text)) if text.isascii() and text.isdigit() else text


def member_amounts_text(lines) -> str:
    """The SHU lines' transactions as ``parse_member_amounts`` reads them, to edit the list rather than retype it."""
    return "\n".join(f"{line.member.member_number} = {grouped(line.transactions_basis)}" for line in lines
                     if line.transactions_basis)


def parse_member_amounts(cooperative, text: str) -> dict[int, int]:
    """
    Lines of ``member number = amount`` (amounts as printed: 1.250.000) into member id → rupiah; a line that
    names no member of the cooperative or has no whole amount is refused with its line number. A member number
    is matched with or without its leading zeros (12, 0012 and 00012 are the same member).
    """
    wanted = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        member_number, _sep, amount = line.replace(";", "=").partition("=")
        try:
            rupiah = RupiahField(min_value=0).clean(amount.strip())
        except forms.ValidationError:
            rupiah = None
        if not member_number.strip() or rupiah is None:
            raise forms.ValidationError(_("Line %(number)s: write member number = amount, e.g. 12 = 1,250,000.")
                                        % {"number": number})
        wanted[_member_key(member_number)] = (number, rupiah)
    known = {_member_key(member_number): pk
             for member_number, pk in cooperative.members.values_list("member_number", "pk")}
    missing = [f"{line} ({key})" for key, (line, _amount) in wanted.items() if key not in known]
    if missing:
        raise forms.ValidationError(_("No member with this number in the cooperative, line: %(lines)s.")
                                    % {"lines": ", ".join(missing)})
    return {known[key]: amount for key, (_line, amount) in wanted.items()}
