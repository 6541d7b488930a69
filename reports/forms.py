from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import StyledFormMixin

__all__ = ["LetterheadForm"]


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
