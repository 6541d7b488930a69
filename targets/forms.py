from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import StyledFormMixin
from core.forms import VersionedFormMixin
from core.forms import WholeNumberField
from core.roles import Action
from koperasi.models import FormationStage
from units.models import READINESS_ORDER
from units.models import UnitType
from wilayah.forms import RegionField

from .models import LandStep
from .models import TargetMetric

__all__ = ["TargetEditForm", "TargetForm"]


class TargetForm(StyledFormMixin, forms.Form):
    region = RegionField(label=_("Region"), action=Action.MANAGE_TARGETS,
                         help_text=_("A province, kabupaten/kota, kecamatan or desa/kelurahan: type its name or code."))
    title = forms.CharField(label=_("Title"), required=False, max_length=200,
                            help_text=_("e.g. Musdesus selesai (Inpres 9/2025)"))
    metric = forms.ChoiceField(label=_("Measure"), choices=TargetMetric.choices)
    stage = forms.ChoiceField(label=_("Stage"), required=False)
    unit_type = forms.ChoiceField(label=_("Unit type"), required=False)
    unit_status = forms.ChoiceField(label=_("Unit status"), required=False,
                                    choices=[("", "—"), *[(s.value, s.label) for s in READINESS_ORDER[1:]]])
    land_step = forms.ChoiceField(label=_("Land step"), required=False, choices=[("", "—"), *LandStep.choices],
                                  help_text=_("For a land and construction target."))
    target_count = WholeNumberField(label=_("Target"), required=False, min_value=1, max_value=100_000,
                                      help_text=_("Leave empty for the number of desa/kelurahan in the region."))
    start_date = forms.DateField(label=_("Start date"))
    due_date = forms.DateField(label=_("Due date"))
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].for_user(actor)
        self.fields["stage"].choices = [("", "—"), *[(s.code, s.label) for s in FormationStage.objects.all()]]
        self.fields["unit_type"].choices = [("", "—"), *[(t.code, t.label) for t in UnitType.objects.all()]]


class TargetEditForm(VersionedFormMixin, StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), required=False, max_length=200)
    target_count = WholeNumberField(label=_("Target"), min_value=1, max_value=100_000)
    start_date = forms.DateField(label=_("Start date"))
    due_date = forms.DateField(label=_("Due date"))
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


