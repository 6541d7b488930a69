from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports and dashboards")

    def ready(self):
        # Register the roll-up tasks in every process (web, worker, tests): other apps queue them by name.
        from . import tasks  # noqa: F401
