"""The bendahara's savings pages of one cooperative, and the officers' read-outs."""

from django.views.generic import TemplateView

from koperasi.views import CooperativeObjectMixin

from . import selectors

__all__ = ["SavingsOverviewView"]


class SavingsOverviewView(CooperativeObjectMixin, TemplateView):
    template_name = "simpanan/overview.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(cooperative=self.cooperative,
                                        totals=selectors.cooperative_totals(self.cooperative), **kwargs)
