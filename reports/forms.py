from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import StyledFormMixin

__all__ = ["AsOfForm", "LetterheadForm"]


class LetterheadForm(StyledFormMixin, forms.Form):
    office_name = forms.CharField(label=_("Office name"), max_length=200,
                                  help_text=_("e.g. Dinas Koperasi dan UKM Kabupaten Pati"))
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    place = forms.CharField(label=_("Place"), max_length=100,
                            help_text=_("Written before the date under the report, e.g. Pati."))
    logo = forms.FileField(label=_("Logo"), required=False,
                           widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
                           help_text=_("PNG or JPG; leave empty to keep the current one."))
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)


class AsOfForm(StyledFormMixin, forms.Form):
    """The past day whose figures a dashboard, an export or a report shows (empty: now)."""

    as_of = forms.DateField(
        label=_("Figures as of"), required=False, input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        help_text=_("A past day: its figures as they stood at the end of that day. Empty: today's."))

    def clean_as_of(self):
        day = self.cleaned_data.get("as_of")
        if day and day >= timezone.localdate():
            raise forms.ValidationError(_("Give a past day; today's figures are the current ones."))
        return day
