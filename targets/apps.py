from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TargetsConfig(AppConfig):
    name = "targets"
    verbose_name = _("Targets")

    def ready(self):
        # What targets add to the area dashboard, the PDF report and the exports (see reports/extensions.py).
        from reports import extensions

        from .exports import targets_table
        from .selectors import dashboard_section
        from .selectors import report_section

        extensions.register_dashboard_section("targets", template_name="targets/partials/dashboard_targets.html",
                                              context=dashboard_section, order=10, parameters=("target",))
        extensions.register_report_section("targets", template_name="targets/partials/report_targets.html",
                                           context=report_section, order=10)
        extensions.register_export_table("targets", label=_("Targets"), rows=targets_table, file_name="target")
