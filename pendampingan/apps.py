from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PendampinganConfig(AppConfig):
    name = "pendampingan"
    verbose_name = _("Assistance visits (pendampingan)")

    def ready(self):
        # What pendampingan adds to the cooperative (see koperasi/extensions.py).
        from koperasi import extensions

        from .selectors import visit_section

        extensions.register_cooperative_section(
            "pendampingan.visits", template_name="pendampingan/partials/cooperative_visits.html",
            context=visit_section, order=30,
        )
