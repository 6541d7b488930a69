"""Forms: the shape of input. Meaning (order of stages, uniqueness, scope) is checked by the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import StyledFormMixin
from core.forms import VersionedFormMixin
from core.roles import Action
from wilayah.forms import RegionField
from wilayah.forms import RegionListField
from wilayah.models import RegionLevel

from .models import Cooperative
from .models import FormationModel
from .stage_fields import STAGE_FIELDS

__all__ = [
    "CooperativeLegalForm",
    "CooperativeProfileForm",
    "CooperativeRegisterForm",
    "StageArchiveForm",
    "StageReasonForm",
    "StageSubmitForm",
]


class CooperativeRegisterForm(StyledFormMixin, forms.Form):
    village = RegionField(
        label=_("Desa/kelurahan (seat)"), action=Action.EDIT_COOPERATIVE, levels=(RegionLevel.VILLAGE,),
        help_text=_("Type the name of the desa/kelurahan (or its code) and choose it from the suggestions."),
    )
    formation_model = forms.ChoiceField(label=_("Formation model"), choices=FormationModel.choices,
                                        initial=FormationModel.BARU)
    name = forms.CharField(
        label=_("Name"), required=False, max_length=200,
        help_text=_("Leave empty for the standard name, e.g. Koperasi Desa Merah Putih Prawoto."),
    )
    joint_villages = RegionListField(
        label=_("Other villages of a joint cooperative"), required=False, action=Action.EDIT_COOPERATIVE,
        levels=(RegionLevel.VILLAGE,),
        help_text=_("Only for villages with fewer than 500 inhabitants: one name or code per line."),
    )
    joint_population_confirmed = forms.BooleanField(
        label=_("Each of these villages has fewer than 500 inhabitants"), required=False
    )
    address = forms.CharField(label=_("Address"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    latitude = forms.DecimalField(label=_("Latitude"), required=False, max_digits=9, decimal_places=6)
    longitude = forms.DecimalField(label=_("Longitude"), required=False, max_digits=9, decimal_places=6)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=30,
                            widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}))
    email = forms.EmailField(label=_("E-mail"), required=False)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        villages = self.fields["village"].for_user(actor).queryset.filter(level=RegionLevel.VILLAGE)
        self.fields["joint_villages"].for_user(actor)
        own = list(villages[:2])
        if len(own) == 1:  # village staff: their desa is the only choice
            self.fields["village"].initial = own[0]
            self.fields["village"].widget.attrs["readonly"] = True
            del self.fields["joint_villages"], self.fields["joint_population_confirmed"]

    def clean_joint_villages(self) -> list[str]:
        return [region.code for region in self.cleaned_data.get("joint_villages") or []]


def _from_model(name: str, **overrides) -> forms.Field:
    """The cooperative field's own form field (label, choices, limits), with ``overrides``."""
    return Cooperative._meta.get_field(name).formfield(**overrides)


# Identifiers are typed as printed on the documents (dots, dashes, spaces); the service normalises them
# to the stored digits, so the form must accept the longer printed form.
_PRINTED_IDENTIFIER = {"max_length": 40}


class _CooperativeFieldsForm(VersionedFormMixin, StyledFormMixin, forms.Form):
    """Some of a cooperative's fields, for the service to change; starts from the cooperative's values."""

    @classmethod
    def initial_for(cls, cooperative: Cooperative) -> dict:
        initial = {name: getattr(cooperative, name) for name in cls.base_fields if name != "version"}
        if "phone" in initial:
            initial["phone"] = str(cooperative.phone or "")
        return initial


class CooperativeProfileForm(_CooperativeFieldsForm):
    name = _from_model("name")
    formation_model = _from_model("formation_model")
    address = _from_model("address", widget=forms.Textarea(attrs={"rows": 2}))
    latitude = _from_model("latitude")
    longitude = _from_model("longitude")
    phone = forms.CharField(label=_("Phone"), required=False, max_length=30,
                            widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}))
    email = _from_model("email")
    nomor_induk_koperasi = _from_model("nomor_induk_koperasi", **_PRINTED_IDENTIFIER)


class CooperativeLegalForm(_CooperativeFieldsForm):
    """For officers who verify stages: correct the identifiers copied from verified stages."""

    notary_name = _from_model("notary_name")
    deed_number = _from_model("deed_number")
    deed_date = _from_model("deed_date")
    sk_ahu_number = _from_model("sk_ahu_number", **_PRINTED_IDENTIFIER)
    sk_ahu_date = _from_model("sk_ahu_date")
    npwp = _from_model("npwp", **_PRINTED_IDENTIFIER)
    nib = _from_model("nib", **_PRINTED_IDENTIFIER)
    bank_name = _from_model("bank_name")
    bank_account_number = _from_model("bank_account_number", **_PRINTED_IDENTIFIER)
    bank_account_name = _from_model("bank_account_name")
    simkopdes_account = _from_model("simkopdes_account")
    operational_since = _from_model("operational_since")


class StageSubmitForm(StyledFormMixin, forms.Form):
    """The stage's required fields and one file per required document, built from the stage's configuration."""

    def __init__(self, *args, progress, **kwargs):
        super().__init__(*args, **kwargs)
        present = {doc.document_type_id for doc in progress.documents.all() if doc.removed_at is None}
        for key in progress.stage.required_fields:
            spec = STAGE_FIELDS[key]
            widget = forms.TextInput(attrs={"type": spec.input_type})
            self.fields[key] = forms.CharField(label=spec.label, widget=widget, required=False,
                                               initial=progress.data.get(key, ""))
        for document_type in progress.stage.required_documents.all():
            self.fields[f"doc_{document_type.code}"] = forms.FileField(
                label=document_type.label, required=False,
                help_text=_("Already attached; choose a file only to replace it (PDF, JPG or PNG).")
                if document_type.pk in present else _("PDF, JPG or PNG."),
                widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
            )

    def stage_data(self) -> dict:
        return {key: value for key, value in self.cleaned_data.items() if not key.startswith("doc_")}

    def documents(self) -> list[tuple[str, object]]:
        return [(key.removeprefix("doc_"), upload) for key, upload in self.cleaned_data.items()
                if key.startswith("doc_") and upload]


class StageArchiveForm(StageSubmitForm):
    """A stage completed before the portal, entered by an officer from paper records with its real date."""

    def __init__(self, *args, progress, **kwargs):
        super().__init__(*args, progress=progress, **kwargs)
        self.fields["completed_on"] = forms.DateField(
            label=_("Date completed"), help_text=_("The date on the archived document, e.g. the SK AHU's date."))
        self.fields["note"] = forms.CharField(
            label=_("Source in the archive"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000,
            help_text=_("e.g. Arsip Dinas Koperasi, map 2024/17: SK AHU asli diperiksa."))
        self.order_fields(["completed_on", "note"])

    def stage_data(self) -> dict:
        return {key: value for key, value in super().stage_data().items() if key not in ("completed_on", "note")}


class StageReasonForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
