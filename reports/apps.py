from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports and dashboards")

    def ready(self):
        # Register the roll-up tasks in every process (web, worker, tests): other apps queue them by name.
        from koperasi import extensions

        from . import extensions as report_extensions
        from . import tasks  # noqa: F401
        from .kegiatan_facts import dashboard_kegiatan_section
        from .land import land_dashboard_section
        from .savings_facts import savings_dashboard_section

        # The cooperative list and the verification queue export like the dashboard tables.
        extensions.register_list_action("reports.export", template_name="reports/partials/list_export.html")
        # The members' savings of the area (roll-up columns of reports/savings_facts.py).
        report_extensions.register_dashboard_section(
            "savings", template_name="reports/partials/dashboard_savings.html", context=savings_dashboard_section,
            order=30)
        # Land and construction (pembangunan) figures and the kabupaten's plot map on the area dashboard.
        report_extensions.register_dashboard_section(
            "reports.land", template_name="reports/partials/dashboard_land.html", context=land_dashboard_section,
            order=20)
        # Events, attendance and the deal pipeline of the area (kegiatan), from the roll-up like the rest.
        report_extensions.register_dashboard_section(
            "kegiatan", template_name="reports/partials/dashboard_kegiatan.html", context=dashboard_kegiatan_section,
            order=40)
