from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import StyledFormMixin
from core.forms import VersionedFormMixin

from .models import PositionRole
from .models import Sex
from .models import VillageOffice

__all__ = ["MemberForm", "PositionForm"]


class MemberForm(VersionedFormMixin, StyledFormMixin, forms.Form):
    nik = forms.CharField(label=_("NIK"), max_length=24,
                          widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    name = forms.CharField(label=_("Name (as on the KTP)"), max_length=150)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices)
    birth_date = forms.DateField(label=_("Birth date"), required=False)
    domicile_code = forms.ChoiceField(label=_("Desa/kelurahan of domicile"))
    phone = forms.CharField(label=_("Phone"), required=False, max_length=30,
                            widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}))
    village_office = forms.ChoiceField(label=_("Village office held"), required=False,
                                       choices=[("", _("None")), *VillageOffice.choices])
    is_founder = forms.BooleanField(label=_("Founding member"), required=False)

    def __init__(self, *args, cooperative, **kwargs):
        super().__init__(*args, **kwargs)
        links = cooperative.villages.select_related("village")
        self.fields["domicile_code"].choices = [(link.village_id, link.village.name) for link in links]


class PositionForm(StyledFormMixin, forms.Form):
    member = forms.ChoiceField(label=_("Member"))
    role = forms.ChoiceField(label=_("Position"), choices=PositionRole.choices)
    started_on = forms.DateField(label=_("From"), required=False)

    def __init__(self, *args, cooperative, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [(member.pk, member.name) for member in cooperative.members.order_by("name")]
