from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KegiatanConfig(AppConfig):
    name = "kegiatan"
    verbose_name = _("Events, partners and shared spaces")

    def ready(self):
        # What kegiatan adds to the cooperative page (see koperasi/extensions.py): the board's training records,
        # and the cooperative's deals with partners.
        from koperasi import extensions

        from .selectors import cooperative_deals_section
        from .selectors import training_section

        extensions.register_cooperative_section(
            "kegiatan.training", template_name="kegiatan/partials/cooperative_training.html",
            context=training_section, order=45,
        )
        extensions.register_cooperative_section(
            "kegiatan.deals", template_name="kegiatan/partials/cooperative_deals.html",
            context=cooperative_deals_section, order=55,
        )
