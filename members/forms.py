from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import StyledFormMixin
from core.forms import VersionedFormMixin

from .models import MemberStatus
from .models import PositionRole
from .models import Sex
from .models import VillageOffice

__all__ = ["ApplicationDecisionForm", "MemberForm", "MemberStatusForm", "PositionForm", "SelfRegistrationForm"]


class MemberForm(VersionedFormMixin, StyledFormMixin, forms.Form):
    nik = forms.CharField(label=_("NIK"), max_length=24,
                          widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    name = forms.CharField(label=_("Name (as on the KTP)"), max_length=150)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices)
    birth_date = forms.DateField(label=_("Birth date"), required=False)
    domicile_code = forms.ChoiceField(label=_("Desa/kelurahan of domicile"))
    phone = forms.CharField(label=_("Phone"), required=False, max_length=30,
                            widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}))
    address = forms.CharField(label=_("Address (street, house number or dusun)"), required=False, max_length=200)
    rt = forms.CharField(label=_("RT"), required=False, max_length=3,
                         widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    rw = forms.CharField(label=_("RW"), required=False, max_length=3,
                         widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    occupation = forms.CharField(label=_("Occupation"), required=False, max_length=100)
    joined_on = forms.DateField(label=_("Joined on"), required=False, help_text=_("Empty: today."))
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
        # Active members only, each with their number: two members may share a name.
        self.fields["member"].choices = [
            (pk, f"{name} ({number})") for pk, name, number in cooperative.members.filter(status=MemberStatus.AKTIF)
            .order_by("name", "member_number").values_list("pk", "name", "member_number")]


class MemberStatusForm(StyledFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=MemberStatus.choices)
    status_on = forms.DateField(label=_("Since"), required=False)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=250)


class SelfRegistrationForm(StyledFormMixin, forms.Form):
    """The public membership application. ``website`` is a trap for robots: people never see it."""

    village = forms.CharField(label=_("Your desa/kelurahan"), max_length=100,
                              help_text=_("Type its name, e.g. Prawoto."))
    village_code = forms.ChoiceField(label=_("Which one?"), required=False)
    nik = forms.CharField(label=_("NIK"), max_length=24,
                          widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    name = forms.CharField(label=_("Name (as on the KTP)"), max_length=150)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices)
    birth_date = forms.DateField(label=_("Birth date"), required=False)
    address = forms.CharField(label=_("Address (street, house number or dusun)"), max_length=200)
    rt = forms.CharField(label=_("RT"), required=False, max_length=3,
                         widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    rw = forms.CharField(label=_("RW"), required=False, max_length=3,
                         widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    occupation = forms.CharField(label=_("Occupation"), required=False, max_length=100)
    phone = forms.CharField(label=_("Phone"), max_length=30,
                            widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}))
    consent = forms.BooleanField(label=_(
        "I agree that the cooperative's pengurus processes these data to decide on my membership (UU PDP 27/2022)."))
    website = forms.CharField(label=_("Leave this field empty"), required=False,
                              widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}))

    def __init__(self, *args, village_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village_code"].choices = [("", "—"), *village_choices]
        if not village_choices:
            self.fields["village_code"].widget = forms.HiddenInput()


class ApplicationDecisionForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason for refusal"), required=False, max_length=250)
