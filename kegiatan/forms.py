"""The shape of kegiatan's input; choices come from scoped querysets and the services check meaning again."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bumdes.models import Federation
from core.forms import RupiahField
from core.forms import StyledFormMixin
from core.forms import VersionedFormMixin
from core.forms import WholeNumberField
from core.roles import Action
from core.scoping import scope_for
from koperasi.models import Cooperative
from wilayah.forms import RegionField
from wilayah.forms import RegionListField
from wilayah.models import Region
from wilayah.models import RegionLevel

from .models import AttendeeRole
from .models import BookerKind
from .models import DealKind
from .models import DealStage
from .models import EventKind
from .models import Partner
from .models import PartnerKind
from .models import ResourceKind
from .models import SpaceOwnerKind

__all__ = [
    "AttendanceImportForm",
    "BookingForm",
    "DealMoveForm",
    "EventEditForm",
    "EventForm",
    "InviteForm",
    "MeetingForm",
    "PartnerContactForm",
    "PartnerForm",
    "QuickAttendeeForm",
    "ResourceForm",
    "SpaceForm",
    "WeeklyBookingForm",
]

_VILLAGE = (RegionLevel.VILLAGE,)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


def _date_time_field(label, **kwargs) -> forms.DateTimeField:
    return forms.DateTimeField(label=label, widget=DateTimeInput(), input_formats=["%Y-%m-%dT%H:%M",
                                                                                  "%Y-%m-%d %H:%M"], **kwargs)


class _CooperativeOfVillageMixin:
    """A cooperative named by its desa/kelurahan (the region picker), in the user's scope."""

    def _cooperative_of_village(self, cleaned: dict, action: Action = Action.VIEW) -> None:
        village = cleaned.get("village")
        if village is not None:
            cooperative = Cooperative.objects.for_user(self.actor, action).filter(village=village).first()
            if cooperative is None:
                self.add_error("village", _("%(village)s has no cooperative registered.") % {"village": village.name})
            cleaned["cooperative"] = cooperative


class EventForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=EventKind.choices)
    region = RegionField(label=_("Organising office's area"), action=Action.MANAGE_EVENTS, required=False,
                         levels=(RegionLevel.PROVINCE, RegionLevel.REGENCY, RegionLevel.DISTRICT),
                         help_text=_("The kabupaten/kota of a Dinas or the kecamatan of a kecamatan office."))
    federation = forms.ModelChoiceField(label=_("Or: organising federation"), queryset=Federation.objects.none(),
                                        required=False)
    place = forms.CharField(label=_("Place"), max_length=200, help_text=_("E.g. Aula Kantor Camat."))
    venue_village = RegionField(label=_("Desa/kelurahan of the venue"), action=Action.VIEW, levels=_VILLAGE,
                                required=False)
    starts_at = _date_time_field(_("Starts at"))
    ends_at = _date_time_field(_("Ends at"))
    respond_by = forms.DateField(label=_("Confirm attendance by"), required=False)
    training_title = forms.CharField(label=_("Training record title"), max_length=200, required=False,
                                     help_text=_("Pelatihan or bimtek: recorded on the pengurus/pengawas who attend."))
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].for_user(actor)
        self.fields["venue_village"].for_user(actor)
        self.fields["federation"].queryset = Federation.objects.for_user(actor, Action.MANAGE_EVENTS).order_by("name")
        if not self.fields["federation"].queryset.exists():
            del self.fields["federation"]

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("region") and not cleaned.get("federation") and "region" not in self.errors:
            self.add_error("region", _("Choose the organising office's area or the federation."))
        return cleaned


class EventEditForm(VersionedFormMixin, StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    place = forms.CharField(label=_("Place"), max_length=200)
    starts_at = _date_time_field(_("Starts at"))
    ends_at = _date_time_field(_("Ends at"))
    respond_by = forms.DateField(label=_("Confirm attendance by"), required=False)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    @classmethod
    def initial_for(cls, event) -> dict:
        return {name: getattr(event, name) for name in cls.base_fields}


class InviteForm(StyledFormMixin, forms.Form):
    villages = RegionListField(label=_("Invite desa/kelurahan or a whole kecamatan"), action=Action.VIEW,
                               levels=(RegionLevel.VILLAGE, RegionLevel.DISTRICT),
                               help_text=_("One per line. A kecamatan invites all of its desa/kelurahan."))

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["villages"].for_user(actor)


class QuickAttendeeForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=AttendeeRole.choices)
    village = forms.ChoiceField(label=_("Desa/kelurahan"), required=False)
    nik = forms.CharField(label=_("NIK (optional)"), max_length=20, required=False,
                          widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    phone = forms.CharField(label=_("Phone (optional)"), max_length=20, required=False,
                            widget=forms.TextInput(attrs={"inputmode": "tel"}))
    organisation = forms.CharField(label=_("Organisation (optional)"), max_length=200, required=False)

    def __init__(self, *args, villages, actor, **kwargs):
        super().__init__(*args, **kwargs)
        if villages:  # the invited villages, to pick with one tap
            self.fields["village"].choices = [("", _("— none (e.g. a partner) —")),
                                              *((v.code, v.name.title()) for v in villages)]
        else:  # an event without invitations: any desa/kelurahan of the officer's area, by the region picker
            self.fields["village"] = RegionField(label=_("Desa/kelurahan"), action=Action.VIEW, levels=_VILLAGE,
                                                 required=False).for_user(actor)
        if scope_for(actor, Action.VIEW_PERSONAL_DATA).is_empty:  # NIKs are not theirs to record (the service)
            del self.fields["nik"]

    def clean_village(self):
        village = self.cleaned_data.get("village")
        return village.code if isinstance(village, Region) else village or None


class AttendanceImportForm(forms.Form):
    file = forms.FileField(label=_("Attendance list (CSV or XLSX)"),
                           help_text=_("Use the template: nama, nik, peran, desa, telepon, organisasi."))


class PartnerForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=PartnerKind.choices)
    region = RegionField(label=_("Kept by (area)"), action=Action.MANAGE_PARTNERS, required=False,
                         levels=(RegionLevel.PROVINCE, RegionLevel.REGENCY, RegionLevel.DISTRICT),
                         help_text=_("Empty: the national directory (national administrators)."))
    areas_served = RegionListField(label=_("Areas served"), action=Action.VIEW, required=False,
                                   help_text=_("Provinces, kabupaten/kota or kecamatan; one per line."))
    offer = forms.CharField(label=_("What it offers"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].for_user(actor)
        # A partner may serve areas beyond the officer's own (a BUMN serves the whole province).
        self.fields["areas_served"].queryset = Region.objects.filter(is_active=True)


class PartnerContactForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    position = forms.CharField(label=_("Position"), max_length=150, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)


class MeetingForm(_CooperativeOfVillageMixin, StyledFormMixin, forms.Form):
    village = RegionField(label=_("Cooperative of the desa/kelurahan"), action=Action.MANAGE_PARTNERS,
                          levels=_VILLAGE)
    partner = forms.ModelChoiceField(label=_("Partner"), queryset=Partner.objects.none())
    kind = forms.ChoiceField(label=_("Kind of deal"), choices=DealKind.choices)
    title = forms.CharField(label=_("Subject"), max_length=200, required=False)
    value = RupiahField(label=_("Estimated value (Rp)"), required=False, initial=0, max_value=10**15)
    next_step = forms.CharField(label=_("Next step"), max_length=300, required=False)
    next_step_on = forms.DateField(label=_("Next step date"), required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.fields["village"].for_user(actor)
        self.fields["partner"].queryset = Partner.objects.for_user(actor, Action.VIEW).order_by("name")

    def clean(self):
        cleaned = super().clean()
        self._cooperative_of_village(cleaned, Action.MANAGE_PARTNERS)
        return cleaned


class DealMoveForm(VersionedFormMixin, StyledFormMixin, forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), choices=DealStage.choices)
    value = RupiahField(label=_("Value (Rp)"), required=False, max_value=10**15)
    next_step = forms.CharField(label=_("Next step"), max_length=300, required=False)
    next_step_on = forms.DateField(label=_("Next step date"), required=False)


class SpaceForm(_CooperativeOfVillageMixin, StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    owner_kind = forms.ChoiceField(label=_("Run by"), choices=SpaceOwnerKind.choices)
    region = RegionField(label=_("Kecamatan (for a kecamatan office)"), action=Action.MANAGE_SPACES, required=False,
                         levels=(RegionLevel.DISTRICT,))
    federation = forms.ModelChoiceField(label=_("Federation"), queryset=Federation.objects.none(), required=False)
    village = RegionField(label=_("Cooperative of the desa/kelurahan"), action=Action.MANAGE_SPACES, required=False,
                          levels=_VILLAGE)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.fields["region"].for_user(actor)
        self.fields["village"].for_user(actor)
        self.fields["federation"].queryset = Federation.objects.for_user(actor, Action.MANAGE_SPACES).order_by("name")

    def clean(self):
        cleaned = super().clean()
        self._cooperative_of_village(cleaned, Action.MANAGE_SPACES)
        return cleaned


class ResourceForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=ResourceKind.choices)
    capacity = WholeNumberField(label=_("Capacity (people)"), min_value=1, max_value=1000)
    opens_at = forms.TimeField(label=_("Opens at"), widget=TimeInput())
    closes_at = forms.TimeField(label=_("Closes at"), widget=TimeInput())
    open_days = forms.MultipleChoiceField(
        label=_("Open days"), widget=forms.CheckboxSelectMultiple, initial=["1", "2", "3", "4", "5"],
        choices=[("1", _("Monday")), ("2", _("Tuesday")), ("3", _("Wednesday")), ("4", _("Thursday")),
                 ("5", _("Friday")), ("6", _("Saturday")), ("7", _("Sunday"))])


class _BookerFields(StyledFormMixin, forms.Form):
    resource = forms.ModelChoiceField(label=_("Room or desk"), queryset=None)
    booker_name = forms.CharField(label=_("Booked by"), max_length=150)
    booker_kind = forms.ChoiceField(label=_("Booker"), choices=BookerKind.choices)
    booker_contact = forms.CharField(label=_("Phone or e-mail"), max_length=150, required=False)
    group = forms.CharField(label=_("Group served"), max_length=150, required=False,
                            help_text=_("E.g. komunitas disabilitas, karang taruna, UMKM perempuan."))
    purpose = forms.CharField(label=_("Purpose"), max_length=200, required=False)
    people = WholeNumberField(label=_("People"), min_value=1, max_value=1000, initial=1)

    def __init__(self, *args, space, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resource"].queryset = space.resources.all()


class BookingForm(_BookerFields):
    starts_at = _date_time_field(_("From"))
    ends_at = _date_time_field(_("Until"))


class WeeklyBookingForm(_BookerFields):
    first_day = forms.DateField(label=_("First day"))
    until = forms.DateField(label=_("Last day"))
    starts = forms.TimeField(label=_("From (time)"), widget=TimeInput())
    ends = forms.TimeField(label=_("Until (time)"), widget=TimeInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_day"].initial = timezone.localdate()
