from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import StyledFormMixin
from core.forms import VersionedFormMixin

from .models import Unit

__all__ = ["LocalUnitForm", "UnitForm"]


class UnitForm(VersionedFormMixin, StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Unit
        fields = ["status", "not_run_reason", "land_progress", "building_progress", "licence_number", "licence_date",
                  "go_live_date", "notes"]
        widgets = {"not_run_reason": forms.Textarea(attrs={"rows": 2}), "notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in ("land_progress", "building_progress"):
            self.fields[field].widget.attrs.update({"min": 0, "max": 100})
        if not (self.instance.unit_type_id and self.instance.unit_type.requires_licence):
            self.fields["licence_number"].help_text = _("Only klinik and apotek need a licence.")


class LocalUnitForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120,
                           help_text=_("For example: Pariwisata, Pengolahan hasil tani."))
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
