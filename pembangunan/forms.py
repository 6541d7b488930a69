"""The shapes of land and construction input; the services check their meaning again."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import RupiahField
from core.forms import StyledFormMixin
from core.forms import WholeNumberField
from core.roles import Action
from koperasi.models import Cooperative
from units.models import Unit
from units.models import UnitStatus
from units.models import UnitType

from .models import Executor
from .models import LandDocumentKind
from .models import LegalStatus
from .models import OwnerKind
from .unit_figures import UNIT_FIGURES

__all__ = ["DocumentForm", "HandoverForm", "PhotoForm", "PlotForm", "ProgressReportForm", "ProjectForm",
           "RejectForm", "SurveyForm", "UnitReportForm"]

_COORDINATE = {"max_digits": 9, "decimal_places": 6, "required": False}


class _LocationMixin(forms.Form):
    """Latitude and longitude typed or filled by the phone's GPS button (static/js/land.js)."""

    latitude = forms.DecimalField(label=_("Latitude"), min_value=Decimal("-11.5"), max_value=Decimal("6.5"),
                                  **_COORDINATE,
                                  help_text=_("Decimal degrees, negative south of the equator, e.g. -6.812345."))
    longitude = forms.DecimalField(label=_("Longitude"), min_value=Decimal("94.5"), max_value=Decimal("141.5"),
                                   **_COORDINATE,
                                   help_text=_("Decimal degrees, e.g. 111.001234."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("latitude", "longitude"):
            self.fields[name].widget.attrs.update({"inputmode": "decimal", "step": "any", f"data-gps-{name}": ""})


class _PhotoFieldsMixin(forms.Form):
    keep_location = forms.BooleanField(
        label=_("Keep the photo's location"), required=False,
        help_text=_("Tick to keep where the photo was taken (GPS). Otherwise all hidden data of the photo is removed."))


def _photo_widget():
    return forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png", "capture": "environment",
                                           "data-photo": ""})


class PlotForm(StyledFormMixin, _LocationMixin, _PhotoFieldsMixin, forms.Form):
    cooperative = forms.ModelChoiceField(label=_("Cooperative"), queryset=Cooperative.objects.none())
    name = forms.CharField(label=_("Name of the plot"), max_length=150,
                           help_text=_("How people call the plot, e.g. “Tanah kas desa, Dusun Krajan”."))
    address = forms.CharField(label=_("Address or directions"), required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))
    area_m2 = WholeNumberField(label=_("Area (m²)"), min_value=1, max_value=1_000_000)
    owner_kind = forms.ChoiceField(label=_("Owner"), choices=OwnerKind.choices)
    owner_name = forms.CharField(label=_("Owner's name"), max_length=150, required=False)
    legal_status = forms.ChoiceField(label=_("Legal status"), choices=LegalStatus.choices)
    legal_reference = forms.CharField(label=_("Certificate or letter number"), max_length=100, required=False)
    unit_type_codes = forms.MultipleChoiceField(label=_("Units it will host"), required=False,
                                                widget=forms.CheckboxSelectMultiple, choices=())
    photo = forms.FileField(label=_("Photo of the plot"), required=False, widget=_photo_widget(),
                            help_text=_("JPG or PNG from the phone's camera; the portal makes it smaller."))

    field_order = ["cooperative", "name", "area_m2", "owner_kind", "owner_name", "legal_status", "legal_reference",
                   "unit_type_codes", "latitude", "longitude", "address", "photo", "keep_location"]

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cooperative"].queryset = (Cooperative.objects.for_user(actor, Action.RECORD_LAND)
                                               .order_by("name"))
        self.fields["unit_type_codes"].choices = [(unit_type.code, unit_type.label)
                                                  for unit_type in UnitType.objects.all()]


class SurveyForm(StyledFormMixin, forms.Form):
    surveyed_on = forms.DateField(label=_("Surveyed on"), initial=timezone.localdate)


class RejectForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason for rejection"), widget=forms.Textarea(attrs={"rows": 2}),
                             max_length=2000)


class DocumentForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Document"), choices=LandDocumentKind.choices)
    file = forms.FileField(label=_("File (PDF, JPG or PNG)"))


class PhotoForm(StyledFormMixin, _LocationMixin, _PhotoFieldsMixin, forms.Form):
    photo = forms.FileField(label=_("Photo"), widget=_photo_widget())
    caption = forms.CharField(label=_("Caption"), max_length=200, required=False)

    field_order = ["photo", "caption", "keep_location", "latitude", "longitude"]


class ProjectForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("What is built"), max_length=150,
                            help_text=_("e.g. “Gerai and warehouse 20 × 30 m”."))
    building_area_m2 = WholeNumberField(label=_("Floor area built (m²)"), min_value=1, max_value=1_000_000)
    executor = forms.ChoiceField(label=_("Executor"), choices=Executor.choices)
    executor_name = forms.CharField(label=_("Executor's name"), max_length=150, required=False,
                                    help_text=_("When the executor is not PT Agrinas."))
    contractor_name = forms.CharField(label=_("Contractor"), max_length=150, required=False)
    contract_number = forms.CharField(label=_("Contract number"), max_length=100, required=False)
    contract_value = RupiahField(label=_("Contract value (Rp)"), min_value=1)
    contract_date = forms.DateField(label=_("Contract date"))
    planned_start = forms.DateField(label=_("Planned start"))
    planned_finish = forms.DateField(label=_("Planned finish"))
    bank_name = forms.CharField(label=_("Financing bank"), max_length=100, required=False)
    loan_amount = RupiahField(label=_("Loan amount (Rp)"), required=False, min_value=1)
    loan_tenor_months = WholeNumberField(label=_("Loan tenor (months)"), required=False, min_value=1,
                                           max_value=360)


class ProgressReportForm(StyledFormMixin, _LocationMixin, _PhotoFieldsMixin, forms.Form):
    reported_on = forms.DateField(label=_("Date"), initial=timezone.localdate)
    percent = WholeNumberField(label=_("Physical progress (%)"), min_value=0, max_value=100)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    photo = forms.FileField(label=_("Photo of the site"), required=False, widget=_photo_widget(),
                            help_text=_("Without a photo the report is kept as a draft and does not count yet."))

    field_order = ["reported_on", "percent", "notes", "photo", "keep_location", "latitude", "longitude"]


class HandoverForm(StyledFormMixin, forms.Form):
    handed_over_on = forms.DateField(label=_("Handover date"))
    file = forms.FileField(label=_("Signed handover record (PDF, JPG or PNG)"))


class UnitReportForm(StyledFormMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    month = forms.DateField(label=_("Month"), help_text=_("Any day of the month reported."))
    revenue = RupiahField(label=_("Revenue (Rp)"))
    costs = RupiahField(label=_("Costs (Rp)"))
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = (Unit.objects.for_user(actor, Action.RECORD_LAND)
                                        .filter(status=UnitStatus.OPERASIONAL, go_live_date__isnull=False)
                                        .select_related("cooperative", "unit_type")
                                        .order_by("cooperative__name", "unit_type__order"))
        self.fields["unit"].label_from_instance = lambda unit: f"{unit.cooperative.name} — {unit.display_name}"
        seen = {}
        for code, figures in UNIT_FIGURES.items():
            for figure in figures:
                seen.setdefault(figure.key, (figure, code))
        for key, (figure, _code) in seen.items():
            field = RupiahField(label=figure.label, required=False) if figure.rupiah else forms.DecimalField(
                label=figure.label, required=False, min_value=0, max_digits=15, decimal_places=2)
            field.help_text = _("Only for the unit types it applies to.")
            self.fields[f"figure_{key}"] = field

    def figures(self) -> dict:
        return {name.removeprefix("figure_"): int(value) if value == int(value) else float(value)
                for name, value in self.cleaned_data.items() if name.startswith("figure_") and value is not None}
