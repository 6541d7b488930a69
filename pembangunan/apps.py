from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PembangunanConfig(AppConfig):
    name = "pembangunan"
    verbose_name = _("Land and construction (pembangunan)")

    def ready(self):
        # What land and construction add to the cooperative page (see koperasi/extensions.py).
        from koperasi import extensions

        from .selectors import cooperative_land_section

        extensions.register_cooperative_section(
            "pembangunan.land", template_name="pembangunan/partials/cooperative_land.html",
            context=cooperative_land_section, order=25,
        )
