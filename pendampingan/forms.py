from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import StyledFormMixin
from core.roles import Action
from wilayah.forms import RegionField
from wilayah.models import RegionLevel

__all__ = ["VisitForm"]


class VisitForm(StyledFormMixin, forms.Form):
    village = RegionField(label=_("Desa/kelurahan"), action=Action.LOG_VISITS, levels=(RegionLevel.VILLAGE,),
                          help_text=_("Type the name of the desa/kelurahan and choose it from the suggestions."))
    visited_on = forms.DateField(label=_("Visit date"))
    topic = forms.CharField(label=_("Topic"), max_length=200)
    participants = forms.CharField(label=_("Participants"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    outcome = forms.CharField(label=_("Outcome"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    next_step = forms.CharField(label=_("Next step"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    follow_up_on = forms.DateField(label=_("Follow-up date"), required=False)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].for_user(actor)
