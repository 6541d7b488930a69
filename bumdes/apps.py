from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BumdesConfig(AppConfig):
    name = "bumdes"
    verbose_name = _("BUMDes and federations")

    def ready(self):
        # Which villages a federation role reaches (core/scoping.py) and what bumdes adds to the cooperative page
        # (koperasi/extensions.py): both asked for by a lower floor, answered here.
        from core.scoping import register_federation_family
        from core.scoping import register_federation_members
        from koperasi import extensions

        from .selectors import agreement_section
        from .selectors import federation_family
        from .selectors import member_village_codes
        from .selectors import member_village_filter

        register_federation_family(federation_family)
        register_federation_members(member_village_codes, member_village_filter)
        extensions.register_cooperative_section(
            "bumdes.agreements", template_name="bumdes/partials/cooperative_agreements.html",
            context=agreement_section, order=40,
        )
