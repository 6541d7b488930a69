from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import StyledFormMixin

from .models import CommitMode

__all__ = ["ImportCommitForm", "ImportUploadForm"]


class ImportUploadForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("The file holds"))
    file = forms.FileField(label=_("File (.xlsx or .csv)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
                           help_text=_("Use the template. The file is checked first; nothing is imported until "
                                       "you decide."))

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(kind.kind, kind.label) for kind in kinds]


class ImportCommitForm(StyledFormMixin, forms.Form):
    mode = forms.ChoiceField(label=_("How to import"), choices=CommitMode.choices, initial=CommitMode.VALID_ROWS,
                             widget=forms.RadioSelect)
