from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports and dashboards")

    def ready(self):
        # Register the roll-up tasks in every process (web, worker, tests): other apps queue them by name.
        from koperasi import extensions

        from . import tasks  # noqa: F401

        # The cooperative list and the verification queue export like the dashboard tables.
        extensions.register_list_action("reports.export", template_name="reports/partials/list_export.html")

        # Events, attendance and the deal pipeline of the area (kegiatan), from the roll-up like the rest.
        from .extensions import register_dashboard_section
        from .kegiatan_facts import dashboard_kegiatan_section

        register_dashboard_section("kegiatan", template_name="reports/partials/dashboard_kegiatan.html",
                                   context=dashboard_kegiatan_section, order=40)
