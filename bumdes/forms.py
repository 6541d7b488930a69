"""
The shape of the input of the BUMDes, federation, site and agreement pages; the services check the meaning.
Villages are picked with the portal's region picker; a cooperative is picked by its desa/kelurahan.
"""

import re
from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import RupiahField
from core.forms import StyledFormMixin
from core.forms import VersionedFormMixin
from core.forms import WholeNumberField
from core.roles import Action
from core.scoping import Scope
from core.scoping import scope_for
from koperasi.models import Cooperative
from wilayah.forms import RegionField
from wilayah.models import Region
from wilayah.models import RegionLevel

from .models import AgreementKind
from .models import Bumdes
from .models import BumdesClass
from .models import BumdesKind
from .models import BumdesOrgan
from .models import BusinessSector
from .models import BusinessSite
from .models import Federation
from .models import FederationKind
from .models import SiteKind
from .models import SiteStatus
from .selectors import member_village_codes

__all__ = [
    "AgreementForm",
    "BumdesEditForm",
    "BumdesRegisterForm",
    "BusinessLineForm",
    "CapitalForm",
    "ClassificationForm",
    "FederationEditForm",
    "FederationRegisterForm",
    "MemberCooperativeForm",
    "MemberVillageForm",
    "MembershipEndForm",
    "OfficerForm",
    "SiteFigureForm",
    "SiteForm",
    "VillageCapitalListField",
]

_VILLAGE = (RegionLevel.VILLAGE,)


class VillageCapitalListField(forms.Field):
    """
    The founding desa of a joint BUMDes with their capital, one per line: "<desa> = <amount>", the desa picked
    like in the region picker (a name, or a code). Cleans to (code, amount) pairs; every bad line is reported.
    """

    widget = forms.Textarea(attrs={"rows": 6})

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.region = RegionField(action=Action.VIEW, levels=_VILLAGE)
        self.amount = RupiahField()

    def for_user(self, user) -> "VillageCapitalListField":
        self.region.for_user(user)
        return self

    def to_python(self, value):
        pairs, errors = [], []
        for line in str(value or "").splitlines():
            line = line.strip()
            if not line:
                continue
            place, _sep, amount = line.rpartition("=") if "=" in line else (line, "", "0")
            try:
                region = self.region.clean(place.strip())
                if region is None:
                    raise forms.ValidationError(_("Name the desa."))
                pairs.append((region.code, self.amount.clean(amount.strip())))
            except forms.ValidationError as error:
                errors.extend(f"{line}: {message}" for message in error.messages)
        if errors:
            raise forms.ValidationError(errors)
        return pairs


class BumdesRegisterForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=BumdesKind.choices)
    village = RegionField(label=_("Seat (desa)"), action=Action.MANAGE_BUMDES, levels=_VILLAGE,
                          help_text=_("The desa of its office; for a BUM Desa, its own desa."))
    name = forms.CharField(label=_("Name"), max_length=200,
                           help_text=_("Starts with “BUM Desa” (or “BUM Desa Bersama”) and ends with the name of the "
                                       "desa, in Indonesian words."))
    capital = RupiahField(label=_("Capital put in by the desa (Rp)"), required=False,
                          help_text=_("For a BUM Desa: the desa's capital participation."))
    villages = VillageCapitalListField(
        label=_("Founding desa and their capital"), required=False,
        help_text=_("For a BUM Desa Bersama: one desa per line, its capital after “=”, e.g. “Prawoto = 75.000.000”."),
    )
    address = forms.CharField(label=_("Address"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    founded_on = forms.DateField(label=_("Founded on"), required=False)
    name_registration_number = forms.CharField(label=_("Name registration number"), max_length=100, required=False)
    regulation_number = forms.CharField(label=_("Perdes / Perber number"), max_length=100, required=False)
    regulation_date = forms.DateField(label=_("Perdes / Perber date"), required=False)
    registration_number = forms.CharField(label=_("Registration certificate number"), max_length=100, required=False)
    registration_date = forms.DateField(label=_("Registration certificate date"), required=False)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].for_user(actor)
        self.fields["villages"].for_user(actor)


class BumdesEditForm(VersionedFormMixin, StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    address = forms.CharField(label=_("Address"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    founded_on = forms.DateField(label=_("Founded on"), required=False)
    name_registration_number = forms.CharField(label=_("Name registration number"), max_length=100, required=False)
    regulation_number = forms.CharField(label=_("Perdes / Perber number"), max_length=100, required=False)
    regulation_date = forms.DateField(label=_("Perdes / Perber date"), required=False)
    registration_number = forms.CharField(label=_("Registration certificate number"), max_length=100, required=False)
    registration_date = forms.DateField(label=_("Registration certificate date"), required=False)

    @classmethod
    def initial_for(cls, bumdes: Bumdes) -> dict:
        return {name: getattr(bumdes, name) for name in cls.base_fields if name != "version"}


class CapitalForm(StyledFormMixin, forms.Form):
    village = RegionField(label=_("Desa"), action=Action.VIEW, levels=_VILLAGE)
    capital = RupiahField(label=_("Capital participation (Rp)"))

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].for_user(actor)


class OfficerForm(StyledFormMixin, forms.Form):
    organ = forms.ChoiceField(label=_("Organ"), choices=BumdesOrgan.choices)
    name = forms.CharField(label=_("Name"), max_length=150)
    since = forms.DateField(label=_("Since"), required=False)
    until = forms.DateField(label=_("Until"), required=False)


class ClassificationForm(StyledFormMixin, forms.Form):
    year = WholeNumberField(label=_("Year"), min_value=2000, max_value=2100)
    classification = forms.ChoiceField(label=_("Class"), choices=BumdesClass.choices)
    score = WholeNumberField(label=_("Score"), min_value=0, max_value=100, required=False)


class BusinessLineForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    sector = forms.ChoiceField(label=_("Sector"), choices=BusinessSector.choices)
    started_on = forms.DateField(label=_("Started on"), required=False)


class FederationRegisterForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=FederationKind.choices)
    bumdes = forms.ModelChoiceField(label=_("BUM Desa Bersama"), queryset=Bumdes.objects.none(), required=False,
                                    help_text=_("For a BUM Desa Bersama: its registry entry. Its founding desa become "
                                                "the first members."))
    name = forms.CharField(label=_("Name"), max_length=200, required=False,
                           help_text=_("A BUM Desa Bersama keeps its registered name if this is empty."))
    seat = RegionField(label=_("Seat (desa/kelurahan)"), action=Action.MANAGE_BUMDES, levels=_VILLAGE, required=False,
                       help_text=_("For a company or a secondary cooperative: the desa/kelurahan of its office."))
    parent = forms.ModelChoiceField(label=_("Owned by"), queryset=Federation.objects.none(), required=False,
                                    help_text=_("For a company: the BUM Desa Bersama that owns it."))
    legal_number = forms.CharField(label=_("Legal entity number"), max_length=100, required=False,
                                   help_text=_("A company's SK from the Minister of Law; a secondary cooperative's SK "
                                               "AHU."))
    legal_date = forms.DateField(label=_("Legal entity date"), required=False)
    address = forms.CharField(label=_("Address"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seat"].for_user(actor)
        self.fields["bumdes"].queryset = (Bumdes.objects.for_user(actor, Action.MANAGE_BUMDES)
                                          .exclude(kind=BumdesKind.BUM_DESA).filter(federation__isnull=True)
                                          .order_by("name"))
        self.fields["parent"].queryset = (Federation.objects.for_user(actor, Action.MANAGE_BUMDES)
                                          .filter(kind=FederationKind.BUMDES_BERSAMA).order_by("name"))


class FederationEditForm(VersionedFormMixin, StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    legal_number = forms.CharField(label=_("Legal entity number"), max_length=100, required=False)
    legal_date = forms.DateField(label=_("Legal entity date"), required=False)
    address = forms.CharField(label=_("Address"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    @classmethod
    def initial_for(cls, federation: Federation) -> dict:
        return {name: getattr(federation, name) for name in cls.base_fields if name != "version"}


class MemberVillageForm(StyledFormMixin, forms.Form):
    village = RegionField(label=_("Desa/kelurahan"), action=Action.VIEW, levels=_VILLAGE)
    joined_on = forms.DateField(label=_("Joins on"), help_text=_("It is a member from this day."))
    capital = RupiahField(label=_("Capital share (Rp)"), required=False, initial=0)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, actor, federation: Federation, **kwargs):
        super().__init__(*args, **kwargs)
        # A village joining is not one the director sees yet: any desa/kelurahan of the seat's kabupaten/kota
        # can be picked, besides those of the user's own area.
        field = self.fields["village"].for_user(actor)
        field.queryset = (field.queryset | Region.objects.within(Scope.of([federation.seat_id[:5]]))
                          .filter(is_active=True)).distinct()


class _CooperativeOfVillageMixin:
    """Forms that name a cooperative by its desa/kelurahan (the region picker): the cooperative, in the user's scope."""

    def _cooperative_of_village(self, cleaned: dict) -> None:
        village = cleaned.get("village")
        if village is not None:
            cooperative = Cooperative.objects.for_user(self.actor).filter(village=village).first()
            if cooperative is None:
                self.add_error("village", _("%(village)s has no cooperative registered.") % {"village": village.name})
            cleaned["cooperative"] = cooperative


class MemberCooperativeForm(_CooperativeOfVillageMixin, StyledFormMixin, forms.Form):
    village = RegionField(label=_("Cooperative of the desa/kelurahan"), action=Action.VIEW, levels=_VILLAGE,
                          help_text=_("The desa/kelurahan whose KDKMP joins."))
    joined_on = forms.DateField(label=_("Joins on"))
    capital = RupiahField(label=_("Capital share (Rp)"), required=False, initial=0)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.fields["village"].for_user(actor)

    def clean(self):
        cleaned = super().clean()
        self._cooperative_of_village(cleaned)
        return cleaned


class MembershipEndForm(StyledFormMixin, forms.Form):
    left_on = forms.DateField(label=_("Leaves on"), help_text=_("The first day it is no longer a member."))


class SiteForm(VersionedFormMixin, StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=SiteKind.choices)
    name = forms.CharField(label=_("Name"), max_length=150)
    village = RegionField(label=_("Desa/kelurahan"), action=Action.VIEW, levels=_VILLAGE)
    status = forms.ChoiceField(label=_("Status"), choices=SiteStatus.choices)
    latitude = forms.DecimalField(label=_("Latitude"), max_digits=9, decimal_places=6, required=False,
                                  help_text=_("e.g. -6.7559"))
    longitude = forms.DecimalField(label=_("Longitude"), max_digits=9, decimal_places=6, required=False,
                                   help_text=_("e.g. 111.0380"))
    opened_on = forms.DateField(label=_("Opened on"), required=False)
    closed_on = forms.DateField(label=_("Closed on"), required=False)
    licence_number = forms.CharField(label=_("Operating licence number"), max_length=100, required=False,
                                     help_text=_("Needed before a klinik pratama operates."))
    licence_date = forms.DateField(label=_("Licence date"), required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, actor, federation: Federation, **kwargs):
        super().__init__(*args, **kwargs)
        # A site stands in a member village of its federation (or of the BUM Desa Bersama owning the company),
        # or anywhere the user sees: federation staff see no village of their own.
        owners = [federation.pk, *([federation.parent_id] if federation.parent_id else [])]
        members = member_village_codes(owners, timezone.localdate())
        field = self.fields["village"].for_user(actor)
        field.queryset = (field.queryset | Region.objects.filter(code__in=sorted(members), is_active=True)).distinct()

    @classmethod
    def initial_for(cls, site: BusinessSite) -> dict:
        initial = {name: getattr(site, name) for name in cls.base_fields if name not in ("version", "village")}
        return {**initial, "village": site.village_id}


class SiteFigureForm(StyledFormMixin, forms.Form):
    month = forms.CharField(label=_("Month"), widget=forms.TextInput(attrs={"type": "month"}),
                            help_text=_("e.g. 2026-03"))
    revenue = RupiahField(label=_("Revenue (Rp)"))
    costs = RupiahField(label=_("Operating costs (Rp)"), required=False)
    patients = WholeNumberField(label=_("Patients"), min_value=0, required=False,
                                  help_text=_("Clinics only: patients seen in the month."))

    def clean_month(self):
        value = self.cleaned_data["month"].strip()
        match = re.fullmatch(r"(\d{4})-(\d{1,2})(-\d{1,2})?", value)
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise forms.ValidationError(_("Enter the month as YYYY-MM, e.g. 2026-03."))
        return date(int(match.group(1)), int(match.group(2)), 1)


class AgreementForm(_CooperativeOfVillageMixin, StyledFormMixin, forms.Form):
    village = RegionField(label=_("Cooperative of the desa/kelurahan"), action=Action.VIEW, levels=_VILLAGE)
    bumdes = forms.ModelChoiceField(label=_("BUMDes"), queryset=Bumdes.objects.none(), required=False)
    federation = forms.ModelChoiceField(label=_("or federation"), queryset=Federation.objects.none(), required=False)
    kind = forms.ChoiceField(label=_("Kind of cooperation"), choices=AgreementKind.choices)
    title = forms.CharField(label=_("Subject"), max_length=200)
    starts_on = forms.DateField(label=_("Starts on"))
    ends_on = forms.DateField(label=_("Ends on"), required=False)
    value = RupiahField(label=_("Value (Rp)"), required=False)
    terms_document = forms.FileField(label=_("Terms document"), required=False,
                                     help_text=_("The signed agreement: PDF, JPG or PNG."),
                                     widget=forms.ClearableFileInput(
                                         attrs={"accept": "application/pdf,image/jpeg,image/png"}))
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    activate = forms.BooleanField(label=_("Active now"), required=False,
                                  help_text=_("Only when both sides are legal entities (SK AHU; registration "
                                              "certificate)."))

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.fields["village"].for_user(actor)
        # Either party records an agreement (services.agreement_party): who edits no cooperative records one as the
        # partner's manager, so only the BUMDes and federations they manage are offered, not every one they see.
        partner_action = Action.MANAGE_BUMDES if scope_for(actor, Action.EDIT_COOPERATIVE).is_empty else Action.VIEW
        self.fields["bumdes"].queryset = Bumdes.objects.for_user(actor, partner_action).order_by("name")
        self.fields["federation"].queryset = Federation.objects.for_user(actor, partner_action).order_by("name")

    def clean(self):
        cleaned = super().clean()
        self._cooperative_of_village(cleaned)
        if not self.errors and bool(cleaned.get("bumdes")) == bool(cleaned.get("federation")):
            self.add_error("bumdes", _("Choose the BUMDes or the federation the cooperative agrees with (one)."))
        return cleaned
