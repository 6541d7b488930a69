from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnitsConfig(AppConfig):
    name = "units"
    verbose_name = _("Business units")

    def ready(self):
        # What units add to the cooperative (see koperasi/extensions.py).
        from koperasi import extensions

        from .filtersets import CooperativeUnitFilters
        from .selectors import unit_section
        from .services import units_create_mandatory

        extensions.register_registration_step("units.mandatory", units_create_mandatory)
        extensions.register_cooperative_section("units.matrix", template_name="units/partials/cooperative_units.html",
                                                context=unit_section, order=10)
        extensions.register_cooperative_filters("units", filters=CooperativeUnitFilters,
                                                template_name="units/partials/cooperative_filters.html")
